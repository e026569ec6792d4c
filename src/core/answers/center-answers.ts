import type { CenterFacts } from '../../knowledge/center-facts.ts';
import type { ReplyTexts } from '../reply-texts.ts';
import type { Reply } from '../reply.ts';

/** The center intents this module answers, and the facts (knowledge/center.json paths) each one uses. */
const FACTS_FOR = {
  center_hours: ['opening_hours', 'lunch_break'],
  center_location: ['address', 'map_url', 'parking'],
  center_contact: ['hotline', 'email', 'online_help_links'],
  queue_ticket: ['queue', 'priority', 'help_for_people_who_cannot_read'],
  postal_service: ['postal_counter', 'postal_fee'],
} as const;

export type CenterIntent = keyof typeof FACTS_FOR;

export function isCenterIntent(intent: string): intent is CenterIntent {
  return intent in FACTS_FOR;
}

/**
 * Answers about the center from knowledge/center.json. A sample value (one the operator has not
 * replaced yet) is never said as fact: it carries the "sample" marker.
 */
export class CenterAnswers {
  constructor(
    private readonly facts: CenterFacts,
    private readonly texts: ReplyTexts,
  ) {}

  answer(intent: CenterIntent, buttons: string[]): Reply[] {
    const lines: string[] = [];
    const sources = new Set<string>();
    for (const path of FACTS_FOR[intent]) {
      const line = this.describe(path);
      if (line === null) continue;
      lines.push(line.text);
      const label = line.source ? this.texts.sourceLabel(line.source) : null;
      if (label !== null) sources.add(label);
    }
    const source = sources.size > 0 ? `\nNguồn: ${[...sources].join('; ')}` : '';
    return [{ text: `Dạ, ${continuing(lines.join('\n'))}${source}`, suggestedActions: buttons }];
  }

  /** A fact as one Vietnamese line, or null when the file has no such fact. */
  describe(path: string): { text: string; source: string | undefined } | null {
    const fact = this.facts.get(path);
    if (fact === undefined) return null;
    const text = say(path, fact.value);
    if (text === null) return null;
    return { text: fact.sample ? `${text} ${this.texts.say('sample_marker')}` : text, source: fact.source };
  }

  /**
   * A fact's bare value for a placeholder inside a sentence ("gọi đường dây nóng {hotline}": the
   * number, not the line that presents it), marked when it is a sample.
   */
  value(path: string): string {
    const fact = this.facts.get(path);
    if (fact === undefined) return '';
    const bare = PLACEHOLDERS[path]?.(fact.value as never) ?? say(path, fact.value);
    if (bare === null || bare === '') return '';
    return fact.sample ? `${bare} ${this.texts.say('sample_marker')}` : bare;
  }
}

/** Names that keep their capital after "Dạ, "; any other first word continues the sentence ("Dạ, mọi người …"). */
const PROPER_START = /^(?:Trung tâm|UBND|Ủy ban|Sở|Cổng|Zalo|Facebook|\d)/u;

function continuing(text: string): string {
  return PROPER_START.test(text) ? text : text.charAt(0).toLocaleLowerCase('vi') + text.slice(1);
}

function say(path: string, value: unknown): string | null {
  if (typeof value === 'string') return FORMATS[path]?.(value) ?? value;
  if (value !== null && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    const custom = FORMATS[path]?.(v);
    if (custom) return custom;
    if (typeof v.vi === 'string') return v.vi;
    if (typeof v.full_vi === 'string') return v.full_vi;
  }
  return null;
}

/**
 * A fact's value is the validated JSON of knowledge/center-facts.json, whose shape differs per path (a string, or
 * an object with `phone`, `full_vi`, `vi`, …); each line below reads the fields of its own path.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FactValue = any;

/** What a placeholder says of a fact whose line (FORMATS) presents it. */
const PLACEHOLDERS: Record<string, (v: FactValue) => string | null> = {
  hotline: (v) => (typeof v?.phone === 'string' ? v.phone : null),
  address: (v) => (typeof v?.full_vi === 'string' ? v.full_vi : null),
};

const FORMATS: Record<string, (v: FactValue) => string | null> = {
  address: (v) => `Trung tâm ở ${v.full_vi}.`,
  map_url: (v) => `Bản đồ: ${v}`,
  // The note may repeat the label ("Đường dây nóng của Trung tâm (giờ hành chính)"): only what it adds is said.
  hotline: (v) => {
    const note = String(v.vi ?? '')
      .replace(/\.$/u, '')
      .replace(/^đường dây nóng\s*/iu, '')
      .trim();
    return `Đường dây nóng${note.startsWith('của') ? ` ${note}` : ''}: ${v.phone}${note && !note.startsWith('của') ? ` (${note})` : ''}.`;
  },
  email: (v) => `Thư điện tử: ${v}`,
  'online_portals.national': (v) => `${v.name_vi} (${v.url})`,
  'online_portals.province': (v) => `${v.name_vi} (${v.url})`,
  online_help_links: (v) =>
    [v.zalo && `Zalo: ${v.zalo}`, v.facebook && `Facebook: ${v.facebook}`, v.website && `Trang web: ${v.website}`]
      .filter(Boolean)
      .join('\n') || null,
};
