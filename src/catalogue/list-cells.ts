import { cleanInline, cleanText, isNoInfo, tidyItem, unique } from './catalogue-text.ts';
import type { Level } from './procedure-record.ts';

// ---------------------------------------------------------------------------------------------
// Steps, conditions, applicants, levels

/** Splits before "Bước N:" markers that sit mid-line ("… + Bước 2: …"). */
const INLINE_STEP = /\s+(?=(?:[-+•*]\s*)?Bước\s*\d+\s*[:.)-])/u;

/** A list marker on its own ("a)", "1.", "-"), which belongs to the line after it. */
const LONE_MARKER = /^(?:[-+•*]|[a-zđ]\)|\(?[ivx\d]{1,4}[.)]|\d+(?:\.\d+)+\.?)$/iu;
/** "a) …" and "b. …" start list items even though they are lower-case. */
const ENUMERATED = /^[a-zđ]{1,2}[).]\s/u;

/**
 * Lines as the author meant them: the portal keeps hard line breaks from the source
 * documents, so a line starting in lower case continues the previous one.
 */
function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pendingMarker = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (LONE_MARKER.test(line)) {
      pendingMarker = `${pendingMarker}${line} `;
      continue;
    }
    const continues = lines.length > 0 && pendingMarker === '' && /^\p{Ll}/u.test(line) && !ENUMERATED.test(line);
    if (continues) lines[lines.length - 1] = `${lines[lines.length - 1]} ${line}`;
    else lines.push(`${pendingMarker}${line}`);
    pendingMarker = '';
  }
  return lines;
}

/** Splits a line before mid-line "Bước N:" markers, keeping a leading "a)" with its step. */
function splitInlineSteps(line: string): string[] {
  const parts = line.split(INLINE_STEP);
  const first = parts[0] ?? '';
  if (parts.length > 1 && LONE_MARKER.test(first.trim())) return [`${first} ${parts[1] ?? ''}`, ...parts.slice(2)];
  return parts;
}

export function parseSteps(raw: string): string[] {
  return logicalLines(cleanText(raw))
    .flatMap(splitInlineSteps)
    .map(tidyItem)
    .filter((step) => !isNoInfo(step));
}

export function parseConditions(raw: string): string[] {
  const text = cleanText(raw);
  if (isNoInfo(text)) return [];
  return logicalLines(text)
    .map(tidyItem)
    .filter((line) => !isNoInfo(line));
}

/** Commas outside parentheses: "Tổ chức (không bao gồm doanh nghiệp, HTX), Doanh nghiệp". */
function splitTopLevel(text: string, separators: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && separators.includes(ch)) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  return [...parts, current];
}

export function parseApplicants(raw: string): string[] {
  return unique(
    splitTopLevel(cleanInline(raw), ',;')
      .map(tidyItem)
      .filter((item) => !isNoInfo(item)),
  );
}

const LEVELS: Record<string, Level> = {
  'cấp bộ': 'ministry',
  'cấp tỉnh': 'province',
  'cấp xã': 'commune',
};

export function parseLevels(raw: string): Level[] {
  return unique(
    cleanInline(raw)
      .split(',')
      .map((part) => part.trim().toLowerCase())
      .filter((part) => part !== '')
      .map((part) => LEVELS[part] ?? 'other'),
  );
}

// ---------------------------------------------------------------------------------------------
// Agencies

/** "… nộp hồ sơ tại Sở Tư pháp …": the steps are the last place the portal says where to go. */
const SUBMIT_SENTENCE = /(?:nộp|gửi)(?: trực tiếp)?(?: \S+){0,6}? hồ sơ[^.;\n]{0,120}?\s(?:tại|đến|cho|về)\s[^.;\n]+/iu;

export function submitPlaceFromSteps(steps: readonly string[]): string {
  for (const step of steps) {
    const m = SUBMIT_SENTENCE.exec(step);
    if (m) return m[0].trim();
  }
  return '';
}
