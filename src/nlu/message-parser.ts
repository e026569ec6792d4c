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
  candidates: ProcedureHit[];
  /** The message's words that could name a procedure, beyond its question (found or not), folded. */
  namingWords: string[];
}

/** Intents a dossier code does not override: the citizen talks about the dossier, but wants this. */
const DOSSIER_CODE_KEEPS: ReadonlySet<IntentName> = new Set(['complaint', 'human_handoff', 'online_payment', 'postal_service']);
/** Intents where a named procedure matters to the answer or to the staff reading the transcript. */
const NAMES_PROCEDURE = (intent: IntentName) => isProcedureAspect(intent) || intent === 'complaint' || intent === 'out_of_scope';

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
  administrativeShare: 0.8,
  /** Candidates offered as choices. */
  candidates: 5,
} as const;

/**
 * The Vietnamese NLU: intent (node-nlp with our language plugin), entities (dossier codes, phones,
 * citizen IDs, dates) and the procedure named (through the procedure search).
 */
export class MessageParser {
  constructor(
    private readonly classifier: IntentClassifier,
    private readonly mentions: ProcedureMentions,
    private readonly text: VietnameseText,
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
    let { intent, score } = this.classifier.classify(question.trim().length > 0 ? question : text);
    if (entities.some((e) => e.type === 'dossier_code') && !DOSSIER_CODE_KEEPS.has(intent)) {
      return { text: message, intent: 'dossier_status', score: 1, entities, procedure: null, candidates: [], namingWords: [] };
    }
    const asksProcedure = NAMES_PROCEDURE(intent);
    const { candidates, namingWords, knownShare } = asksProcedure ? this.mentions.read(question, PARSE.candidates) : NO_MENTION;
    const namesSomething = candidates.length > 0 || namingWords.length >= MIN_NAMING_WORDS;
    const named = candidates[0];
    if (isProcedureAspect(intent) && named === undefined && namesSomething && knownShare < PARSE.administrativeShare) {
      // A question about something no procedure name or alias speaks of ("vé cáp treo giá bao nhiêu").
      return { text: message, intent: 'out_of_scope', score: 1 - knownShare, entities, procedure: null, candidates: [], namingWords };
    }
    if (intent === 'out_of_scope') {
      if (named === undefined || named.score < PARSE.strongMention || score >= PARSE.weakOutOfScope) {
        return { text: message, intent, score, entities, procedure: null, candidates: [], namingWords };
      }
      intent = 'procedure_info';
      score = named.score;
    }
    if (named !== undefined) entities.push({ type: 'procedure', value: named.code, text: named.name, score: named.score });
    return { text: message, intent, score, entities, procedure: named ?? null, candidates, namingWords };
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
