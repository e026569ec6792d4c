import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Assistant } from '../assistant.ts';
import { applyEvent } from './record-apply.ts';
import { RecordEvent } from './record-events.ts';
import type { RecordsDb } from './records-database.ts';

const DEV_SETS = fileURLToPath(new URL('../../tests/dev-sets/', import.meta.url));

/** A deterministic generator (mulberry32): the same seed makes the same month. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Conversations citizens could have: the dev conversations and single questions of the dev and tuning sets (never the sealed half). */
function scripts(): string[][] {
  const lines = (file: string) =>
    readFileSync(`${DEV_SETS}${file}`, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { text?: string; turns?: { text: string }[] });
  return [
    ...lines('chat-dev.jsonl').map((c) => (c.turns ?? []).map((t) => t.text)),
    ...lines('blind/tuning-conversations.jsonl').map((c) => (c.turns ?? []).map((t) => t.text)),
    ...lines('nlu-dev.jsonl').map((q) => [q.text ?? '']),
    ...lines('blind/tuning-questions.jsonl').map((q) => [q.text ?? '']),
  ].filter((s) => s.length > 0 && s.every((t) => t.length > 0));
}

const CHANNELS: [string, number][] = [
  ['webchat', 0.5],
  ['facebook', 0.3],
  ['zalo', 0.2],
];
const FOLLOW_UPS = ['cảm ơn ad', 'ok', 'nộp ở đâu vậy', 'mất bao lâu', 'cho gặp cán bộ', 'lệ phí bao nhiêu'];
const RATINGS = ['very_good', 'very_good', 'very_good', 'good', 'good', 'neutral', 'bad'] as const;
const COMMENTS = ['Cán bộ hướng dẫn nhiệt tình', 'Trả lời nhanh, dễ hiểu', 'Phải chờ hơi lâu', 'Cảm ơn trung tâm'];

export interface SeededMonth {
  conversations: number;
  turns: number;
  events: number;
}

/**
 * Writes a realistic month into the records: citizens' conversations run through the assistant's real
 * chat path (parser, dialogue, answers, the record events they make), spread over `days` days of
 * business hours on the three channels; what officers do after a request for a person (claim, reply,
 * close, the survey, a callback) is added with plausible times, since no officer is at the keyboard.
 */
export async function seedMonth(
  assistant: Assistant,
  dbs: RecordsDb[],
  options: { days: number; turns: number; end: Date; seed?: number },
): Promise<SeededMonth> {
  const outbox = assistant.outbox;
  if (outbox === undefined) throw new Error('seedMonth needs an assistant that keeps records');
  const rnd = random(options.seed ?? 20261203);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const all = scripts();
  const start = options.end.getTime() - options.days * 86_400_000;
  let turns = 0;
  let conversations = 0;
  let events = 0;
  while (turns < options.turns) {
    conversations += 1;
    const r = rnd();
    const channel = r < CHANNELS[0]![1] ? 'webchat' : r < CHANNELS[0]![1] + CHANNELS[1]![1] ? 'facebook' : 'zalo';
    const id = `seed${conversations}`;
    const script = [...pick(all), ...(rnd() < 0.4 ? [pick(FOLLOW_UPS)] : [])];
    // A weekday between 7:30 and 17:00 in Vietnam, now and then an evening.
    const day = Math.floor(rnd() * options.days);
    const hour = rnd() < 0.85 ? 7.5 + rnd() * 9.5 : 17 + rnd() * 5;
    const began = start + day * 86_400_000 + (hour - 7) * 3_600_000;
    for (const text of script) {
      await assistant.chat(id, text, channel);
      turns += 1;
    }
    const taken = await outbox.take(10_000, 0);
    await outbox.ack(taken.map((t) => t.ref));
    const parsed = taken.map((t) => RecordEvent.parse(t.event));
    // Each event's time: the conversation's start, then a turn every 20 to 90 seconds.
    let clock = began;
    const timed = parsed.map((e) => {
      if (e.kind === 'turn') clock += (20 + rnd() * 70) * 1000;
      return { ...e, at: new Date(clock).toISOString() } as RecordEvent;
    });
    const key = timed[0]?.conversation;
    if (key !== null && key !== undefined && timed.some((e) => e.kind === 'turn' && e.outcome === 'handoff')) {
      timed.push(...officerSide(key, channel, clock, rnd, pick));
    }
    for (const db of dbs) {
      await db.transaction().execute(async (tx) => {
        for (const e of timed) await applyEvent(tx, e);
      });
    }
    events += timed.length;
    await assistant.forget(`${channel}:${id}`);
  }
  return { conversations, turns, events };
}

/** What the officers did with a request for a person: most are taken, some citizens give up, some leave a callback. */
function officerSide(
  conversation: string,
  channel: string,
  asked: number,
  rnd: () => number,
  pick: <T>(items: readonly T[]) => T,
): RecordEvent[] {
  const at = (ms: number) => new Date(ms).toISOString();
  const handoff = at(asked);
  const base = { conversation, channel, handoff, reason: 'asked', agent: null };
  const out: RecordEvent[] = [{ kind: 'handoff', id: `${conversation}:q`, at: handoff, step: 'queued', ...base }];
  const agent = pick(['lan', 'minh', 'thu', 'hung']);
  if (rnd() < 0.12) {
    out.push({ kind: 'handoff', id: `${conversation}:x`, at: at(asked + 240_000), step: 'cancelled', ...base });
    out.push({
      kind: 'callback',
      id: `${conversation}:cb`,
      at: at(asked + 250_000),
      conversation,
      channel,
      callbackId: `${conversation}:cb`,
      step: 'saved',
      dueAt: at(asked + 18 * 3_600_000),
      phone: null,
      agent: null,
    });
    return out;
  }
  const wait = (20 + rnd() ** 2 * 600) * 1000;
  const first = wait + (10 + rnd() * 90) * 1000;
  out.push({ kind: 'handoff', id: `${conversation}:c`, at: at(asked + wait), step: 'claimed', ...base, agent });
  out.push({ kind: 'handoff', id: `${conversation}:f`, at: at(asked + first), step: 'first_response', ...base, agent });
  out.push({
    kind: 'handoff',
    id: `${conversation}:d`,
    at: at(asked + first + 300_000),
    step: 'closed',
    ...base,
    agent,
  });
  if (rnd() < 0.6) {
    out.push({
      kind: 'survey',
      id: `${conversation}:s`,
      at: at(asked + first + 320_000),
      conversation,
      channel,
      agent,
      rating: pick(RATINGS),
    });
    if (rnd() < 0.3)
      out.push({
        kind: 'survey_comment',
        id: `${conversation}:sc`,
        at: at(asked + first + 340_000),
        conversation,
        comment: pick(COMMENTS),
      });
  }
  return out;
}
