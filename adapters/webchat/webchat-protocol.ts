import { z } from 'zod';
import type { TranscriptEntry } from '../../src/state/transcript.ts';
import type {
  ClientFrame as WireClientFrame,
  Holds,
  MaxTextChars,
  SameShape,
  SendRequest,
  WebchatEntry,
} from './webchat-wire.ts';

/**
 * The webchat wire protocol's runtime side: the schemas the server reads client frames and bodies
 * with. The frames and bodies themselves are declared once, for the server and the widget, in
 * webchat-wire.ts (types only); the checks at the end of this file keep the two in step.
 */
export type { ServerFrame, WebchatErrorCode } from './webchat-wire.ts';

export const MAX_TEXT_CHARS: MaxTextChars = 2000;

const ClientMessageId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _ only, at most 64');

export const ClientFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    token: z.string().max(200).optional(),
    after: z.number().int().min(0).default(0),
  }),
  z.object({ type: z.literal('message'), id: ClientMessageId, text: z.string() }),
  z.object({ type: z.literal('ping') }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

/** The HTTP fallback's send body. */
export const SendBody = z.object({ id: ClientMessageId, text: z.string() });

// Compile-time checks: what the widget sends is what these schemas read, and the entries it is sent are the transcript's.
// Exported so the compiler holds them (nothing imports them): each is an error when the two shapes differ.
/** @public compile-time check, held by the compiler though nothing imports it. */
export type WireChecks = [
  Holds<SameShape<z.input<typeof ClientFrame>, WireClientFrame>>, // ClientFrameOnTheWire
  Holds<SameShape<z.input<typeof SendBody>, SendRequest>>, // SendBodyOnTheWire
  Holds<SameShape<TranscriptEntry, WebchatEntry>>, // EntryOnTheWire
];
