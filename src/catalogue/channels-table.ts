import { extractActCodes } from './act-codes.ts';
import { cleanText, unique } from './catalogue-text.ts';
import { DURATION_WITH_UNIT, parseDuration } from './durations.ts';
import { extractFeeAmounts } from './fee-amounts.ts';
import { buildFee, readFeeCell, readNote, type FeeCell } from './fee-cell.ts';
import type { ChannelMode, Duration, Fee, SubmissionChannel } from './procedure-record.ts';

// ---------------------------------------------------------------------------------------------
// Submission channels ("Cách thức thực hiện")

const CHANNEL_HEADER = 'Hình thức nộpThời gianPhí, lệ phíMô tả';
const MODES: Record<string, ChannelMode> = {
  'Trực tuyến': 'online',
  'Trực tiếp': 'counter',
  'Dịch vụ bưu chính': 'postal',
};
/*
 * A channel starts where a capitalised mode word is glued to the next cell (a digit or a
 * capital letter). Inside notes and descriptions the same words appear lower-case, or
 * followed by ":" or a space ("Trực tiếp tại …"), which is what keeps them from matching.
 */
const CHANNEL_START = /(Trực tuyến|Trực tiếp|Dịch vụ bưu chính)(?=\s?\d|\p{Lu})/gu;

/** Duration cells that are words rather than numbers. */
const WORDY_DURATION =
  /^(?:Không có thông tin|Không quy định|Không phải trả kết quả cho người nộp thuế|Không(?=\s?(?:Không|Miễn)))/u;
/** Prose durations (1.009824) longer than this are not a duration cell. */
const MAX_PROSE_DURATION = 300;
/** Where the fee cell starts when the duration cell is free prose. */
const FEE_CELL_ANYWHERE = /Miễn phí|Không có thông tin|\d[\d,]* ?(?:Việt Nam Đồng|VNĐ|USD)/u;

interface DurationRead {
  duration: Duration | null;
  length: number;
  /** The duration's digits ran into the fee amount: both are doubtful. */
  fused: boolean;
}

function plainDuration(text: string): DurationRead {
  return { duration: parseDuration(text), length: text.length, fused: false };
}

function readDuration(text: string): DurationRead {
  const withUnit = DURATION_WITH_UNIT.exec(text);
  if (withUnit) return plainDuration(withUnit[0]);
  const glued = /^(\d[\d,]*) ?(?:Việt Nam Đồng|VNĐ|Đồng|USD)/u.exec(text);
  if (glued) return readGluedDuration(glued[1] ?? '');
  const bareOrWordy = /^\d+(?=\D|$)/u.exec(text) ?? WORDY_DURATION.exec(text);
  if (bareOrWordy) return plainDuration(bareOrWordy[0]);
  const feeAt = FEE_CELL_ANYWHERE.exec(text);
  if (feeAt && feeAt.index > 0 && feeAt.index < MAX_PROSE_DURATION) return plainDuration(text.slice(0, feeAt.index));
  return { duration: null, length: 0, fused: false };
}

/**
 * "Trực tuyến140,000 Việt Nam Đồng": a bare-number duration glued to the amount. Only an
 * impossible digit grouping ("1100,000") tells where one ends; otherwise neither is trusted.
 */
function readGluedDuration(digits: string): DurationRead {
  const lead = digits.split(',')[0] ?? '';
  if (digits.includes(',') && lead.length > 3) {
    const cut = lead.length - 3;
    return plainDuration(digits.slice(0, cut));
  }
  return { duration: null, length: 0, fused: true };
}

/**
 * When the note names no amount but the description right after it does ("Miễn phí(a) …:
 * 30.000.000 đồng"), the flattening split the note: the description is read as part of it.
 */
function feeOfChannel(cell: FeeCell, feeText: string, note: string, description: string, fused: boolean): Fee {
  const noteSilent = extractFeeAmounts(note).length === 0;
  if (noteSilent && extractFeeAmounts(description).length > 0) {
    return buildFee(cell, `${feeText} ${description}`, `${note} ${description}`.trim(), fused);
  }
  return buildFee(cell, feeText, note, fused);
}

function parseChannelSegment(mode: ChannelMode, segment: string): SubmissionChannel {
  const body = segment.replace(/^\s/u, '');
  const read = readDuration(body);
  const feeStart = read.length + (/^\s*/u.exec(body.slice(read.length))?.[0].length ?? 0);
  const { cell, length } = readFeeCell(body.slice(feeStart));
  const { note, end } = readNote(body, feeStart + length);
  const description = cleanText(body.slice(end));
  const fee = feeOfChannel(cell, body.slice(feeStart, end), note, description, read.fused);
  return {
    mode,
    duration: read.duration,
    fee,
    description,
    legalReference: unique([...fee.acts, ...extractActCodes(description)]),
  };
}

/** Parses the flattened "Cách thức thực hiện" table into one entry per channel row. */
export function parseChannels(raw: string): SubmissionChannel[] {
  const text = cleanText(raw);
  const body = text.startsWith(CHANNEL_HEADER) ? text.slice(CHANNEL_HEADER.length) : text;
  const starts = [...body.matchAll(CHANNEL_START)];
  return starts.map((m, i) => {
    const from = m.index + m[0].length;
    const to = starts[i + 1]?.index ?? body.length;
    return parseChannelSegment(MODES[m[0]] ?? 'counter', body.slice(from, to));
  });
}
