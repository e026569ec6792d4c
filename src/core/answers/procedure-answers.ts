import { documentChecklist, type ChecklistItem } from '../../catalogue/document-checklist.ts';
import { durationInSteps, firstClause, plainDuration, plainPlace, stepLines } from '../../catalogue/plain-facts.ts';
import type { ProcedureRecord, SubmissionChannel } from '../../catalogue/procedure-record.ts';
import { cutAtPhrase, plainName } from '../../catalogue/short-names.ts';
import type { FeeActs } from '../../knowledge/fee-acts.ts';
import type { ProcedureSummaries } from '../../knowledge/procedure-summaries.ts';
import type { ProcedureAspect } from '../../nlu/intent-names.ts';
import { MESSAGE_BUDGET, packMessages, type Reply } from '../reply.ts';
import { feeAnswer } from './fee-answer.ts';

/** Where the national portal lets a citizen submit online. */
interface OnlinePortal {
  name: string;
  url: string;
}

/** What a "more" button opens: every step, or every paper with the special cases. */
export type MoreKind = 'steps' | 'documents';

export interface AnswerParts {
  portal: OnlinePortal;
  summaries: ProcedureSummaries;
  feeActs: FeeActs;
  /** The short name of a procedure (see short-names.ts). */
  shortName: (code: string) => string;
  hotline: () => string;
  /** The aspect buttons after an answer about `answered`. */
  buttons: (answered: ProcedureAspect) => string[];
  /** The labels of the "more" buttons (knowledge/replies.json). */
  moreButton: (kind: MoreKind) => string;
}

export interface AnswerContext {
  /** The day the answer is given (yyyy-mm-dd, Vietnam): fees whose time has passed are not said. */
  day: string;
  /** The procedure's first mention in the conversation: its full name is said once. */
  firstMention: boolean;
}

/** The first message of an answer stays within a phone's screen; the rest is behind a button. */
const FIRST_MESSAGE_CHARS = MESSAGE_BUDGET;
const MAX_DOCUMENTS = 6;
/** A paper longer than this is a sentence: the overview leaves it to the documents answer. */
const OVERVIEW_PAPER = 80;
const MAX_STEPS = 5;
const MAX_CONDITIONS = 5;
const MAX_ACTS = 5;
/** A full name up to this long is said at the first mention; a longer one is the source page's to show. */
const FULL_NAME_CHARS = 110;

const MODE_NAMES: Record<SubmissionChannel['mode'], string> = {
  counter: 'trực tiếp',
  online: 'trực tuyến',
  postal: 'qua bưu điện',
};

/**
 * Answers about one procedure from its record (and the staff's card of it), in plain words: a
 * checklist of papers, one clear fee, a duration with its unit, a place, at most five steps. Every
 * answer ends with the record's source link; what the record does not say, the answer says it does
 * not, with a person and the hotline.
 */
export class ProcedureAnswers {
  constructor(private readonly parts: AnswerParts) {}

  answer(record: ProcedureRecord, aspect: ProcedureAspect, context: AnswerContext): Reply[] {
    const name = this.nameOf(record, context.firstMention);
    const body = this.compose(record, aspect, name, context);
    return [this.message(body, record, this.parts.buttons(aspect))];
  }

  /** What a "more" button opens, in as many messages as it takes (each within a phone's screen). */
  more(record: ProcedureRecord, kind: MoreKind): Reply[] {
    const name = this.nameOf(record, false);
    const lines = kind === 'steps' ? stepLines(record).map((s, i) => `${i + 1}. ${s}`) : this.allPapers(record);
    const heading = kind === 'steps' ? `Dạ, đủ các bước làm ${name}:` : `Dạ, đủ giấy tờ của ${name}:`;
    const buttons = this.parts.buttons(kind === 'steps' ? 'procedure_steps' : 'procedure_documents');
    return packMessages(
      heading,
      lines,
      `Nguồn: ${record.sourceUrl}`,
      buttons,
      (left) => `Còn ${left} mục nữa, xem đủ ở đường link nguồn dưới đây.`,
    );
  }

  /** Every paper: the common case, then the special cases under their own line. */
  private allPapers(record: ProcedureRecord): string[] {
    const list = documentChecklist(record);
    const special =
      list.special.length > 0 ? ['Trường hợp riêng:', ...list.special.map((d) => `• ${paperLine(d)}`)] : [];
    return [...list.common.map((d) => `• ${paperLine(d)}`), ...special];
  }

  /** «Short name», or at the first mention the full name when it is short enough to read. */
  nameOf(record: ProcedureRecord, firstMention: boolean): string {
    const short = this.parts.shortName(record.code);
    const full = plainName(record.name);
    return firstMention && full.length <= FULL_NAME_CHARS && full.length > short.length ? `«${full}»` : `«${short}»`;
  }

  private compose(record: ProcedureRecord, aspect: ProcedureAspect, name: string, context: AnswerContext): Body {
    const card = this.parts.summaries.get(record.code);
    switch (aspect) {
      case 'procedure_info':
        return this.overview(record, name, context);
      case 'procedure_documents': {
        const list = documentChecklist(record);
        if (list.common.length === 0 && list.special.length === 0) {
          return {
            heading: card
              ? `Dạ, làm ${name} cần mang: ${card.bring}.`
              : `Dạ, danh mục chưa ghi giấy tờ của ${name}. ${this.askOfficer()}`,
            items: [],
          };
        }
        const shown = (list.common.length > 0 ? list.common : list.special).slice(0, MAX_DOCUMENTS);
        const hidden = list.common.length + list.special.length - shown.length;
        return {
          heading: `Dạ, làm ${name} cần mang:`,
          // The record names the form's file; the source page is where it is downloaded.
          items: [
            ...shown.map((d, i) => `${i + 1}. ${paperLine(d)}`),
            ...(shown.some((d) => d.form !== null) ? ['Mẫu đơn, tờ khai: tải ở đường link nguồn dưới đây.'] : []),
          ],
          more:
            hidden > 0
              ? {
                  kind: 'documents',
                  note:
                    list.special.length > 0
                      ? 'Một số trường hợp riêng (như ủy quyền, nộp trực tuyến) cần thêm giấy tờ.'
                      : `Còn ${hidden} giấy tờ nữa.`,
                }
              : undefined,
          overflow: 'documents',
          list: true,
        };
      }
      case 'procedure_fee': {
        const fee = feeAnswer(record, context.day, this.parts.feeActs);
        if (fee.lines.length === 0)
          return { heading: `Dạ, danh mục chưa ghi lệ phí của ${name}. ${this.askOfficer()}`, items: [] };
        const items = fee.lines.length === 1 ? [] : fee.lines.map((l) => `• ${l}`);
        const heading =
          fee.lines.length === 1 ? `Dạ, lệ phí ${name}: ${lowerFirst(fee.lines[0]!)}.` : `Dạ, lệ phí ${name}:`;
        const tail = [fee.stated ? '' : this.askOfficer(), fee.source ? `Nguồn mức thu: ${fee.source}` : ''].filter(
          Boolean,
        );
        return { heading, items: [...items, ...tail] };
      }
      case 'procedure_duration': {
        const lines = this.durationLines(record);
        if (lines.length === 0)
          return {
            heading: card
              ? `Dạ, ${name}: ${lowerFirst(card.time)}.`
              : `Dạ, danh mục chưa ghi rõ thời hạn giải quyết ${name}. ${this.askOfficer()}`,
            items: [],
          };
        if (lines.length === 1)
          return { heading: `Dạ, ${name} mất ${lines[0]} kể từ khi nhận đủ hồ sơ hợp lệ.`, items: [] };
        return { heading: `Dạ, thời hạn giải quyết ${name}:`, items: lines.map((l) => `• ${l}`) };
      }
      case 'procedure_where':
        return {
          heading: `Dạ, ${name} nộp tại: ${card?.where ?? plainPlace(record)}.`,
          items: [`• Cách nộp: ${this.modes(record)}`, this.onlineLine(record)].filter((l) => l !== ''),
        };
      case 'procedure_online': {
        const online = record.channels.find((c) => c.mode === 'online');
        if (online === undefined)
          return {
            heading: `Dạ, theo danh mục, ${name} chưa nộp trực tuyến được. Cách nộp: ${this.modes(record)}.`,
            items: [],
          };
        const duration = online.duration ? plainDuration(online.duration) : null;
        return {
          heading: `Dạ, ${name} nộp trực tuyến được tại ${this.parts.portal.name}: ${this.parts.portal.url}`,
          items: [
            'Vào cổng, tìm đúng tên thủ tục rồi làm theo hướng dẫn.',
            duration ? `• Thời hạn khi nộp trực tuyến: ${duration}` : '',
          ].filter((l) => l !== ''),
        };
      }
      case 'procedure_steps': {
        const steps = stepLines(record);
        if (steps.length === 0)
          return { heading: `Dạ, danh mục chưa ghi các bước của ${name}. ${this.askOfficer()}`, items: [] };
        // In their order: a long first step still comes first (the message keeps what fits, the rest is one tap away).
        const shown = steps.slice(0, MAX_STEPS);
        return {
          heading: `Dạ, các bước làm ${name}:`,
          items: shown.map((s, i) => `${i + 1}. ${s}`),
          more: steps.length > shown.length ? { kind: 'steps', note: '' } : undefined,
          overflow: 'steps',
          list: true,
        };
      }
      case 'procedure_conditions': {
        const conditions = record.conditions
          .map(firstClause)
          .filter((c) => c.length > 0)
          .slice(0, MAX_CONDITIONS);
        const who = record.applicants.length > 0 ? `• Người được làm: ${record.applicants.slice(0, 4).join('; ')}` : '';
        if (conditions.length === 0)
          return { heading: `Dạ, danh mục không ghi điều kiện riêng cho ${name}.`, items: who ? [who] : [] };
        return {
          heading: `Dạ, điều kiện để làm ${name}:`,
          items: [...conditions.map((c) => `• ${c}`), who].filter((l) => l !== ''),
          list: true,
        };
      }
      case 'procedure_legal_basis': {
        const acts = record.legalBasis.slice(0, MAX_ACTS);
        if (acts.length === 0) return { heading: `Dạ, danh mục chưa ghi căn cứ pháp lý của ${name}.`, items: [] };
        return {
          heading: `Dạ, căn cứ pháp lý của ${name}:`,
          items: acts.map(
            (a) =>
              `• ${a.code}${a.title && a.title !== a.code ? `: ${cutAtPhrase(a.title.replace(/\s+/gu, ' '), 120)}` : ''}`,
          ),
          list: true,
        };
      }
    }
  }

  /** The compact card, three lines (bring; fee and time; where and how) and the portal link. */
  private overview(record: ProcedureRecord, name: string, context: AnswerContext): Body {
    const card = this.parts.summaries.get(record.code);
    const fee = feeAnswer(record, context.day, this.parts.feeActs);
    const feeLine =
      fee.stated && fee.lines.length === 1
        ? fee.lines[0]!
        : (card?.pay ?? fee.lines[0] ?? 'danh mục chưa ghi, xin hỏi cán bộ');
    const duration = this.durationLines(record);
    const time =
      card?.time ??
      (duration.length === 1
        ? duration[0]!
        : duration.length > 1
          ? `${duration[0]} (tùy cách nộp)`
          : 'danh mục chưa ghi rõ, xin hỏi cán bộ');
    // What to bring, in a card's words or the first short papers of the checklist (the full list is one tap away).
    const papers = documentChecklist(record).common.filter(
      (d) => d.text.length <= OVERVIEW_PAPER && !d.text.includes('…'),
    );
    const bring =
      card?.bring ??
      papers
        .slice(0, 3)
        .map((d) => d.text)
        .join('; ');
    // Three lines: what to bring; what to pay and how long; where and how. Then the portal.
    const lines = [
      `• Lệ phí: ${withoutFullStop(feeLine)}; thời gian: ${lowerFirst(time)}`,
      // A card's place says how, in its own words.
      `• Nộp tại: ${card?.where ?? `${plainPlace(record)} (${this.modes(record)})`}`,
      this.onlineLine(record),
    ].filter((l) => l !== '');
    const heading = `Dạ, ${name}:`;
    // The card fits a phone's screen: "what to bring" goes first when it does not (the Giấy tờ button answers it).
    const withBring = bring ? [`• Mang theo: ${bring}`, ...lines] : lines;
    const fits = [heading, ...withBring, `Nguồn: ${record.sourceUrl}`].join('\n').length <= FIRST_MESSAGE_CHARS;
    return { heading, items: fits ? withBring : lines };
  }

  /** Durations by channel with their unit; a bare number is no duration (the steps may state it). */
  private durationLines(record: ProcedureRecord): string[] {
    const groups = new Map<string, string[]>();
    for (const c of record.channels) {
      const d = c.duration ? plainDuration(c.duration) : null;
      if (d !== null) groups.set(d, [...(groups.get(d) ?? []), MODE_NAMES[c.mode]]);
    }
    if (groups.size === 0) {
      const stated = durationInSteps(record);
      return stated === null ? [] : [stated];
    }
    if (groups.size === 1) return [...groups.keys()];
    return [...groups].map(([d, modes]) => `Nộp ${[...new Set(modes)].join(', ')}: ${d}`);
  }

  private modes(record: ProcedureRecord): string {
    const names = [...new Set(record.channels.map((c) => MODE_NAMES[c.mode]))];
    return names.length > 0 ? names.join(', ') : 'danh mục chưa ghi';
  }

  private onlineLine(record: ProcedureRecord): string {
    return record.channels.some((c) => c.mode === 'online') ? `• Nộp trực tuyến: ${this.parts.portal.url}` : '';
  }

  private askOfficer(): string {
    return `Anh/chị hỏi cán bộ hoặc gọi đường dây nóng ${this.parts.hotline()} ạ.`;
  }

  /**
   * One message within a phone's screen: heading, items, the source link. Items that do not fit
   * wait behind the "more" button, whole (an item is never cut).
   */
  private message(body: Body, record: ProcedureRecord, buttons: string[]): Reply {
    const footer = `Nguồn: ${record.sourceUrl}`;
    const items = [...body.items];
    let more = body.more;
    const text = () => [body.heading, ...items, more?.note ?? '', footer].filter((l) => l !== '').join('\n');
    // A list is shortened to fit: what is left out is one tap away (its full view) or at the source link.
    let left = 0;
    while (body.list === true && text().length > FIRST_MESSAGE_CHARS && items.length > 1) {
      items.pop();
      left += 1;
      if (body.overflow !== undefined) more ??= { kind: body.overflow, note: '' };
      else more = { kind: undefined, note: `Còn ${left} mục nữa, xem đủ ở đường link nguồn dưới đây.` };
    }
    const moreButton = more?.kind === undefined ? [] : [this.parts.moreButton(more.kind)];
    return { text: text(), suggestedActions: [...moreButton, ...buttons] };
  }
}

interface Body {
  heading: string;
  items: string[];
  /** A line saying what is left out, and the button to it (none: the source link has it). */
  more?: { kind: MoreKind | undefined; note: string };
  /** The full view that items left out of the first message go behind. */
  overflow?: MoreKind;
  /** Items are a list that may be shortened to fit (the rest at the full view or the source); else every line stays. */
  list?: boolean;
}

/** "Tờ khai … (mẫu 01/2025/LLTP) – 1 bản chính". */
function paperLine(d: ChecklistItem): string {
  const form =
    d.form === null
      ? ''
      : ` (mẫu ${d.form.replace(/^mẫu\s*(?:số\s*)?/iu, '').replace(/\.(?:docx?|pdf|xlsx?)$/iu, '')})`;
  return `${d.text}${form}${d.quantity ? ` – ${d.quantity}` : ''}`;
}

/** A fee line ends where the duration starts: no full stop in between. */
function withoutFullStop(s: string): string {
  return s.replace(/[.\s]+$/u, '');
}

function lowerFirst(s: string): string {
  return /^\p{Lu}\p{Ll}/u.test(s) && !/^(?:UBND|HĐND|Thông tư|Nghị định)/u.test(s)
    ? s.charAt(0).toLowerCase() + s.slice(1)
    : s;
}
