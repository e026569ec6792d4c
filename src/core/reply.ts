/** One message the assistant sends: text, and the buttons for the likely next step. */
export interface Reply {
  text: string;
  suggestedActions: string[];
}

/** A phone screen shows about this much without scrolling: a first message stays within it, longer answers go out as several messages. */
export const MESSAGE_BUDGET = 600;
/** Past this many messages, the rest of a long section is left to the source link. */
const MAX_MESSAGES_PER_ANSWER = 4;

/**
 * Packs an answer's heading, items and footer into as few messages as fit the budget, never splitting
 * an item; items that would need more than {@link MAX_MESSAGES_PER_ANSWER} messages are summarised
 * by `more(n)`. Buttons go on the last message only.
 */
export function packMessages(
  heading: string,
  items: readonly string[],
  footer: string,
  suggestedActions: string[],
  more: (left: number) => string,
): Reply[] {
  const messages: string[] = [];
  let current = heading;
  let i = 0;
  for (; i < items.length; i += 1) {
    const item = items[i]!;
    const next = current.length === 0 ? item : `${current}\n${item}`;
    if (next.length <= MESSAGE_BUDGET || current.length === 0) {
      current = next;
      continue;
    }
    if (messages.length === MAX_MESSAGES_PER_ANSWER - 1) break;
    messages.push(current);
    current = item;
  }
  if (i < items.length) current = `${current}\n${more(items.length - i)}`;
  current = current.length === 0 ? footer : `${current}\n${footer}`;
  messages.push(current);
  return messages.map((text, k) => ({ text, suggestedActions: k === messages.length - 1 ? suggestedActions : [] }));
}

/** Shortens a long catalogue sentence at a word boundary, marking the cut. */
export function clip(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[,;:.\s]+$/, '')}…`;
}

/**
 * Cuts a text into pieces of at most `max` characters for a channel with a message size limit:
 * at a paragraph break if one is in the second half of the piece, else after a sentence, else at a
 * space, else (one very long word) anywhere. Never splits a surrogate pair.
 */
export function splitMessage(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while ([...rest].length > max) {
    const head = [...rest].slice(0, max).join('');
    const cut = lastBreak(head, max);
    pieces.push(head.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

function lastBreak(head: string, max: number): number {
  const half = Math.floor(head.length / 2);
  const paragraph = head.lastIndexOf('\n');
  if (paragraph >= half) return paragraph + 1;
  const sentence = Math.max(
    head.lastIndexOf('. '),
    head.lastIndexOf('? '),
    head.lastIndexOf('! '),
    head.lastIndexOf('.\n'),
  );
  if (sentence >= half) return sentence + 1;
  const space = head.lastIndexOf(' ');
  if (space >= half) return space + 1;
  return head.length || max;
}

/**
 * The last touch before a text is sent: a label said twice where a template meets a value that
 * repeats it ("Đường dây nóng Đường dây nóng:", "cán bộ Cán bộ thử nghiệm") is said once; a weekday
 * inside a sentence is written "thứ Hai", not "Thứ Hai"; stray spaces before punctuation go.
 */
export function tidyText(text: string): string {
  return text
    .split('\n')
    .map((line) => withoutRepeatedLabel(line))
    .join('\n')
    .replace(/([^.!?:\n]\s)Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)(?!\p{L})/gu, '$1thứ $2')
    .replace(/ +([,.;:!?])/gu, '$1')
    .replace(/ {2,}/gu, ' ');
}

/** Two to four words said twice in a row, case and a trailing colon aside: the first copy goes. */
function withoutRepeatedLabel(line: string): string {
  const words = line.split(' ');
  const bare = (w: string) => w.toLocaleLowerCase('vi').replace(/[:,]$/u, '');
  for (let n = 4; n >= 2; n -= 1) {
    for (let i = 0; i + 2 * n <= words.length; i += 1) {
      let same = /\p{L}/u.test(words[i]!);
      for (let k = 0; k < n && same; k += 1) same = bare(words[i + k]!) === bare(words[i + n + k]!);
      if (same) return withoutRepeatedLabel([...words.slice(0, i), ...words.slice(i + n)].join(' '));
    }
  }
  return line;
}
