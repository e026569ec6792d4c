import { z } from 'zod';
import { readJsonLines } from '../shared/line-files.ts';
import type { ParsedMessage } from './message-parser.ts';

/**
 * The blind development sets (tests/dev-sets/blind/): citizens' questions and conversations written
 * by people who saw only catalogue records, in a tuning half and a sealed half. A question's
 * `accept` lists every procedure that answers it equally well; an empty list means nothing in the
 * catalogue does.
 */
export const BlindQuestion = z.object({
  id: z.string(),
  text: z.string(),
  accept: z.array(z.string()),
  field: z.string().optional(),
  aspect: z.string().optional(),
  style: z.array(z.string()).optional(),
  kind: z.string().optional(),
});
export type BlindQuestion = z.infer<typeof BlindQuestion>;

export const BlindConversation = z.object({
  conversation: z.string(),
  turns: z.array(
    z.object({
      text: z.string(),
      intent: z.string(),
      /** The procedure the answer is about; null when the turn is not about one. */
      accept: z.array(z.string()).nullable(),
      kind: z.string(),
    }),
  ),
});
export type BlindConversation = z.infer<typeof BlindConversation>;

export const loadBlindQuestions = (path: string) => readJsonLines(path, BlindQuestion);
export const loadBlindConversations = (path: string) => readJsonLines(path, BlindConversation);

interface Tally {
  n: number;
  top1: number;
  top3: number;
}

export interface QuestionReport {
  inside: Tally & { none: number };
  outside: { n: number; noProcedure: number };
  perField: Map<string, Tally>;
  perStyle: Map<string, Tally>;
  misses: { question: BlindQuestion; got: string[] }[];
}

/**
 * Procedure accuracy through the parse the bot uses: top-1 is the procedure the parse settles on;
 * top-3 the first three of it and its candidates (what the bot offers). A question outside the
 * catalogue is right when the parse settles on no procedure.
 */
export async function evaluateQuestions(
  questions: readonly BlindQuestion[],
  parse: (text: string) => Promise<ParsedMessage>,
): Promise<QuestionReport> {
  const r: QuestionReport = {
    inside: { n: 0, top1: 0, top3: 0, none: 0 },
    outside: { n: 0, noProcedure: 0 },
    perField: new Map(),
    perStyle: new Map(),
    misses: [],
  };
  for (const q of questions) {
    const parsed = await parse(q.text);
    const offered = [
      ...new Set(
        [parsed.procedure?.code, ...parsed.candidates.map((c) => c.code)].filter((c): c is string => c !== undefined),
      ),
    ];
    if (q.accept.length === 0) {
      r.outside.n += 1;
      if (parsed.procedure === null) r.outside.noProcedure += 1;
      else r.misses.push({ question: q, got: offered.slice(0, 3) });
      continue;
    }
    const top1 = parsed.procedure !== null && q.accept.includes(parsed.procedure.code);
    const top3 = offered.slice(0, 3).some((c) => q.accept.includes(c));
    const buckets = [
      r.inside,
      tally(r.perField, q.field ?? '(unknown)'),
      ...(q.style ?? []).map((s) => tally(r.perStyle, s)),
    ];
    for (const b of buckets) {
      b.n += 1;
      b.top1 += top1 ? 1 : 0;
      b.top3 += top3 ? 1 : 0;
    }
    if (parsed.procedure === null && parsed.candidates.length === 0) r.inside.none += 1;
    if (!top1) r.misses.push({ question: q, got: offered.slice(0, 3) });
  }
  return r;
}

export interface ConversationReport {
  turns: number;
  right: number;
  /** Turns about a procedure where the aspect asked (the intent) was also right. */
  aspectRight: number;
  aspectTurns: number;
  byKind: Map<string, { n: number; right: number }>;
  misses: { conversation: string; turn: number; text: string; expected: string; got: string }[];
}

/** What the bot did with a turn, as the `chat` contract reports it. */
export interface TurnResult {
  intent: string | null;
  procedure: string | null;
}

/** Intents that close a conversation: either one is right for "cảm ơn, chào nhé". */
const CLOSING = new Set(['thanks', 'goodbye']);

/**
 * A turn is right when the bot answers about the procedure it should (one of `accept`), or, for a
 * turn about no procedure, does what it asked (its intent: the center's hours, a person, thanks…).
 */
export async function evaluateConversations(
  conversations: readonly BlindConversation[],
  chat: (conversation: string, text: string) => Promise<TurnResult>,
): Promise<ConversationReport> {
  const r: ConversationReport = { turns: 0, right: 0, aspectRight: 0, aspectTurns: 0, byKind: new Map(), misses: [] };
  for (const c of conversations) {
    for (const [i, turn] of c.turns.entries()) {
      const got = await chat(c.conversation, turn.text);
      // A turn the label checkers could not pin down is said, for the context, but not scored.
      if (turn.kind === 'unclear') continue;
      const right =
        turn.accept !== null
          ? got.procedure !== null && turn.accept.includes(got.procedure)
          : got.intent === turn.intent || (CLOSING.has(turn.intent) && CLOSING.has(got.intent ?? ''));
      r.turns += 1;
      r.right += right ? 1 : 0;
      if (turn.accept !== null && turn.intent.startsWith('procedure_')) {
        r.aspectTurns += 1;
        r.aspectRight += right && got.intent === turn.intent ? 1 : 0;
      }
      const kind = r.byKind.get(turn.kind) ?? { n: 0, right: 0 };
      kind.n += 1;
      kind.right += right ? 1 : 0;
      r.byKind.set(turn.kind, kind);
      if (!right) {
        r.misses.push({
          conversation: c.conversation,
          turn: i + 1,
          text: turn.text,
          expected: `${turn.intent} ${turn.accept?.join('|') ?? '-'}`,
          got: `${got.intent ?? '(failed)'} ${got.procedure ?? '-'}`,
        });
      }
    }
  }
  return r;
}

function tally(map: Map<string, Tally>, key: string): Tally {
  let t = map.get(key);
  if (t === undefined) {
    t = { n: 0, top1: 0, top3: 0 };
    map.set(key, t);
  }
  return t;
}

const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)}%`;

/** The report; with `details`, every miss (never for the sealed half: nobody reads its questions while tuning). */
export function formatQuestionReport(title: string, r: QuestionReport, details: boolean): string {
  const lines = [
    `${title}: ${r.inside.n} questions in the catalogue, ${r.outside.n} outside`,
    `  procedure top-1 ${pct(r.inside.top1, r.inside.n)}, top-3 ${pct(r.inside.top3, r.inside.n)}; no procedure at all ${pct(r.inside.none, r.inside.n)}`,
    `  outside the catalogue, no procedure: ${pct(r.outside.noProcedure, r.outside.n)} (${r.outside.noProcedure}/${r.outside.n})`,
    `  by style: ${[...r.perStyle]
      .sort()
      .map(([s, t]) => `${s} ${pct(t.top1, t.n)} (n=${t.n})`)
      .join(', ')}`,
  ];
  if (details) {
    lines.push(`  misses (${r.misses.length}):`);
    for (const m of r.misses)
      lines.push(
        `    ${m.question.id} ${JSON.stringify(m.question.text)} want ${m.question.accept.join('|') || '(none)'} got ${m.got.join(', ') || '(none)'}`,
      );
  }
  return lines.join('\n');
}

/** Per-field accuracy, the fields with most questions first. */
export function formatFieldTable(r: QuestionReport): string {
  const rows = [...r.perField].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]));
  return [
    '| field | questions | top-1 | top-3 |',
    '|---|---|---|---|',
    ...rows.map(([field, t]) => `| ${field} | ${t.n} | ${pct(t.top1, t.n)} | ${pct(t.top3, t.n)} |`),
  ].join('\n');
}

export function formatConversationReport(title: string, r: ConversationReport, details: boolean): string {
  const lines = [
    `${title}: ${r.turns} turns, right ${pct(r.right, r.turns)} (${r.right}/${r.turns}); procedure and aspect both right ${pct(r.aspectRight, r.aspectTurns)} of ${r.aspectTurns} procedure turns`,
    `  by kind: ${[...r.byKind]
      .sort()
      .map(([k, t]) => `${k} ${pct(t.right, t.n)} (n=${t.n})`)
      .join(', ')}`,
  ];
  if (details) {
    lines.push(`  misses (${r.misses.length}):`);
    for (const m of r.misses)
      lines.push(`    ${m.conversation}#${m.turn} ${JSON.stringify(m.text)} want ${m.expected} got ${m.got}`);
  }
  return lines.join('\n');
}
