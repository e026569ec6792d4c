import type { Fee, ProcedureRecord, SubmissionChannel } from '../../catalogue/procedure-record.ts';
import type { ProcedureAspect } from '../../nlu/intent-names.ts';
import { clip, packMessages, type Reply } from '../reply.ts';

const MODE_NAMES: Record<SubmissionChannel['mode'], string> = {
  counter: 'Nộp trực tiếp',
  online: 'Nộp trực tuyến',
  postal: 'Nộp qua bưu chính',
};

/** Where the national portal lets a citizen submit online. */
export interface OnlinePortal {
  name: string;
  url: string;
}

/**
 * Composes answers about one procedure from its catalogue record, and from nothing else: every
 * answer quotes the record and ends with its source link. Where the record is silent, the answer
 * says so instead of guessing.
 */
export class ProcedureAnswers {
  constructor(
    private readonly portal: OnlinePortal,
    private readonly buttons: (answered: ProcedureAspect) => string[],
  ) {}

  answer(record: ProcedureRecord, aspect: ProcedureAspect): Reply[] {
    const compose = COMPOSERS[aspect];
    const { heading, items, empty } = compose(record, this.portal);
    const footer = `Nguồn: ${record.sourceUrl}`;
    const more = (left: number) => `… và ${left} mục nữa, anh/chị xem đầy đủ tại nguồn dưới đây.`;
    const body = items.length === 0 ? [empty] : items;
    return packMessages(heading, body, footer, this.buttons(aspect), more);
  }
}

interface Composition {
  heading: string;
  items: string[];
  /** Said when the record has nothing for this aspect. */
  empty: string;
}

type Composer = (record: ProcedureRecord, portal: OnlinePortal) => Composition;

const title = (record: ProcedureRecord) => `«${clip(record.name, 160)}»`;

const COMPOSERS: Record<ProcedureAspect, Composer> = {
  procedure_info: (r, portal) => ({
    heading: `Dạ, thủ tục ${title(r)} (lĩnh vực ${r.field}; ${r.levelsText || 'cấp thực hiện chưa ghi'}):`,
    items: [
      `• Nơi nộp: ${clip(r.agencies.submitAt || r.agencies.executing || 'danh mục chưa ghi', 200)}`,
      `• Cách nộp: ${modes(r)}`,
      `• Thời hạn: ${durationSummary(r)}`,
      `• Lệ phí: ${feeSummary(r)}`,
      r.channels.some((c) => c.mode === 'online') ? `• Nộp trực tuyến tại ${portal.name}: ${portal.url}` : '',
      'Anh/chị muốn xem phần nào, bấm nút bên dưới ạ.',
    ].filter((line) => line.length > 0),
    empty: '',
  }),
  procedure_documents: (r) => ({
    heading: `Dạ, hồ sơ thủ tục ${title(r)} gồm:`,
    items: r.documents.map((d, i) => `${i + 1}. ${clip(d.name, 260)}${d.form ? ` (${clip(d.form, 60)})` : ''}: ${quantity(d)}`),
    empty: 'Danh mục quốc gia chưa ghi thành phần hồ sơ của thủ tục này. Anh/chị vui lòng hỏi cán bộ trước khi đi nộp ạ.',
  }),
  procedure_fee: (r) => ({
    heading: `Dạ, lệ phí thủ tục ${title(r)}:`,
    items: byChannel(r, (c) => feeText(c.fee)),
    empty: 'Danh mục quốc gia chưa ghi lệ phí của thủ tục này. Anh/chị vui lòng hỏi cán bộ ạ.',
  }),
  procedure_duration: (r) => ({
    heading: `Dạ, thời hạn giải quyết thủ tục ${title(r)}:`,
    items: byChannel(r, (c) => (c.duration ? durationText(c.duration) : '')).filter((line) => !line.endsWith(': ')),
    empty: 'Danh mục quốc gia chưa ghi thời hạn giải quyết của thủ tục này. Anh/chị vui lòng hỏi cán bộ ạ.',
  }),
  procedure_where: (r) => ({
    heading: `Dạ, thủ tục ${title(r)}:`,
    items: [
      `• Nơi nộp hồ sơ: ${clip(r.agencies.submitAt || r.agencies.executing || 'danh mục chưa ghi', 300)}`,
      r.agencies.competent ? `• Cơ quan có thẩm quyền quyết định: ${clip(r.agencies.competent, 200)}` : '',
      `• Cách nộp: ${modes(r)}`,
    ].filter((line) => line.length > 0),
    empty: '',
  }),
  procedure_online: (r, portal) => {
    const online = r.channels.find((c) => c.mode === 'online');
    return {
      heading: online
        ? `Dạ, thủ tục ${title(r)} nộp trực tuyến được tại ${portal.name}: ${portal.url}`
        : `Dạ, theo danh mục quốc gia, thủ tục ${title(r)} chưa có hình thức nộp trực tuyến. Anh/chị nộp bằng cách: ${modes(r)}.`,
      items: online
        ? [
            'Anh/chị vào cổng, tìm đúng tên thủ tục và làm theo hướng dẫn trên cổng.',
            online.duration ? `• Thời hạn khi nộp trực tuyến: ${durationText(online.duration)}` : '',
            `• Lệ phí khi nộp trực tuyến: ${feeText(online.fee)}`,
          ].filter((line) => line.length > 0)
        : [],
      empty: '',
    };
  },
  procedure_steps: (r) => ({
    heading: `Dạ, các bước thực hiện thủ tục ${title(r)}:`,
    items: r.steps.map((s) => `• ${clip(s, 300)}`),
    empty: 'Danh mục quốc gia chưa ghi các bước thực hiện của thủ tục này. Anh/chị vui lòng hỏi cán bộ ạ.',
  }),
  procedure_conditions: (r) => ({
    heading: `Dạ, điều kiện thực hiện thủ tục ${title(r)}:`,
    items: [
      ...r.conditions.map((c) => `• ${clip(c, 300)}`),
      r.applicants.length > 0 ? `• Người được làm thủ tục: ${clip(r.applicants.join('; '), 300)}` : '',
    ].filter((line) => line.length > 0),
    empty: 'Danh mục quốc gia không ghi điều kiện riêng cho thủ tục này.',
  }),
  procedure_legal_basis: (r) => ({
    heading: `Dạ, căn cứ pháp lý của thủ tục ${title(r)}:`,
    items: r.legalBasis.map((a) => `• ${a.code}${a.title && a.title !== a.code ? `: ${clip(a.title, 200)}` : ''}`),
    empty: 'Danh mục quốc gia chưa ghi căn cứ pháp lý của thủ tục này.',
  }),
};

function quantity(d: ProcedureRecord['documents'][number]): string {
  const parts = [d.originals > 0 ? `${d.originals} bản chính` : '', d.copies > 0 ? `${d.copies} bản sao` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : clip(d.quantityText || 'số lượng chưa ghi', 60);
}

function modes(r: ProcedureRecord): string {
  const names = [...new Set(r.channels.map((c) => MODE_NAMES[c.mode].toLowerCase()))];
  return names.length > 0 ? names.join(', ') : 'danh mục chưa ghi';
}

/** One line per distinct value, naming the channels that share it ("Nộp trực tiếp, Nộp trực tuyến: …"). */
function byChannel(r: ProcedureRecord, value: (c: SubmissionChannel) => string): string[] {
  const groups = new Map<string, string[]>();
  for (const channel of r.channels) {
    const v = value(channel);
    groups.set(v, [...(groups.get(v) ?? []), MODE_NAMES[channel.mode]]);
  }
  return [...groups].map(([v, names]) => `• ${[...new Set(names)].join(', ')}: ${v}`);
}

function durationText(d: NonNullable<SubmissionChannel['duration']>): string {
  if (d.workingDays !== null || d.days !== null || d.hours !== null) return clip(d.text, 200);
  return `${clip(d.text, 200)} (danh mục ghi như vậy, không nêu đơn vị)`;
}

function durationSummary(r: ProcedureRecord): string {
  const texts = [...new Set(r.channels.flatMap((c) => (c.duration ? [durationText(c.duration)] : [])))];
  return texts.length === 0 ? 'danh mục chưa ghi' : texts.length === 1 ? texts[0]! : `${texts[0]} (tùy cách nộp)`;
}

function feeSummary(r: ProcedureRecord): string {
  const fees = r.channels.map((c) => c.fee);
  if (fees.length === 0) return 'danh mục chưa ghi';
  if (fees.every((f) => f.kind === 'free')) return 'miễn phí';
  const amounts = [...new Set(fees.flatMap((f) => f.amounts.map((a) => a.vnd)))].sort((a, b) => a - b);
  if (amounts.length > 0) return `từ ${vnd(amounts[0]!)} (xem chi tiết ở mục Lệ phí)`;
  const acts = [...new Set(fees.flatMap((f) => f.acts))];
  if (acts.length > 0) return `theo ${acts.join(', ')} (xem mục Lệ phí)`;
  return 'xem mục Lệ phí';
}

/**
 * The fee as the record states it. The portal's fee cell may say "Miễn phí" while its note names an
 * amount, so only a `free` fee is called free; otherwise the note is quoted.
 */
function feeText(fee: Fee): string {
  const note = stated(fee.text);
  switch (fee.kind) {
    case 'free':
      return 'Miễn phí.';
    case 'amounts': {
      // With many amounts (by class, by page…) the quote says which is which; a bare list would not.
      const distinct = [...new Set(fee.amounts.map((a) => a.vnd))];
      const lead = distinct.length <= 2 ? `${distinct.map(vnd).join(' hoặc ')}. ` : '';
      return `${lead}Danh mục ghi: "${clip(note, 320)}"`;
    }
    case 'by_act':
      return fee.acts.length > 0
        ? `Danh mục không ghi số tiền; mức thu theo ${fee.acts.join(', ')}. Danh mục ghi: "${clip(note, 240)}"`
        : `Danh mục không ghi số tiền; mức thu theo quy định về phí, lệ phí. Danh mục ghi: "${clip(note, 240)}"`;
    case 'unknown':
      return note.length > 0 ? `Danh mục ghi: "${clip(note, 240)}" (chưa rõ mức thu, xin hỏi cán bộ)` : 'Danh mục chưa ghi mức thu, xin hỏi cán bộ.';
  }
}

/** The portal's "Miễn phí(<note>)" or "<amount> Việt Nam Đồng(<note>)": the note says what is really charged. */
function stated(text: string): string {
  const m = /^(?:Miễn phí|[\d.,]+ Việt Nam Đồng)\s*\((.*)\)\s*$/su.exec(text.trim());
  return (m?.[1] ?? text).trim();
}

export function vnd(amount: number): string {
  return `${amount.toLocaleString('de-DE')} đồng`;
}
