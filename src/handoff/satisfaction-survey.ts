import { z } from 'zod';
import { vietnamIsoWeek } from '../shared/vietnam-time.ts';
import type { Storage } from '../state/storage-contract.ts';
import { VersionedStore } from '../state/versioned-store.ts';

export const RATINGS = ['very_good', 'good', 'neutral', 'bad'] as const;

const SurveyAnswer = z.object({
  conversation: z.string(),
  channel: z.string(),
  agent: z.string(),
  rating: z.enum(RATINGS),
  comment: z.string().nullable(),
  at: z.string(),
});
export type SurveyAnswer = z.infer<typeof SurveyAnswer>;

const Answers = z.object({ answers: z.array(SurveyAnswer).default([]) });
type Answers = z.infer<typeof Answers>;

/** Answers kept for the statistics; the oldest go past this many (about a year at the center's volume). */
const MAX_ANSWERS = 20_000;
const KEY = 'satisfaction-survey';

export interface SatisfactionRow {
  label: string;
  total: number;
  veryGood: number;
  /** Share of "Rất hài lòng", 0..1: the figure the center reports. */
  share: number;
}

/** The satisfaction survey after an agent closes a conversation: answers, and the supervisors' figures. */
export class SatisfactionSurvey {
  private readonly store: VersionedStore<Answers>;

  constructor(storage: Storage) {
    this.store = new VersionedStore(storage, Answers, () => Answers.parse({}));
  }

  async record(answer: Omit<SurveyAnswer, 'comment'>): Promise<void> {
    await this.store.update(KEY, (state) => ({
      state: { answers: [...state.answers, { ...answer, comment: null }].slice(-MAX_ANSWERS) },
      result: undefined,
    }));
  }

  /** Removes a conversation's answers (a citizen's erasure request). */
  async forget(conversation: string): Promise<void> {
    await this.store.update(KEY, (state) => ({
      state: { answers: state.answers.filter((a) => a.conversation !== conversation) },
      result: undefined,
    }));
  }

  /** Adds the optional comment to the conversation's latest answer. */
  async comment(conversation: string, comment: string): Promise<void> {
    await this.store.update(KEY, (state) => {
      const answers = [...state.answers];
      for (let i = answers.length - 1; i >= 0; i -= 1) {
        if (answers[i]!.conversation !== conversation) continue;
        answers[i] = { ...answers[i]!, comment: comment.slice(0, 1000) };
        break;
      }
      return { state: { answers }, result: undefined };
    });
  }

  async answers(): Promise<SurveyAnswer[]> {
    return (await this.store.load(KEY)).answers;
  }

  /** Share of "Rất hài lòng" by agent, by channel and by ISO week. */
  async stats(): Promise<{ byAgent: SatisfactionRow[]; byChannel: SatisfactionRow[]; byWeek: SatisfactionRow[] }> {
    const answers = await this.answers();
    return {
      byAgent: rows(answers, (a) => a.agent),
      byChannel: rows(answers, (a) => a.channel),
      byWeek: rows(answers, (a) => vietnamIsoWeek(new Date(a.at))),
    };
  }
}

function rows(answers: readonly SurveyAnswer[], labelOf: (a: SurveyAnswer) => string): SatisfactionRow[] {
  const groups = new Map<string, { total: number; veryGood: number }>();
  for (const answer of answers) {
    const label = labelOf(answer);
    const group = groups.get(label) ?? { total: 0, veryGood: 0 };
    group.total += 1;
    if (answer.rating === 'very_good') group.veryGood += 1;
    groups.set(label, group);
  }
  return [...groups.entries()]
    .map(([label, { total, veryGood }]) => ({ label, total, veryGood, share: veryGood / total }))
    .sort((a, b) => a.label.localeCompare(b.label));
}
