import {
  clarity,
  namesSomething,
  soundsAdministrative,
  surelyChitChat,
  type ParsedMessage,
} from '../nlu/message-parser.ts';
import { FINDER, type ProcedureFinder } from '../search/procedure-finder.ts';
import type { VietnameseText } from '../text/vietnamese-text.ts';
import type { ConversationState, ProcedureRef } from './conversation-state.ts';

/** How clearly a follow-up must name something else to leave the procedure in discussion. */
export const FOLLOW_UP = {
  /**
   * With a procedure in discussion, another one must be named at least this clearly (see
   * `clarity`) to take its place: a follow-up that only shares a common word with some other name
   * ("phí", "giấy", a place) stays with the procedure in discussion.
   */
  switchClarity: 0.45,
  /**
   * A message that names this many informative words the record of the procedure in discussion does
   * not have is a new question ("thời tiết mai có mưa không"), not a follow-up ("răng lâu rứa").
   */
  newQuestionWords: 2,
} as const;

/** Folded words pointing at the procedure in discussion ("cái này phí có cao không", "giấy ni"), with spaces around. */
const POINTERS = [
  ' cai nay ',
  ' cai ni ',
  ' cai no ',
  ' cai do ',
  ' cai ay ',
  ' giay nay ',
  ' giay ni ',
  ' giay do ',
  ' thu tuc nay ',
  ' thu tuc do ',
  ' ho so nay ',
  ' vu nay ',
  ' viec nay ',
];

/**
 * Folded markers of a case of the same thing ("còn nếu giấy phép bị rách thì sao", "nếu là tàu du
 * lịch thì hồ sơ có khác không"), with spaces around: what follows is a detail of the procedure in
 * discussion unless it names another one clearly.
 */
const CASE_MARKERS = [' con neu ', ' neu ', ' con truong hop ', ' truong hop ', ' lo nhu ', ' nhu vay ', ' cung vay '];

/** Folded markers of "and what about X?" ("còn X thì sao", "thế còn X"), with spaces around. */
const SAME_QUESTION_MARKERS = [
  ' thi sao ',
  ' the con ',
  ' vay con ',
  ' con ve ',
  ' thi the nao ',
  ' thi sao a ',
  ' thi ra sao ',
];
const CASE_OR_SAME_QUESTION = [...CASE_MARKERS, ...SAME_QUESTION_MARKERS];

/**
 * How a message relates to the procedure in discussion: a follow-up about it, a detail of a case of
 * it, or a question that names another one clearly enough to leave it. Read from folded words and
 * the search's own scores, never from a list of procedures.
 */
export class FollowUpReading {
  constructor(
    private readonly text: VietnameseText,
    private readonly finder: ProcedureFinder,
    /** Candidates this close to the best are a tie: the dialogue's own margin. */
    private readonly ambiguityMargin: number,
  ) {}

  /**
   * Whether the message names a procedure other than `current` clearly enough to leave it: a
   * specific, strong match (its name or an alias, or most of what the message says), not one word
   * that some other name shares; and not `current` itself among the close candidates.
   */
  private switchesFrom(current: ProcedureRef, parsed: ParsedMessage): boolean {
    const best = parsed.candidates[0];
    if (best === undefined || best.code === current.code) return false;
    // Everything it names, the record in discussion speaks of ("phí thẩm định bao nhiêu", "nhận thẻ
    // mất bao lâu"): a follow-up, however well some other name matches those words, unless it says
    // that other name or an alias of it ("còn gplx quốc tế thì sao").
    const namedSurely = best.nameScore >= FINDER.nameSure || this.namesInFull(parsed.text, best.name);
    if (!namedSurely && this.finder.newWordsFor(current.code, parsed.namingWords) === 0) return false;
    if (clarity(best) < FOLLOW_UP.switchClarity) return false;
    const same = parsed.candidates.find((c) => c.code === current.code || c.name === current.name);
    return same === undefined || same.score < best.score - this.ambiguityMargin;
  }

  /** A message about the procedure in discussion that asks nothing new and names nothing else clearly. */
  isDetail(state: ConversationState, parsed: ParsedMessage): boolean {
    if (
      state.procedure === null ||
      parsed.entities.some((e) => e.type === 'dossier_code') ||
      this.switchesFrom(state.procedure, parsed)
    )
      return false;
    // New words in administrative terms are details of this one ("xe đầu kéo container, đăng ký ở
    // Khánh Hòa"); in other words, something else ("thời tiết mai có mưa không").
    return (!surelyChitChat(parsed) && soundsAdministrative(parsed)) || this.followsUp(state.procedure, parsed);
  }

  /**
   * Whether the message is still about the procedure in discussion: it names nothing else clearly,
   * and what it names, if anything, is what that procedure's record speaks of.
   */
  staysWith(state: ConversationState, parsed: ParsedMessage): boolean {
    return (
      state.procedure !== null && !this.switchesFrom(state.procedure, parsed) && this.followsUp(state.procedure, parsed)
    );
  }

  /** Of a message that names no other procedure clearly: whether it follows up on `current` rather than asking something new. */
  private followsUp(current: ProcedureRef, parsed: ParsedMessage): boolean {
    if (this.namesNothing(parsed) || this.pointsAtIt(parsed.text) || this.asksOfACase(parsed.text)) return true;
    return this.finder.newWordsFor(current.code, parsed.namingWords) < FOLLOW_UP.newQuestionWords;
  }

  /** "Còn nếu … thì sao", "… cũng vậy hả": a case of the procedure in discussion, or the same question of it. */
  private asksOfACase(message: string): boolean {
    return this.hasMarker(message, CASE_OR_SAME_QUESTION);
  }

  /** "Cái này phí có cao không", "giấy ni": the message points at the procedure in discussion. */
  private pointsAtIt(message: string): boolean {
    return this.hasMarker(message, POINTERS);
  }

  /** Whether the message's folded words hold one of the markers (folded words, spaces around). */
  private hasMarker(message: string, markers: readonly string[]): boolean {
    const folded = ` ${this.text.analyze(message).tokens.join(' ')} `;
    return markers.some((marker) => folded.includes(marker));
  }

  /** True when the message, without what it asks, names nothing (a follow-up: "phí bao nhiêu?"). */
  namesNothing(parsed: ParsedMessage): boolean {
    return !namesSomething(parsed);
  }

  /** "Còn X thì sao?", "thế còn X?": the same question as before, about something else. */
  asksTheSameOf(message: string): boolean {
    return this.hasMarker(message, SAME_QUESTION_MARKERS);
  }

  /** True when every one of `words` (folded) is a word of the procedure's name. */
  namesWordsOf(words: readonly string[], name: string): boolean {
    const nameWords = new Set(this.text.analyze(name).tokens);
    return words.every((w) => nameWords.has(w));
  }

  /** True when every word of the procedure's name (but "thủ tục") is in the message. */
  namesInFull(message: string, name: string): boolean {
    const typed = new Set(this.text.analyze(message).tokens);
    const words = this.text.analyze(name).tokens;
    const start = words[0] === 'thu' && words[1] === 'tuc' ? 2 : 0;
    return words.length > start && words.slice(start).every((w) => typed.has(w));
  }
}
