import { cleanText } from './catalogue-text.ts';

// ---------------------------------------------------------------------------------------------
// raw_text fallback

/** Section titles of the flattened page, in page order. */
const PAGE_SECTIONS = [
  'Trình Tự Thực Hiện',
  'Cách Thức Thực Hiện',
  'Thành phần hồ sơ',
  'Căn cứ pháp lý',
  'Cơ quan thực hiện',
  'Yêu cầu, điều kiện thực hiện',
  'Kết quả xử lý',
] as const;
type PageSection = (typeof PAGE_SECTIONS)[number];

/**
 * One section of raw_text. Titles are looked up in page order, each after the previous one,
 * because the same words occur inside content ("Miễn phí(Căn cứ pháp lý: Thông tư …)").
 */
function sectionFromRawText(rawText: string, section: PageSection): string {
  const page = cleanText(rawText);
  const starts: number[] = [];
  let from = 0;
  for (const title of PAGE_SECTIONS) {
    const at = page.indexOf(title, from);
    starts.push(at);
    if (at !== -1) from = at + title.length;
  }
  const index = PAGE_SECTIONS.indexOf(section);
  const start = starts[index] ?? -1;
  if (start === -1) return '';
  const end = starts.slice(index + 1).find((at) => at !== -1) ?? page.length;
  return page.slice(start + section.length, end).trim();
}

/**
 * The crawler cut some fields short (or let them run on) where a section title appeared
 * inside the content, so the page text wins when the field is empty, a prefix of it,
 * overruns it, or lacks the table header the page has.
 */
export function fieldOrPage(field: string, rawText: string, section: PageSection, header = ''): string {
  const value = cleanText(field);
  const page = sectionFromRawText(rawText, section);
  if (value === '' || value === '--') return page;
  if (page.length > value.length && page.startsWith(value)) return page;
  if (page !== '' && page.length < value.length && value.startsWith(page)) return page; // ran over
  if (header !== '' && !value.includes(header) && page !== '') return page;
  return field;
}
