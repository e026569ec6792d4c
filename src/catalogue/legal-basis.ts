import { findActCodes, type ActMatch } from './act-codes.ts';
import { cleanInline, isNoInfo, tidyItem, unique } from './catalogue-text.ts';
import type { LegalAct } from './procedure-record.ts';

// ---------------------------------------------------------------------------------------------
// Legal basis ("Căn cứ pháp lý")

export const LEGAL_HEADER = 'Tên văn bản pháp lýMã văn bản';

/**
 * A code is the "Mã văn bản" cell when the next title starts right after it; a code that
 * is followed by its own copy, or by ordinary words, belongs to the title.
 */
function isCodeCell(text: string, match: ActMatch, next: ActMatch | undefined): boolean {
  if (next && next.code === match.code && next.start - match.end <= 2) return false;
  const after = text.slice(match.end, match.end + 3);
  if (after === '' || /^[.;,]+$/u.test(after)) return true;
  if (/^[.;,]+[\p{Lu}\d]/u.test(after)) return true; // "…/NĐ-CP.Thông tư …"
  // "… 66.16/2026/NQ-CP Thông tư …" starts a new row; "… 42/2020/TT-BTC QUY ĐỊNH …" does not.
  if (/^[\s,;.:)]/u.test(after)) return /^\s\p{Lu}\p{Ll}/u.test(after);
  return !text.startsWith('ngày', match.end); // "…/TT-BCAngày 01/7/2025": a date, so a title
}

/** A last row whose code lost its issuer ("…của Chính phủ167/2025") keeps what is left. */
function trailingAct(rest: string): LegalAct {
  const bareCode = /(\d{1,4}\/\d{4})$/u.exec(rest);
  if (!bareCode) return { code: '', title: rest };
  const bare = bareCode[1] ?? '';
  const title = tidyItem(rest.slice(0, bareCode.index)) || rest;
  const full = findActCodes(title).find((m) => m.code.startsWith(`${bare}/`));
  return { code: full?.code ?? bare, title };
}

/** Splits "Luật 28/2009/QH1228/2009/QH12Nghị định …05/2012/NĐ-CP" into {title, code} rows. */
export function parseLegalBasis(raw: string): LegalAct[] {
  const text = cleanInline(raw);
  const headerAt = text.indexOf(LEGAL_HEADER);
  const body = headerAt === -1 ? text.replace(/^[:\s]+/u, '') : text.slice(headerAt + LEGAL_HEADER.length);
  if (isNoInfo(body) || body.startsWith('Không có thông tin')) return [];
  const codes = findActCodes(body);
  const acts: LegalAct[] = [];
  let previousEnd = 0;
  codes.forEach((match, i) => {
    if (!isCodeCell(body, match, codes[i + 1])) return;
    const title = tidyItem(body.slice(previousEnd, match.start));
    acts.push({ code: match.code, title: title || match.code });
    previousEnd = match.end;
  });
  const rest = tidyItem(body.slice(previousEnd));
  if (/[\p{L}\d]/u.test(rest) && !isNoInfo(rest)) acts.push(trailingAct(rest));
  return unique(acts, (a) => `${a.code}|${a.title}`);
}
