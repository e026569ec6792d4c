import { join } from 'node:path';
import type { FoundProcedure } from '../search/procedure-finder.ts';
import { readPhraseList } from '../shared/line-files.ts';
import type { ProcedureHit } from '../search/procedure-search.ts';
import type { VietnameseText } from '../text/vietnamese-text.ts';
import type { IntentClassifier } from './intent-classifier.ts';
import { isProcedureAspect, type IntentName } from './intent-names.ts';
import { extractEntities, type MessageEntity } from './message-entities.ts';
import { MIN_NAMING_WORDS, type Mention, type ProcedureMentions } from './procedure-mention.ts';

/** The procedure a message names, as an entity next to the others. */
export interface ProcedureEntity {
  type: 'procedure';
  value: string;
  text: string;
  score: number;
}

export type ParsedEntity = MessageEntity | ProcedureEntity;

/** What the NLU makes of one message. The first five fields are the `parse` contract. */
export interface ParsedMessage {
  text: string;
  intent: IntentName;
  /** The classifier's confidence in `intent`, in [0, 1]; 1 when a rule decided. */
  score: number;
  entities: ParsedEntity[];
  /** The procedure the message names, or null: a follow-up names none and refers to the context. */
  procedure: ProcedureHit | null;
  /** Every procedure the message could name, best first (the bot offers them when they are close). */
  candidates: FoundProcedure[];
  /** The message's words that could name a procedure, beyond its question (found or not), folded. */
  namingWords: string[];
}

/** Intents a dossier code does not override: the citizen talks about the dossier, but wants this. */
const DOSSIER_CODE_KEEPS: ReadonlySet<IntentName> = new Set(['complaint', 'human_handoff', 'online_payment', 'postal_service']);
/** Intents whose message is never read for a procedure: a person asked for. */
const NEVER_NAMES_PROCEDURE: ReadonlySet<IntentName> = new Set(['human_handoff']);
/**
 * Intents a message about a procedure is often mistaken for, in a story ("…, cảm ơn ad", "…xin ở
 * đâu", "…online", "chào chị, …"): when the message names a procedure clearly, the procedure
 * question wins.
 */
const LOOK_ALIKES: ReadonlySet<IntentName> = new Set([
  'thanks',
  'greeting',
  'goodbye',
  'feedback_rating',
  'queue_ticket',
  'center_location',
  'center_contact',
  'center_hours',
  'online_payment',
  'postal_service',
  'complaint',
]);
/** Questions about the center itself: only a procedure's name or alias turns them into a procedure question (their words — hours, phone, address — are in every record). */
const ABOUT_CENTER: ReadonlySet<IntentName> = new Set(['center_location', 'center_contact', 'center_hours', 'queue_ticket']);

const NO_MENTION: Mention = { candidates: [], namingWords: [], knownShare: 0 };

const PARSE = {
  /** Longest message read; a citizen's question fits well within it. */
  maxChars: 2000,
  /** A procedure named this clearly makes an out-of-scope guess below `weakOutOfScope` a procedure question. */
  strongMention: 0.75,
  weakOutOfScope: 0.8,
  /**
   * A procedure question naming something unfound is out of scope when fewer than this share of its
   * words are words of procedure names or aliases.
   */
  administrativeShare: Number(process.env.ADMSHARE ?? 0.9),
  /** Candidates offered as choices. */
  candidates: 5,
  /**
   * A procedure named by name or alias this well, or by the whole record this well in a message of
   * at least `storyWords` informative words, turns a look-alike intent into a procedure question.
   */
  namedClearly: 0.6,
  recordClearly: 0.3,
  storyWords: Number(process.env.STORYWORDS ?? 2),
  /** A story the classifier calls out of scope is about a procedure when its record accounts for this share of it. */
  storyRecord: Number(process.env.STORYREC ?? 0.26),
} as const;

/**
 * How clearly a message names its best candidate, in [0, 1]: its name (or an alias) matched, or
 * what its whole record accounts for of the message.
 */
export function clarity(found: FoundProcedure | undefined): number {
  return found === undefined ? 0 : Math.max(found.nameScore, found.relatedness);
}

/**
 * The Vietnamese NLU: intent (node-nlp with our language plugin), entities (dossier codes, phones,
 * citizen IDs, dates) and the procedure named (through the procedure search).
 */
export class MessageParser {
  constructor(
    private readonly classifier: IntentClassifier,
    private readonly mentions: ProcedureMentions,
    private readonly text: VietnameseText,
    /** Folded phrases that make a message a complaint (knowledge/lexicon/complaint-cues.txt). */
    private readonly complaintCues: readonly string[] = [],
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async parse(message: string): Promise<ParsedMessage> {
    const text = message.slice(0, PARSE.maxChars);
    const analyzed = this.text.analyze(text);
    const entities: ParsedEntity[] = extractEntities(text, this.clock());
    if (analyzed.tokens.length === 0) {
      return { text: message, intent: 'out_of_scope', score: 0, entities, procedure: null, candidates: [], namingWords: [] };
    }
    // Personal details given in passing ("sđt 0905…, cccd 0561…") say nothing about the question.
    const question = withoutPersonalDetails(text, entities);
    const classified = this.classifier.classify(question.trim().length > 0 ? question : text);
    let { intent, score } = classified;
    if (entities.some((e) => e.type === 'dossier_code') && !DOSSIER_CODE_KEEPS.has(intent)) {
      return { text: message, intent: 'dossier_status', score: 1, entities, procedure: null, candidates: [], namingWords: [] };
    }
    // A complaint says so ("khiếu nại", "đòi tiền", "trễ hẹn"…); without a cue it is something else the message asks.
    const complains = intent === 'complaint' && this.hasComplaintCue(analyzed.folded);
    const { candidates, namingWords, knownShare } = NEVER_NAMES_PROCEDURE.has(intent) ? NO_MENTION : this.mentions.read(question, PARSE.candidates);
    const namesSomething = candidates.length > 0 || namingWords.length >= MIN_NAMING_WORDS;
    const named = candidates[0];
    const informative = this.mentions.informativeWords(namingWords);
    if (LOOK_ALIKES.has(intent) && !complains && this.namesClearly(named, ABOUT_CENTER.has(intent) ? 0 : informative)) {
      // What the message asks of it: the likeliest procedure question of the classifier's ranking.
      const aspect = classified.ranking.find((r) => isProcedureAspect(r.intent));
      intent = aspect?.intent ?? 'procedure_info';
      score = Math.max(aspect?.score ?? 0, clarity(named));
    } else if (intent === 'complaint' && !complains) {
      const next = classified.ranking.find((r) => r.intent !== 'complaint');
      intent = next?.intent ?? 'out_of_scope';
      score = next?.score ?? 0;
    }
    if (!isProcedureAspect(intent) && intent !== 'complaint' && intent !== 'out_of_scope') {
      return { text: message, intent, score, entities, procedure: null, candidates: [], namingWords };
    }
    if (isProcedureAspect(intent) && named === undefined && namesSomething && knownShare < PARSE.administrativeShare) {
      // A question about something no procedure name or alias speaks of ("vé cáp treo giá bao nhiêu").
      return { text: message, intent: 'out_of_scope', score: 1 - knownShare, entities, procedure: null, candidates: [], namingWords };
    }
    if (intent === 'out_of_scope') {
      // A name or alias said plainly, or a story that an administrative record answers well: the
      // classifier, trained on short questions, hears stories about rare procedures as chit-chat.
      const byName = named !== undefined && named.nameScore >= PARSE.strongMention && score < PARSE.weakOutOfScope;
      const byRecord = named !== undefined && informative >= PARSE.storyWords && named.relatedness >= PARSE.storyRecord && knownShare >= PARSE.administrativeShare;
      if (!byName && !byRecord) return { text: message, intent, score, entities, procedure: null, candidates: [], namingWords };
      const aspect = classified.ranking.find((r) => isProcedureAspect(r.intent));
      intent = aspect?.intent ?? 'procedure_info';
      score = clarity(named);
    }
    if (named !== undefined) entities.push({ type: 'procedure', value: named.code, text: named.name, score: named.score });
    return { text: message, intent, score, entities, procedure: named ?? null, candidates, namingWords };
  }

  /** A short message ("cho xin hotline trung tâm") needs a name or an alias; a story (enough informative words) may name a procedure by its record. */
  private namesClearly(named: FoundProcedure | undefined, informativeWords: number): boolean {
    if (named === undefined) return false;
    return named.nameScore >= PARSE.namedClearly || (informativeWords >= PARSE.storyWords && named.relatedness >= PARSE.recordClearly);
  }

  private hasComplaintCue(folded: string): boolean {
    const padded = ` ${folded} `;
    return this.complaintCues.some((cue) => padded.includes(` ${cue} `));
  }
}

/** Words that label a phone or ID number typed after them ("sđt", "cccd số"), folded. */
const DETAIL_LABEL = /(?:\b(?:s[oố]\s+)?(?:đi[eệ]n\s+tho[aạ]i|đt|dt|sđt|sdt|zalo|cccd|cmnd|c[aă]n\s+c[uư][oớ]c(?:\s+c[oô]ng\s+d[aâ]n)?)(?:\s+(?:c[uủ]a\s+)?(?:em|t[oô]i|m[iì]nh|tui))?(?:\s+(?:l[aà]|s[oố]))?[\s:.,-]*)$/iu;

/** The message without the phone and ID numbers in it, nor the words that label them. */
export function withoutPersonalDetails(text: string, entities: readonly ParsedEntity[]): string {
  let out = text;
  const details = entities.filter((e) => e.type === 'phone' || e.type === 'citizen_id').sort((a, b) => b.start - a.start);
  for (const e of details) {
    const before = out.slice(0, e.start).replace(DETAIL_LABEL, '');
    out = `${before} ${out.slice(e.end)}`;
  }
  return out;
}

/** True when the message names something a procedure could be (a follow-up names nothing). */
export function namesSomething(parsed: ParsedMessage): boolean {
  return parsed.candidates.length > 0 || parsed.namingWords.length >= MIN_NAMING_WORDS;
}

/** The `parse` contract object (CLI and HTTP), without the parser's internal candidates. */
export function parseContract(parsed: ParsedMessage): Omit<ParsedMessage, 'candidates' | 'namingWords'> {
  const { text, intent, score, entities, procedure } = parsed;
  return { text, intent, score: round(score), entities, procedure: procedure && { ...procedure, score: round(procedure.score) } };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** knowledge/lexicon/complaint-cues.txt, folded. */
export function loadComplaintCues(knowledgeDir: string, text: VietnameseText): string[] {
  return readPhraseList(join(knowledgeDir, 'lexicon', 'complaint-cues.txt')).map((cue) => text.fold(cue));
}
