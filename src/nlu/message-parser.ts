import { join } from 'node:path';
import type { FoundProcedure } from '../search/procedure-finder.ts';
import { readPhraseList } from '../shared/line-files.ts';
import type { ProcedureHit } from '../search/procedure-hit.ts';
import type { VietnameseText } from '../text/vietnamese-text.ts';
import type { Classification, IntentClassifier } from './intent-classifier.ts';
import { isProcedureAspect, type IntentName } from './intent-names.ts';
import { extractEntities, type MessageEntity } from './message-entities.ts';
import { stripPersonalDetails } from './personal-details.ts';
import { MIN_NAMING_WORDS, type Mention, type ProcedureMentions } from './procedure-mention.ts';

/** The procedure a message names, as an entity next to the others. */
interface ProcedureEntity {
  type: 'procedure';
  value: string;
  text: string;
  score: number;
}

type ParsedEntity = MessageEntity | ProcedureEntity;

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
  /** Share of the naming words that procedure names or aliases use: administrative words, not chit-chat. */
  knownShare?: number;
  /** 'en' for a message in English (the bot answers in English, pointing to a person). */
  language?: 'vi' | 'en';
}

/** Intents a dossier code does not override: the citizen talks about the dossier, but wants this. */
const DOSSIER_CODE_KEEPS: ReadonlySet<IntentName> = new Set([
  'complaint',
  'human_handoff',
  'online_payment',
  'postal_service',
]);
/** The commonest English words of a question (with "foreign" ones, they tell an English message). */
const ENGLISH_WORDS = new Set(
  'the a an is are am was were be i you my your we our how what where when which who why can could do does did to of for in on with please hello hi need want get apply help this that it me there would like about much many long take'.split(
    ' ',
  ),
);

/** Intents whose message is never read for a procedure: a person asked for. */
const NEVER_NAMES_PROCEDURE: ReadonlySet<IntentName> = new Set(['human_handoff']);
/**
 * Small talk: what the classifier hears a story it was not trained on as, when the story asks about
 * a procedure ("chào chị, …", "…, cảm ơn ad"). Never the center's services: a story may well ask
 * the way, the queue or a refund.
 */
export const MISHEARD_AS: ReadonlySet<IntentName> = new Set(['thanks', 'greeting', 'goodbye', 'feedback_rating']);
/**
 * Intents a message about a procedure is often mistaken for (small talk, "…online", "…qua bưu
 * điện", a complaint without its words): when the message names a procedure clearly, the procedure
 * question wins.
 */
const LOOK_ALIKES: ReadonlySet<IntentName> = new Set([...MISHEARD_AS, 'online_payment', 'postal_service', 'complaint']);
/** Short questions about the center's own services (paying, the post): a procedure named in them is their context, not their question. */
const ASKS_THE_CENTER: ReadonlySet<IntentName> = new Set(['online_payment', 'postal_service']);

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
  administrativeShare: 0.9,
  /** Candidates offered as choices. */
  candidates: 5,
  /**
   * A procedure named by name or alias this well, or by the whole record this well in a message of
   * at least `storyWords` informative words, turns a look-alike intent into a procedure question.
   */
  namedClearly: 0.6,
  recordClearly: 0.3,
  storyWords: 2,
  /** Words (syllables) from which a message is a story rather than a short question. */
  storyLength: 12,
  /** A story's last clause of at least this many words, classified this surely as a procedure question, is what it asks. */
  lastClauseWords: 3,
  lastClauseSure: 0.5,
  /** A name or alias matched this well decides, however short the message. */
  nameSure: 0.85,
  /** A question whose words procedure names and aliases use less than this share of is about something else. */
  unknownTopicShare: 0.8,
  /** The classifier this sure of chit-chat ("thời tiết mai có mưa không") is not overruled by a record. */
  sureChitChat: 0.98,
  /** A procedure question named less clearly than this is chit-chat when the classifier gave chit-chat at least `hesitant`. */
  hesitantClarity: 0.45,
  /** A procedure question weakly named is chit-chat when the classifier gave chit-chat at least this. */
  hesitant: 0.35,
  /** A story the classifier calls out of scope is about a procedure when its record accounts for this share of it. */
  storyRecord: 0.26,
  /**
   * A story the classifier heard as something else (thanks, the center's address) or not at all is
   * about a procedure whose record accounts for this share of it: the finder's own bar for a related
   * record (a higher bar only turned more such stories into no answer on the tuning half).
   */
  misheardStoryRecord: 0.12,
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
    /** The words some intents need before the classifier's guess of them stands (see {@link IntentCues}). */
    private readonly cues: IntentCues = NO_CUES,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async parse(message: string): Promise<ParsedMessage> {
    const text = message.slice(0, PARSE.maxChars);
    const analyzed = this.text.analyze(text);
    const found = extractEntities(text, this.clock());
    const entities: ParsedEntity[] = [...found];
    if (this.looksEnglish(text)) {
      return {
        text: message,
        intent: 'out_of_scope',
        score: 1,
        entities,
        procedure: null,
        candidates: [],
        namingWords: [],
        language: 'en',
      };
    }
    if (analyzed.tokens.length === 0) {
      return {
        text: message,
        intent: 'out_of_scope',
        score: 0,
        entities,
        procedure: null,
        candidates: [],
        namingWords: [],
      };
    }
    // Personal details given in passing ("sđt 0905…, cccd 0561…") say nothing about the question.
    const question = stripPersonalDetails(text, found);
    const classified = this.classifyQuestion(question.trim().length > 0 ? question : text, analyzed.tokens.length);
    let { intent, score } = classified;
    if (entities.some((e) => e.type === 'dossier_code') && !DOSSIER_CODE_KEEPS.has(intent)) {
      return {
        text: message,
        intent: 'dossier_status',
        score: 1,
        entities,
        procedure: null,
        candidates: [],
        namingWords: [],
      };
    }
    // A request for a person names one ("gặp", "cán bộ"…); without a cue it is something else the message asks.
    if (intent === 'human_handoff' && !hasCue(this.cues.handoff, analyzed.folded)) {
      const next = classified.ranking.find((r) => r.intent !== 'human_handoff');
      intent = next?.intent ?? 'procedure_info';
      score = next?.score ?? 0;
    }
    // A complaint says so ("khiếu nại", "đòi tiền", "trễ hẹn"…); without a cue it is something else the message asks.
    // A question about the legal basis names the law ("căn cứ", "nghị định nào"…); a story that only
    // mentions a paper ("văn bản chấp thuận", "văn phòng luật") asks something else.
    // It is still a question about a procedure: the next procedure question ranked, else about it in general.
    if (intent === 'procedure_legal_basis' && !hasCue(this.cues.legalBasis, analyzed.folded)) {
      intent =
        likeliestAspect(classified.ranking.filter((r) => r.intent !== 'procedure_legal_basis'))?.intent ??
        'procedure_info';
    }
    const complains = intent === 'complaint' && hasCue(this.cues.complaint, analyzed.folded);
    const { candidates, namingWords, knownShare } = NEVER_NAMES_PROCEDURE.has(intent)
      ? NO_MENTION
      : this.mentions.read(question, PARSE.candidates);
    const namesSomething = candidates.length > 0 || namingWords.length >= MIN_NAMING_WORDS;
    const named = candidates[0];
    const informative = this.mentions.informativeWords(namingWords);
    // A short message is the classifier's to read; a story (many words) it was not trained on.
    const story = analyzed.tokens.length >= PARSE.storyLength;
    // A story in administrative words with some that say which procedure, in which a record is found:
    // how much that record accounts for decides, below, whether it overrules the classifier.
    const administrativeStory = story && named !== undefined && knownShare >= PARSE.administrativeShare;
    const recordStory = administrativeStory && informative >= PARSE.storyWords;
    // A story the classifier heard nothing in may say what it needs in two-syllable words whose
    // syllables are common alone ("kê biên", "ngoại quan"): those count too.
    const heardNothing = classified.ranking.length === 0 || (intent === 'out_of_scope' && score === 0);
    const unheardStory =
      heardNothing && administrativeStory && this.mentions.informativeWords(namingWords, true) >= PARSE.storyWords;
    // "Đóng thuế đất ở đâu": a place question the classifier reads as the center's, about a procedure named by its name.
    // So is a story in administrative words that a record accounts for well ("tàu chạy tuyến nội địa … phải gửi thông báo ở đâu").
    const asksWhereOfIt =
      intent === 'center_location' &&
      namingWords.length >= MIN_NAMING_WORDS &&
      ((named?.nameScore ?? 0) >= PARSE.namedClearly ||
        (recordStory && !mentionsTheCenter(analyzed.folded) && (named?.relatedness ?? 0) >= PARSE.storyRecord));
    const overrulable =
      story || asksWhereOfIt || (!ASKS_THE_CENTER.has(intent) && (named?.nameScore ?? 0) >= PARSE.nameSure);
    if (
      (LOOK_ALIKES.has(intent) || asksWhereOfIt) &&
      !complains &&
      overrulable &&
      this.namesClearly(named, informative)
    ) {
      // What the message asks of it: where, for a place question; else the likeliest procedure question of the classifier's ranking.
      const aspect = asksWhereOfIt
        ? { intent: 'procedure_where' as const, score }
        : likeliestAspect(classified.ranking);
      intent = aspect?.intent ?? 'procedure_info';
      score = Math.max(aspect?.score ?? 0, clarity(named));
    } else if (intent === 'complaint' && !complains) {
      const next = classified.ranking.find((r) => r.intent !== 'complaint');
      // Nothing else heard: a message in which a procedure is found asks about it ("xin giấy báo tử cho
      // ba tôi mới mất"); how clearly is weighed below, as for any procedure question.
      const asksOfIt = named !== undefined;
      intent = next?.intent ?? (asksOfIt ? 'procedure_info' : 'out_of_scope');
      score = next?.score ?? (asksOfIt ? clarity(named) : 0);
    }
    // A story the classifier, trained on short questions, hears as thanks, a greeting, a rating, or
    // nothing at all, told in administrative words in which a record is found: it asks about a
    // procedure (how clearly, the rules below weigh).
    const misheard = !complains && (classified.ranking.length === 0 || MISHEARD_AS.has(intent));
    if (misheard && (recordStory || unheardStory) && (named?.relatedness ?? 0) >= PARSE.misheardStoryRecord) {
      intent = likeliestAspect(classified.ranking)?.intent ?? 'procedure_info';
      // A rule decided (the contract's 1): how clearly the procedure is named is the dialogue's to
      // weigh (it offers choices below its own bar), not a second "unsure" on top.
      score = 1;
    }
    if (!isProcedureAspect(intent) && intent !== 'complaint' && intent !== 'out_of_scope') {
      return { text: message, intent, score, entities, procedure: null, candidates: [], namingWords, knownShare };
    }
    if (isProcedureAspect(intent) && clarity(named) < PARSE.hesitantClarity && namesSomething) {
      // A question about something no procedure speaks of clearly ("vé cáp treo giá bao nhiêu"), or
      // one the classifier nearly called chit-chat ("giá vàng hôm nay bao nhiêu").
      const chitChat = classified.ranking.find((r) => r.intent === 'out_of_scope')?.score ?? 0;
      if (
        (knownShare < PARSE.unknownTopicShare && clarity(named) < PARSE.recordClearly) ||
        chitChat >= PARSE.hesitant
      ) {
        return {
          text: message,
          intent: 'out_of_scope',
          score: Math.max(chitChat, 1 - knownShare),
          entities,
          procedure: null,
          candidates: [],
          namingWords,
          knownShare,
        };
      }
    }
    if (intent === 'out_of_scope') {
      // A name or alias said plainly, or a story that an administrative record answers well: the
      // classifier, trained on short questions, hears stories about rare procedures as chit-chat.
      const byName = named !== undefined && named.nameScore >= PARSE.strongMention && score < PARSE.weakOutOfScope;
      const byRecord =
        (recordStory || unheardStory) && score < PARSE.sureChitChat && (named?.relatedness ?? 0) >= PARSE.storyRecord;
      if (!byName && !byRecord)
        return { text: message, intent, score, entities, procedure: null, candidates: [], namingWords, knownShare };
      intent = likeliestAspect(classified.ranking)?.intent ?? 'procedure_info';
      score = 1;
    }
    if (named !== undefined)
      entities.push({ type: 'procedure', value: named.code, text: named.name, score: named.score });
    return { text: message, intent, score, entities, procedure: named ?? null, candidates, namingWords, knownShare };
  }

  /**
   * The intent of a message. A story (many words) is told first and asked last ("năm 2012 em đăng
   * ký kết hôn …, giờ giấy mất, em muốn đăng ký lại thì làm sao"): the classifier, trained on short
   * questions, may hear the story as something else only (a queue ticket, thanks, no procedure
   * question in its ranking at all): then its last clause, when that asks about a procedure, says
   * what the story asks.
   */
  private classifyQuestion(message: string, words: number): Classification {
    const whole = this.classifier.classify(message);
    if (likeliestAspect(whole.ranking) !== undefined || words < PARSE.storyLength) return whole;
    const clauses = message
      .split(/[.,;!?\n]+/u)
      .map((c) => c.trim())
      .filter((c) => this.text.analyze(c).tokens.length >= PARSE.lastClauseWords);
    const last = clauses.at(-1);
    if (last === undefined || last === message.trim()) return whole;
    const asked = this.classifier.classify(last);
    return isProcedureAspect(asked.intent) && asked.score >= PARSE.lastClauseSure ? asked : whole;
  }

  /** A short message ("cho xin hotline trung tâm") needs a name or an alias; a story (enough informative words) may name a procedure by its record. */
  private namesClearly(named: FoundProcedure | undefined, informativeWords: number): boolean {
    if (named === undefined) return false;
    return (
      named.nameScore >= PARSE.namedClearly ||
      (informativeWords >= PARSE.storyWords && named.relatedness >= PARSE.recordClearly)
    );
  }

  /**
   * English: no Vietnamese diacritics, most words not Vietnamese syllables ("where", "passport"),
   * and at least two of the commonest English words. Unaccented Vietnamese ("can giay to gi") is
   * made of syllables, so it never looks English.
   */
  private looksEnglish(text: string): boolean {
    if (/[^\p{ASCII}]/u.test(text)) return false;
    const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
    if (words.length < 3) return false;
    const foreign = words.filter((w) => !this.text.isKnownSyllable(w)).length;
    const common = words.filter((w) => ENGLISH_WORDS.has(w)).length;
    return foreign / words.length >= 0.4 && common >= 2;
  }
}

/** The procedure question the classifier ranks highest, if it ranks any. */
function likeliestAspect(
  ranking: readonly { intent: IntentName; score: number }[],
): { intent: IntentName; score: number } | undefined {
  return ranking.find((r) => isProcedureAspect(r.intent));
}

/** Whether a message is in administrative words: most of its naming words are words of procedure names or aliases. */
export function soundsAdministrative(parsed: ParsedMessage): boolean {
  return (parsed.knownShare ?? 0) >= PARSE.unknownTopicShare;
}

/** Whether the classifier heard the message as chit-chat so surely that no record overrules it ("thời tiết mai có mưa không"). */
export function surelyChitChat(parsed: ParsedMessage): boolean {
  return parsed.intent === 'out_of_scope' && parsed.score >= PARSE.sureChitChat;
}

/** "… ra trung tâm thì đi xe buýt số mấy": a story that says "the center" asks about the center. */
function mentionsTheCenter(folded: string): boolean {
  return / (trung tam|hanh chinh cong|mot cua) /u.test(` ${folded} `);
}

/** Whether the folded message has one of the folded cue phrases, as whole words. */
function hasCue(cues: readonly string[], folded: string): boolean {
  const padded = ` ${folded} `;
  return cues.some((cue) => padded.includes(` ${cue} `));
}

/** True when the message names something a procedure could be (a follow-up names nothing). */
export function namesSomething(parsed: ParsedMessage): boolean {
  return parsed.candidates.length > 0 || parsed.namingWords.length >= MIN_NAMING_WORDS;
}

/** The `parse` contract object (CLI and HTTP), without the parser's internal candidates. */
export function parseContract(parsed: ParsedMessage): Omit<ParsedMessage, 'candidates' | 'namingWords' | 'knownShare'> {
  const { text, intent, score, entities, procedure } = parsed;
  return {
    text,
    intent,
    score: round(score),
    entities,
    procedure: procedure && { ...procedure, score: round(procedure.score) },
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Folded phrases some intents need (knowledge/lexicon/*-cues.txt): a complaint says so ("khiếu
 * nại"), a request for a person names one ("gặp", "cán bộ"), a question about the legal basis names
 * the law ("căn cứ", "nghị định nào"). Without them, the classifier's guess of that intent yields to
 * what else the message asks.
 */
export interface IntentCues {
  complaint: readonly string[];
  handoff: readonly string[];
  legalBasis: readonly string[];
}

const NO_CUES: IntentCues = { complaint: [], handoff: [], legalBasis: [] };

/** The cue lists of knowledge/lexicon/, folded. */
export function loadIntentCues(knowledgeDir: string, text: VietnameseText): IntentCues {
  const list = (file: string) => readPhraseList(join(knowledgeDir, 'lexicon', file)).map((cue) => text.fold(cue));
  return {
    complaint: list('complaint-cues.txt'),
    handoff: list('handoff-cues.txt'),
    legalBasis: list('legal-basis-cues.txt'),
  };
}
