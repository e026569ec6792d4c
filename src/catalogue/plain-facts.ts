import type { Duration, ProcedureRecord } from './procedure-record.ts';

/**
 * Durations, places and steps in words a citizen can act on. The catalogue writes "05 Ngày làm
 * việc", a bare "1" with no unit, a place cell that is a clause of the steps ("gửi thông báo về tình
 * trạng hồ sơ … bước (ii)"), and steps as paragraphs of legal text. These read the record and say it
 * plainly, or say that the record does not say it; they never guess a number.
 */

/** "5 ngày làm việc", "10 ngày", "8 giờ", "3 tháng"; null for a bare number (no unit is no duration). */
export function plainDuration(d: Duration): string | null {
  const n = (x: number) => String(x).replace('.', ',');
  if (d.workingDays !== null) return d.workingDays === 0 ? 'trong ngày' : `${n(d.workingDays)} ngày làm việc`;
  if (d.days !== null) return `${n(d.days)} ngày`;
  if (d.hours !== null) return `${n(d.hours)} giờ`;
  const months = /^(\d+(?:[.,]\d+)?)\s*tháng/iu.exec(d.text.trim());
  if (months) return `${Number(months[1]!.replace(',', '.'))} tháng`;
  // A duration written in words ("Trong ngày làm việc", "Ngay sau khi nhận đủ hồ sơ"): short ones read as they are.
  if (!/^\d/u.test(d.text.trim()) && /ngày|giờ|tháng/iu.test(d.text) && d.text.length <= 80)
    return lowerFirst(d.text.trim());
  return null;
}

/** A duration the steps state ("trong thời hạn 05 ngày làm việc"), when the table gave none with a unit. */
export function durationInSteps(record: Pick<ProcedureRecord, 'steps'>): string | null {
  for (const step of record.steps) {
    // Only the time to settle the file ("Thời hạn giải quyết: 03 ngày làm việc", "trong thời hạn 05 ngày
    // làm việc kể từ ngày nhận đủ hồ sơ"), not another deadline of the steps.
    const m =
      /thời hạn giải quyết[^.;\d]{0,20}(\d{1,3})\s*(?:\([^)]*\)\s*)?(ngày làm việc|ngày|giờ làm việc|giờ|tháng)/iu.exec(
        step,
      ) ??
      /trong (?:thời hạn|vòng)\s+(?:không quá\s+)?(\d{1,3})\s*(?:\([^)]*\)\s*)?(ngày làm việc|ngày|giờ làm việc|giờ|tháng),? kể từ (?:ngày|khi) (?:nhận|tiếp nhận) (?:đủ |được |đầy đủ )*hồ sơ/iu.exec(
        step,
      );
    if (m) return `${Number(m[1])} ${m[2]!.toLowerCase()}`;
  }
  return null;
}

/** Words a place or agency starts with: what follows names where to go. */
const AGENCY =
  /^(?:tại\s+)?(?:nơi|qua nơi|trực tuyến|trực ban|cán bộ|ủy ban|uỷ ban|ubnd|chủ tịch|sở|phòng|công an|bộ phận|bộ|cục|chi cục|tổng cục|trung tâm|văn phòng|cơ quan|ngân hàng|tòa án|toà án|kho bạc|cảng vụ|ban quản lý|thanh tra|chi nhánh|cơ sở|đại sứ quán|hội đồng|viện|tổ chức|thuế|hải quan|bảo hiểm xã hội|bhxh|cổng dịch vụ công|phòng công chứng|văn phòng công chứng|thừa phát lại|đơn vị|doanh nghiệp|\d+\s+[\p{Lu}])/iu;
const LEVEL_PLACES: Record<string, string> = {
  commune: 'UBND xã, phường nơi cư trú',
  province: 'cơ quan cấp tỉnh (nộp tại Trung tâm Phục vụ hành chính công tỉnh)',
  ministry: 'cơ quan trung ương',
};

/** "nộp hồ sơ … tại", "gửi hồ sơ … đến": what follows is where the file goes. */
const SENT_TO =
  /(?:nộp|gửi|nộp trực tiếp)\s+(?:01\s+bộ\s+)?(?:hồ sơ|đơn|tờ khai|văn bản)[^.;]{0,90}?\s(?:đến|tới|tại|cho|về)\s+/iu;

/** Whether a catalogue cell names a place or agency (not a clause of the steps). */
export function namesAPlace(text: string): boolean {
  return AGENCY.test(text.trim());
}

/**
 * Where to submit, as a place: the record's "where to submit" cell when it names a place or an
 * agency, else the executing agency, else the level that handles it. First clause only.
 */
export function plainPlace(record: Pick<ProcedureRecord, 'agencies' | 'levels'>): string {
  for (const cell of [record.agencies.submitAt, record.agencies.executing, record.agencies.competent]) {
    const clause = firstClause(cell);
    if (clause.length > 0 && namesAPlace(clause)) return upperFirst(clause.replace(/^tại\s+/iu, ''));
    // "gửi hồ sơ … đến Cơ quan đăng ký kinh doanh cấp xã …": the place the file is sent to. Only a
    // file: "gửi thông báo … tới Trung tâm" is the officers' step, not where the citizen goes.
    const sentTo = SENT_TO.exec(clause);
    if (sentTo !== null && namesAPlace(clause.slice(sentTo.index + sentTo[0].length)))
      return upperFirst(clause.slice(sentTo.index + sentTo[0].length));
  }
  const level = record.levels.find((l) => l in LEVEL_PLACES);
  return upperFirst(level === undefined ? 'cơ quan có thẩm quyền' : LEVEL_PLACES[level]!);
}

/** Longest place or step line shown; a longer first clause is shown whole only up to a clause end. */
const MAX_LINE = 180;

/** The text up to its first sentence or clause end, "(sau đây gọi tắt là …)" notes left out. */
export function firstClause(text: string): string {
  const clean = text
    .replace(/\s*\((?:sau đây|gọi tắt|viết tắt)[^)]*\)/giu, '')
    .replace(/\s+/gu, ' ')
    .trim();
  const sentence = /^(.+?)(?:\.\s|;\s|\.$|$)/u.exec(clean)?.[1] ?? clean;
  if (sentence.length <= MAX_LINE) return sentence.replace(/[.;:,\s]+$/u, '');
  // A long sentence is cut where a clause ends (a colon or a comma before a new clause), never mid-clause.
  const colon = sentence.lastIndexOf(':', MAX_LINE);
  if (colon >= 40) return sentence.slice(0, colon).trim();
  const comma = sentence.slice(0, MAX_LINE).search(/,\s(?=(?:sau đó|rồi|và|đồng thời|trường hợp|nếu)\s)/iu);
  return (comma >= 40 ? sentence.slice(0, comma) : sentence).replace(/[.;:,\s]+$/u, '');
}

/** Steps that open with a condition or an enumerated case: details of a step, not a step. */
const CONDITIONAL =
  /^(?:\(?\s*(?:[ivx]{1,4}|[a-zđ]|\d{1,2})\s*\)|[-+•*]|trường hợp|nếu|đối với|riêng|lưu ý|ghi chú|khi nộp|trong trường hợp)/iu;
const STEP_MARK = /^bước\s*\d+\s*[:.)-]?\s*/iu;
/** "Trường hợp đăng ký trực tiếp hoặc qua bưu chính: - Chủ hộ … gửi hồ sơ …": a way of filing, then its first action. */
const CASE_HEADING = /^((?:trường hợp|nếu|đối với)[^:.;]{5,110}):\s*[-+•]?\s*(?=\S)/iu;

/** A step as one line: its first clause, or a way of filing with the first action under it. */
function stepLine(step: string): string {
  const heading = CASE_HEADING.exec(step);
  if (heading === null) return firstClause(step);
  const action = firstClause(step.slice(heading[0].length));
  return `${heading[1]!.trim()}: ${action.charAt(0).toLowerCase()}${action.slice(1)}`;
}

/**
 * The procedure's steps as short lines, one action each: the "Bước N" items when the record numbers
 * them, else the steps that are not cases of another step.
 */
export function stepLines(record: Pick<ProcedureRecord, 'steps'>): string[] {
  const numbered = record.steps.filter((s) => STEP_MARK.test(s.trim()));
  const chosen =
    numbered.length >= 2
      ? numbered
      : record.steps.filter((s) => CASE_HEADING.test(s.trim()) || !CONDITIONAL.test(s.trim()));
  const lines = (chosen.length > 0 ? chosen : record.steps)
    .map((s) => stepLine(s.trim().replace(STEP_MARK, '')))
    .filter((s) => s.length >= 8)
    .map(upperFirst);
  return [...new Set(lines)];
}

function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
