import { feeNote, inForce, readFee, upcoming, type FeeReduction, type FeeTerm } from '../../catalogue/fee-terms.ts';
import type { ProcedureRecord, SubmissionChannel } from '../../catalogue/procedure-record.ts';
import type { FeeActs } from '../../knowledge/fee-acts.ts';

/**
 * One clear fee for a procedure on a given day, in plain words: the amount in force with its unit
 * ("135.000 đồng/lần"), a reduction in force with its end date, an upcoming rate with its start
 * date, the amount an act sets when the record only cites the act, or one sentence saying who sets
 * it. Never a quote of the catalogue's cell, never "free" unless the record is.
 */
export interface FeeAnswer {
  /** Lines to show, the main fee first. Channels that share a fee share a line. */
  lines: string[];
  /** Whether the record states a fee we could read (false: the caller offers a person and the hotline). */
  stated: boolean;
  /** A source beyond the record (the act's public page), when an act table row was used. */
  source: string | null;
}

const MODE_NAMES: Record<SubmissionChannel['mode'], string> = {
  counter: 'Nộp trực tiếp',
  online: 'Nộp trực tuyến',
  postal: 'Nộp qua bưu điện',
};
/** Amounts shown per channel: the main fee and the cases the record names most. */
const MAX_TERMS = 6;
/** A label that cites the law ("Đối với các trường hợp quy định tại khoản 2 Điều 24 …") tells a citizen nothing. */
/** A label that only repeats the amount ("50.000đ"). */
const AMOUNT_ONLY = /^[\d.,\s]+(?:đ|đồng|VNĐ|USD)?$/iu;
/** A note that opens by saying nothing is charged. */
const EXEMPT = /^[-+(\s]*(?:miễn(?: lệ)? phí|miễn thu|không thu(?: lệ)? phí)(?!\p{L})/iu;
const LEGAL_LABEL = /khoản \d|điều \d|thông tư|nghị định|luật|quyết định số|\d{1,4}\/\d{4}\//iu;

export function vnd(amount: number): string {
  return `${amount.toLocaleString('de-DE')} đồng`;
}

/** "31/12/2026" from "2026-12-31". */
function vietnameseDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${Number(d)}/${Number(m)}/${y}`;
}

function money(t: FeeTerm, amount = t.amount): string {
  const value = t.currency === 'USD' ? `${String(amount).replace('.', ',')} USD` : vnd(amount);
  return t.per === null ? value : `${value}/${t.per}`;
}

function termLine(t: FeeTerm, reductions: readonly FeeReduction[]): string {
  const until = t.until === null ? '' : ` đến hết ngày ${vietnameseDate(t.until)}`;
  const said = t.label !== '' && !LEGAL_LABEL.test(t.label) && !AMOUNT_ONLY.test(t.label) ? lowerFirst(t.label) : '';
  const label = said !== '' || until !== '' ? ` (${[said, until.trim()].filter(Boolean).join(', ')})` : '';
  const reduction = t.currency === 'VND' ? reductions[0] : undefined;
  if (reduction === undefined) return `${money(t)}${label}`;
  const reduced = Math.round((t.amount * reduction.percent) / 100);
  const reducedUntil = reduction.until === null ? '' : ` đến hết ngày ${vietnameseDate(reduction.until)}`;
  return `${money(t, reduced)}${label} (đang giảm ${100 - reduction.percent}%${reducedUntil}; mức thường ${money(t)})`;
}

interface ChannelFee {
  mode: SubmissionChannel['mode'];
  text: string | null;
  /** The channel's rates all ended: another channel's rate is the one in force. */
  expired: boolean;
  stated: boolean;
}

function channelFee(channel: SubmissionChannel, day: string, acts: FeeActs): ChannelFee & { source: string | null } {
  const reading = readFee(channel.fee);
  const now = reading.terms.filter((t) => inForce(t, day) && !upcoming(t, day));
  const later = reading.terms.filter((t) => upcoming(t, day));
  const reductions = reading.reductions.filter((r) => inForce(r, day) && (!r.onlineOnly || channel.mode === 'online'));
  const base = { mode: channel.mode, expired: false, source: null };
  if (now.length > 0) {
    const shown = ordered(distinctAmounts(now))
      .slice(0, MAX_TERMS)
      .map((t) => termLine(t, reductions));
    const next = later[0];
    if (next !== undefined) shown.push(`từ ngày ${vietnameseDate(next.from!)}: ${money(next)}`);
    return { ...base, text: shown.join('; '), stated: true };
  }
  if (reading.terms.length > 0 && later.length === 0) return { ...base, text: null, expired: true, stated: false };
  if (later.length > 0)
    return { ...base, text: `từ ngày ${vietnameseDate(later[0]!.from!)}: ${money(later[0]!)}`, stated: true };
  const note = feeNote(channel.fee.text);
  const act = acts.find(channel.fee.acts);
  const amountOf = (a: { vnd: number; per: string | null }) => `${vnd(a.vnd)}${a.per ? `/${a.per}` : ''}`;
  // "Miễn lệ phí. Phí cấp bản sao trích lục … theo Thông tư 281/2016": free, and what the extras cost;
  // "Miễn phí(Miễn lệ phí (Thông tư số 47/2019/TT-BTC))": the act is the ground of the exemption.
  if (channel.fee.kind === 'free' || EXEMPT.test(note)) {
    const extras = EXEMPT.test(note)
      ? (act?.amounts ?? []).slice(0, 2).map((a) => `${a.who}: ${amountOf(a)} (theo ${actName(act!.act)})`)
      : [];
    return {
      ...base,
      text: ['miễn phí', ...extras].join('; '),
      stated: true,
      source: extras.length > 0 ? act!.source : null,
    };
  }
  // "Mức lệ phí do HĐND tỉnh quyết định … Phí cấp bản sao trích lục theo Thông tư 281/2016": the
  // council sets the fee; the act's amounts are for what the note says they are for.
  const council = provincialBody(channel.fee.text) ?? act?.delegatesTo ?? null;
  if (council !== null) {
    const extras = (act?.amounts ?? []).slice(0, 2).map((a) => `${a.who}: ${amountOf(a)} (theo ${actName(act!.act)})`);
    return {
      ...base,
      text: [`mức thu do ${council} Khánh Hòa quy định`, ...extras].join('; '),
      stated: false,
      source: extras.length > 0 ? act!.source : null,
    };
  }
  if (act !== undefined && act.amounts.length > 0) {
    // An act's amount not known to hold today is said briefly: the main amount and the commonest reduction.
    const [main, ...rest] = act.amounts.slice(0, act.replacedBy === null ? MAX_TERMS : 2);
    const text = [amountOf(main!), ...rest.map((a) => `${amountOf(a)} (${a.who})`)].join('; ');
    if (act.replacedBy !== null) {
      // The act's amount, said as the act's, not as today's: a later act may have changed it.
      return {
        ...base,
        text: `theo ${actName(act.act)}: ${text}; mức này có thể đã được ${actName(act.replacedBy)} thay đổi`,
        stated: false,
        source: act.source,
      };
    }
    return { ...base, text: `${text} (theo ${actName(act.act)}, ${act.article})`, stated: true, source: act.source };
  }
  if (channel.fee.acts.length > 0)
    return { ...base, text: `mức thu theo ${channel.fee.acts.slice(0, 2).map(actName).join(', ')}`, stated: false };
  // "Theo quy định của Luật phí và lệ phí …": set by the rules on fees, amount not in the record.
  if (channel.fee.kind === 'by_act') return { ...base, text: 'mức thu theo quy định về phí, lệ phí', stated: false };
  return { ...base, text: null, stated: false };
}

/** "Thông tư 244/2016/TT-BTC": an act's code with the kind of act a citizen knows it by. */
function actName(code: string): string {
  const kind = /\/TT(?:LT)?-/u.test(code)
    ? 'Thông tư'
    : /\/NĐ-/u.test(code)
      ? 'Nghị định'
      : /\/NQ-/u.test(code)
        ? 'Nghị quyết'
        : /\/QĐ-/u.test(code)
          ? 'Quyết định'
          : /\/QH\d/u.test(code)
            ? 'Luật'
            : '';
  return kind === '' ? code : `${kind} ${code}`;
}

/** "Mức lệ phí do Hội đồng nhân dân tỉnh … quyết định", "do Ủy ban nhân dân cấp tỉnh quy định": the body that sets it. */
function provincialBody(text: string): string | null {
  if (/hội đồng nhân dân (?:cấp )?tỉnh|HĐND (?:cấp )?tỉnh/iu.test(text)) return 'HĐND tỉnh';
  if (/(?:ủy|uỷ) ban nhân dân (?:cấp )?tỉnh|UBND (?:cấp )?tỉnh/iu.test(text)) return 'UBND tỉnh';
  return null;
}

/** A rate with an end date is today's; the undated one of the same unit holds after it ("sau đó"). */
function ordered(terms: FeeTerm[]): FeeTerm[] {
  return [...terms.filter((t) => t.until !== null), ...terms.filter((t) => t.until === null)];
}

/** The same amount said twice (once per case with the same price) is said once. */
function distinctAmounts(terms: readonly FeeTerm[]): FeeTerm[] {
  const seen = new Set<string>();
  return terms.filter((t) => {
    const key = `${t.amount}|${t.currency}|${t.per}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function feeAnswer(record: Pick<ProcedureRecord, 'channels'>, day: string, acts: FeeActs): FeeAnswer {
  const fees = record.channels.map((c) => channelFee(c, day, acts));
  // A channel whose rates all ended (the online rate of 2023) is not shown when another has one in force.
  const live = fees.some((f) => f.text !== null) ? fees.filter((f) => !f.expired && f.text !== null) : fees;
  const groups = new Map<string, string[]>();
  for (const f of live) if (f.text !== null) groups.set(f.text, [...(groups.get(f.text) ?? []), MODE_NAMES[f.mode]]);
  const lines =
    groups.size === 1
      ? [capital([...groups.keys()][0]!)]
      : [...groups].map(([text, modes]) => `${[...new Set(modes)].join(', ')}: ${text}`);
  return { lines, stated: live.some((f) => f.stated), source: fees.find((f) => f.source !== null)?.source ?? null };
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function lowerFirst(s: string): string {
  return /^\p{Lu}\p{Ll}/u.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}
