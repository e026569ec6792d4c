/**
 * Text as it may enter the service from any channel: what a person typed, without what only
 * breaks things or misleads a reader.
 * - Lone UTF-16 surrogates are dropped: they are not text, and JSON decoders (Redis's cjson among
 *   them) refuse them.
 * - Bidirectional overrides, embeddings, isolates and marks are dropped: they let a message show
 *   in the console as something other than what it says.
 * - Control characters are dropped, except line breaks and tabs; line endings become "\n".
 * - Zero-width spaces and byte-order marks are dropped (the joiner stays: emoji sequences need it).
 * - Composed to NFC, so one word is always spelled with the same code points; ends trimmed.
 * Idempotent: cleaning clean text changes nothing.
 */
export function sanitiseText(text: string): string {
  return text
    .replace(LONE_SURROGATE, '')
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(INVISIBLE, '')
    .normalize('NFC')
    .trim();
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** C0 (but tab and line feed), DEL and C1 controls; bidi controls; zero-width space; BOM. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
