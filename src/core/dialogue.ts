import type { ProcedureCatalog } from '../catalogue/procedure-catalog.ts';
import { isProcedureAspect, type IntentName, type ProcedureAspect } from '../nlu/intent-names.ts';
import {
  clarity,
  MISHEARD_AS,
  namesSomething,
  soundsAdministrative,
  type ParsedMessage,
} from '../nlu/message-parser.ts';
import type { ProcedureHit } from '../search/procedure-hit.ts';
import type { ProcedureFinder } from '../search/procedure-finder.ts';
import type { VietnameseText } from '../text/vietnamese-text.ts';
import { CenterAnswers, isCenterIntent } from './answers/center-answers.ts';
import { vietnamDate } from '../shared/vietnam-time.ts';
import { keptForm } from './address-form.ts';
import type { MoreKind, ProcedureAnswers } from './answers/procedure-answers.ts';
import { choiceButton, choiceIndex } from './choice-reply.ts';
import { FOLLOW_UP, FollowUpReading } from './follow-up-reading.ts';
import type { ConversationState, ProcedureRef } from './conversation-state.ts';
import type { ReplyTexts } from './reply-texts.ts';
import type { Reply } from './reply.ts';

/** The outcome of one turn: the new state, what to say, and what the turn was about. */
export interface TurnOutcome {
  state: ConversationState;
  replies: Reply[];
  intent: IntentName;
  /** The procedure the answer is about (named now or taken from the context), or null. */
  procedure: string | null;
  /** For logs and the handoff: answered, asked back, or could not help. */
  outcome: 'answered' | 'clarifying' | 'failed';
  /** Set when the question went unanswered, and how: kept for staff (see UnansweredLog). */
  unanswered?: 'not_found' | 'choices' | 'declined' | 'unsure';
}

const DIALOGUE = {
  /** Below this classifier confidence the bot does not act on its guess. */
  unsureScore: 0.45,
  /** Small talk heard this surely is small talk, even in a message that names things ("cảm ơn, để em chuẩn bị hồ sơ"). */
  sureSmallTalk: 0.9,
  /** Failed turns in a row after which a person is offered. */
  failedTurnsBeforeOffer: 2,
  /** Candidates this close to the best are offered as choices, not silently decided. */
  ambiguityMargin: 0.03,
  maxChoices: 5,
  /** Below this clarity the bot offers the likeliest procedures to pick from instead of answering one. */
  answerClarity: 0.2,
  unsureChoices: 3,
} as const;

/** Aspects whose answer is a list (papers, steps, conditions, acts): not repeated for a detail. */
const LONG_ANSWERS: ReadonlySet<ProcedureAspect> = new Set([
  'procedure_documents',
  'procedure_steps',
  'procedure_conditions',
  'procedure_legal_basis',
]);

export interface DialogueParts {
  catalog: ProcedureCatalog;
  finder: ProcedureFinder;
  text: VietnameseText;
  texts: ReplyTexts;
  center: CenterAnswers;
  /** Plain answers about a procedure from its record (built by the composition root: the eval reads them too). */
  answers: ProcedureAnswers;
  shortNames: ReadonlyMap<string, string>;
  /** The time of the turn: fees in force are those of its day. */
  clock: () => number;
}

/**
 * The bot's policy, channel-free and side-effect-free: (state, parsed message) → (new state,
 * replies). Pure so that a turn can be re-run on fresh state after a storage conflict.
 */
export class Dialogue {
  private readonly procedures: ProcedureAnswers;
  private readonly followUps: FollowUpReading;

  constructor(private readonly parts: DialogueParts) {
    this.procedures = parts.answers;
    this.followUps = new FollowUpReading(parts.text, parts.finder, DIALOGUE.ambiguityMargin);
  }

  /** What a citizen who has just opened the chat (or followed the OA) is told: the greeting and the top tasks. */
  welcome(): Reply[] {
    const t = this.parts.texts;
    return [{ text: t.say('greeting', { center: this.parts.center.value('name.vi') }), suggestedActions: t.topTasks }];
  }

  respond(previous: ConversationState, parsed: ParsedMessage): TurnOutcome {
    const state: ConversationState = {
      ...previous,
      turns: previous.turns + 1,
      address: keptForm(previous.address, parsed.text),
    };
    if (parsed.language === 'en') {
      const text = this.parts.texts.say('english', { hotline: this.parts.center.value('hotline') });
      return {
        state: { ...state, lastIntent: 'out_of_scope' },
        replies: [{ text, suggestedActions: ['Gặp cán bộ'] }],
        intent: 'out_of_scope',
        procedure: null,
        outcome: 'answered',
        unanswered: 'declined',
      };
    }
    const more =
      state.procedure === null ? undefined : this.parts.texts.moreKind(parsed.text, (s) => this.parts.text.fold(s));
    if (more !== undefined) return this.answerMore(state, state.procedure!, more);
    const picked = this.pickedChoice(state, parsed);
    if (picked !== null) return this.answerProcedure(state, picked, state.pendingAspect ?? 'procedure_info');
    const cleared: ConversationState = { ...state, choices: [] };
    const button = this.parts.texts.buttonIntent(parsed.text, (s) => this.parts.text.fold(s));
    const intent = button ?? parsed.intent;
    const sure = button !== undefined || parsed.score >= DIALOGUE.unsureScore;
    // A detail given about the procedure in discussion ("nhà chú ở Vạn Ninh", "cty em ở Nha Trang,
    // nhà thầu bên Hàn Quốc"): the classifier hears no question, or small talk in a message that
    // names things, but the citizen is still on the same procedure.
    const heardNoQuestion =
      intent === 'out_of_scope' ||
      !sure ||
      (MISHEARD_AS.has(intent) &&
        namesSomething(parsed) &&
        soundsAdministrative(parsed) &&
        parsed.score < DIALOGUE.sureSmallTalk);
    if (button === undefined && heardNoQuestion && this.followUps.isDetail(cleared, parsed)) {
      return this.answerProcedure(cleared, cleared.procedure!, this.aspectForDetail(cleared));
    }
    if (!sure) return this.unsure(cleared, parsed);
    // Choices were offered and the citizen asks something of "it" without picking ("cần mang theo gì"):
    // the same choices again, for that question, rather than "which procedure?" from scratch.
    if (
      isProcedureAspect(intent) &&
      intent !== 'procedure_info' &&
      state.procedure === null &&
      state.choices.length > 0 &&
      this.followUps.namesNothing(parsed)
    ) {
      return this.reofferChoices(state, intent);
    }
    if (isProcedureAspect(intent)) return this.aboutProcedure(cleared, intent, parsed);
    return this.other(cleared, intent, parsed);
  }

  private aboutProcedure(state: ConversationState, asked: ProcedureAspect, parsed: ParsedMessage): TurnOutcome {
    const aspect = this.aspectMeant(state, asked, parsed);
    // "Làm lại cần gì" about «Cấp lại giấy phép lái xe»: every naming word is the context's own.
    if (
      state.procedure !== null &&
      parsed.namingWords.length > 0 &&
      this.followUps.namesWordsOf(parsed.namingWords, state.procedure.name)
    ) {
      return this.answerProcedure(state, state.procedure, aspect);
    }
    // A follow-up stays with the procedure in discussion unless it clearly names another one, or names something its record does not speak of.
    if (this.followUps.staysWith(state, parsed)) return this.answerProcedure(state, state.procedure!, aspect);
    const named = distinctByName(parsed.candidates);
    const best = named[0];
    if (
      best !== undefined &&
      clarity(best) < DIALOGUE.answerClarity &&
      !this.followUps.namesInFull(parsed.text, best.name)
    ) {
      // Related, but not clearly any one of them: the likeliest few, to pick from, rather than a guess.
      return this.offerChoices(state, named.slice(0, DIALOGUE.unsureChoices), aspect);
    }
    if (best !== undefined) {
      // Named only fairly clearly: the likeliest few stay on offer beside the answer, to switch to.
      const close =
        clarity(best) < FOLLOW_UP.switchClarity
          ? named.slice(0, DIALOGUE.unsureChoices)
          : named.filter((c) => c.score >= best.score - DIALOGUE.ambiguityMargin).slice(0, DIALOGUE.maxChoices);
      // A name typed in full ("đăng ký khai sinh") is that procedure, not its longer cousins.
      const typedInFull = close.filter((c) => this.followUps.namesInFull(parsed.text, c.name));
      const chosen = typedInFull.length === 1 ? typedInFull[0]! : best;
      const answered = this.answerProcedure(state, ref(chosen), aspect);
      if (close.length < 2 || typedInFull.length === 1 || answered.outcome !== 'answered') return answered;
      // Close matches: answer the likeliest now, and offer all of them (it first) to switch by number.
      const choices = [chosen, ...close.filter((c) => c.code !== chosen.code)].map(ref);
      return {
        ...answered,
        state: { ...answered.state, choices, pendingAspect: aspect },
        replies: [...answered.replies, this.choiceReply('other_choices', choices)],
      };
    }
    if (state.procedure !== null && this.followUps.namesNothing(parsed))
      return this.answerProcedure(state, state.procedure, aspect);
    if (!this.followUps.namesNothing(parsed)) {
      return {
        ...this.failed(state, aspect, [
          { text: this.notFound(), suggestedActions: this.withPerson(this.parts.texts.popularProcedures) },
        ]),
        unanswered: 'not_found',
      };
    }
    const question = this.parts.texts.say('ask_procedure', { aspect: this.parts.texts.aspectName(aspect) });
    return {
      state: { ...state, pendingAspect: aspect, lastIntent: aspect },
      replies: [{ text: question, suggestedActions: this.parts.texts.popularProcedures }],
      intent: aspect,
      procedure: null,
      outcome: 'clarifying',
    };
  }

  private answerProcedure(state: ConversationState, procedure: ProcedureRef, aspect: ProcedureAspect): TurnOutcome {
    const record = this.parts.catalog.get(procedure.code);
    if (record === undefined)
      return this.failed(state, aspect, [{ text: this.notFound(), suggestedActions: ['Gặp cán bộ'] }]);
    const firstMention = state.procedure?.code !== procedure.code;
    return {
      state: { ...state, procedure, choices: [], pendingAspect: null, failedTurns: 0, lastIntent: aspect },
      replies: this.procedures.answer(record, aspect, { day: vietnamDate(new Date(this.parts.clock())), firstMention }),
      intent: aspect,
      procedure: procedure.code,
      outcome: 'answered',
    };
  }

  /** "Xem đủ các bước", "Xem đủ giấy tờ": the full list behind a shortened answer. */
  private answerMore(state: ConversationState, procedure: ProcedureRef, kind: MoreKind): TurnOutcome {
    const record = this.parts.catalog.get(procedure.code);
    const aspect = kind === 'steps' ? 'procedure_steps' : 'procedure_documents';
    if (record === undefined)
      return this.failed(state, aspect, [{ text: this.notFound(), suggestedActions: ['Gặp cán bộ'] }]);
    return {
      state: { ...state, choices: [], pendingAspect: null, failedTurns: 0, lastIntent: aspect },
      replies: this.procedures.more(record, kind),
      intent: aspect,
      procedure: procedure.code,
      outcome: 'answered',
    };
  }

  /** A procedure's short name (curated, else made by rules: see short-names.ts). */
  private shortName(code: string): string {
    return (
      this.parts.shortNames.get(code) ??
      this.parts.catalog.summaries[this.parts.catalog.indexOf(code) ?? -1]?.name ??
      code
    );
  }

  /** The choices on offer, again, for the aspect now asked: a pick answers it. */
  private reofferChoices(state: ConversationState, aspect: ProcedureAspect): TurnOutcome {
    return {
      state: { ...state, pendingAspect: aspect, lastIntent: aspect },
      replies: [this.choiceReply('choose_for_aspect', state.choices, { aspect: this.parts.texts.aspectName(aspect) })],
      intent: aspect,
      procedure: null,
      outcome: 'clarifying',
    };
  }

  /** An unsure turn that names possible procedures: they are offered, numbered, to pick from. */
  private offerChoices(
    state: ConversationState,
    candidates: readonly ProcedureHit[],
    aspect: ProcedureAspect,
  ): TurnOutcome {
    const choices = candidates.map(ref);
    return {
      state: { ...state, choices, pendingAspect: aspect, lastIntent: aspect, failedTurns: state.failedTurns + 1 },
      replies: [this.choiceReply('unsure_choices', choices)],
      intent: aspect,
      procedure: null,
      outcome: 'failed',
      unanswered: 'choices',
    };
  }

  /** Numbered procedures to pick from, as text (short names) and as buttons (shorter still). */
  private choiceReply(
    key: 'other_choices' | 'unsure_choices' | 'choose_for_aspect',
    choices: readonly ProcedureRef[],
    params: Record<string, string> = {},
  ): Reply {
    const numbered = choices.map((c, i) => `${i + 1}. ${this.shortName(c.code)}`);
    return {
      text: `${this.parts.texts.say(key, params)}\n${numbered.join('\n')}`,
      suggestedActions: choices.map((c, i) => choiceButton(i, this.shortName(c.code))),
    };
  }

  /**
   * The aspect a procedure question asks. Naming a procedure right after "which procedure?" answers
   * the question asked before, and "còn X thì sao?" asks of X what was just asked of another one.
   */
  private aspectMeant(state: ConversationState, asked: ProcedureAspect, parsed: ParsedMessage): ProcedureAspect {
    if (asked !== 'procedure_info') return asked;
    if (state.pendingAspect !== null) return state.pendingAspect;
    const last = state.lastIntent ?? '';
    return this.followUps.asksTheSameOf(parsed.text) && isProcedureAspect(last) ? last : asked;
  }

  /** The choice a reply picks: by number ("số 2", "cái thứ hai"), by the button's text, or by naming it. */
  private pickedChoice(state: ConversationState, parsed: ParsedMessage): ProcedureRef | null {
    if (state.choices.length === 0) return null;
    const tokens = this.parts.text.analyze(parsed.text.replace(/^(\d{1,2})\.\s.*$/su, '$1')).tokens;
    const index = choiceIndex(tokens, state.choices.length);
    if (index !== null) return state.choices[index]!;
    const named = parsed.candidates.find((c) => state.choices.some((choice) => choice.code === c.code));
    return named === undefined ? null : ref(named);
  }

  private unsure(state: ConversationState, parsed: ParsedMessage): TurnOutcome {
    // Not sure what was asked: the likeliest few, as when the procedure is found only weakly.
    const candidates = distinctByName(parsed.candidates).slice(0, DIALOGUE.unsureChoices);
    if (state.failedTurns + 1 < DIALOGUE.failedTurnsBeforeOffer && candidates.length > 0) {
      return this.offerChoices(state, candidates, state.pendingAspect ?? 'procedure_info');
    }
    return {
      ...this.failed(state, parsed.intent, [
        { text: this.parts.texts.say('unsure'), suggestedActions: this.parts.texts.topTasks },
      ]),
      unanswered: 'unsure',
    };
  }

  /** A turn the bot could not help with; the second in a row offers a person instead. */
  private failed(state: ConversationState, intent: IntentName, replies: Reply[]): TurnOutcome {
    const failedTurns = state.failedTurns + 1;
    const offer = failedTurns >= DIALOGUE.failedTurnsBeforeOffer;
    return {
      state: { ...state, failedTurns, lastIntent: intent },
      replies: offer
        ? [{ text: this.parts.texts.say('unsure_again'), suggestedActions: ['Gặp cán bộ', 'Không, cảm ơn'] }]
        : replies,
      intent,
      procedure: null,
      outcome: 'failed',
    };
  }

  private other(state: ConversationState, intent: IntentName, parsed: ParsedMessage): TurnOutcome {
    const t = this.parts.texts;
    const center = this.parts.center;
    // The post and payments are asked about the procedure in discussion: the turn is still about it.
    const stillAbout =
      intent === 'postal_service' || intent === 'online_payment' ? (state.procedure?.code ?? null) : null;
    const answered = (replies: Reply[], procedure: string | null = stillAbout): TurnOutcome => ({
      state: {
        ...state,
        failedTurns: intent === 'out_of_scope' ? state.failedTurns : 0,
        lastIntent: intent,
        pendingAspect: null,
      },
      replies,
      intent,
      procedure,
      outcome: 'answered',
    });
    const done = (text: string, buttons: string[], procedure: string | null = null) =>
      answered([{ text, suggestedActions: buttons }], procedure);
    if (isCenterIntent(intent)) {
      return answered(center.answer(intent, this.withPerson(t.topTasks.filter((b) => b !== 'Gặp cán bộ').slice(0, 3))));
    }
    switch (intent) {
      case 'greeting':
        return done(t.say('greeting', { center: center.value('name.vi') }), t.topTasks);
      case 'goodbye':
        return done(t.say('goodbye'), []);
      case 'thanks':
        return done(t.say('thanks'), t.topTasks);
      case 'dossier_status': {
        const code = parsed.entities.find((e) => e.type === 'dossier_code');
        if (code === undefined) return done(t.say('dossier_status_ask_code'), ['Gặp cán bộ']);
        return done(
          t.say('dossier_status_code', {
            code: code.value,
            portal: center.value('online_portals.province') || center.value('online_portals.national'),
          }),
          ['Gặp cán bộ'],
        );
      }
      case 'online_payment':
        return done(t.say('online_payment'), ['Gặp cán bộ']);
      case 'complaint':
        return done(
          t.say('complaint', { anti_harassment: center.value('anti_harassment') }),
          ['Gặp cán bộ'],
          parsed.procedure?.code ?? null,
        );
      case 'human_handoff':
        return done(
          t.say('human_handoff', { hotline: center.value('hotline'), address: center.value('address') }),
          t.topTasks.filter((b) => b !== 'Gặp cán bộ'),
        );
      case 'feedback_rating':
        return done(
          t.say('feedback_rating', {
            survey: center.value('satisfaction_survey'),
            survey_how: center.value('satisfaction_survey_how'),
          }),
          [],
        );
      default:
        return { ...done(t.say('out_of_scope'), t.topTasks), unanswered: 'declined' };
    }
  }

  /**
   * What a detail about the procedure in discussion is answered with: the last aspect asked when
   * its answer is short ("nộp ở đâu" … "nhà ở Cam Ranh"), else the overview card, not the whole
   * list of papers or steps again.
   */
  private aspectForDetail(state: ConversationState): ProcedureAspect {
    const last = state.lastIntent;
    return last !== null && isProcedureAspect(last) && !LONG_ANSWERS.has(last) ? last : 'procedure_info';
  }

  private notFound(): string {
    return this.parts.texts.say('procedure_not_found', { hotline: this.parts.center.value('hotline') });
  }

  private withPerson(buttons: readonly string[]): string[] {
    return [...buttons.filter((b) => b !== 'Gặp cán bộ').slice(0, 5), 'Gặp cán bộ'];
  }
}

function ref(hit: ProcedureHit | ProcedureRef): ProcedureRef {
  return { code: hit.code, name: hit.name };
}

/** One candidate per name: the same procedure at two levels is one choice for a citizen. */
function distinctByName<H extends ProcedureHit>(hits: readonly H[]): H[] {
  const seen = new Set<string>();
  return hits.filter((h) => {
    const key = h.name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
