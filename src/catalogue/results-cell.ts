import { cleanInline, isNoInfo, tidyItem, unique } from './catalogue-text.ts';

// ---------------------------------------------------------------------------------------------
// Results ("Kết quả xử lý")

/** Site navigation appended after the results on every page. */
const RESULT_FURNITURE = /Từ khóa|Chọn cơ quan thực hiện/u;
/** "Mã: KQ.G01.000199" markers glued to the next result's capitalised first word. */
const RESULT_CODE_MARKER = /\s*Mã:\s*[A-Za-z0-9._-]*?(?=$|\p{Lu}\p{Ll}|\s)/gu;

export function parseResults(raw: string): string[] {
  const text = cleanInline(raw);
  const furniture = RESULT_FURNITURE.exec(text);
  const content = furniture ? text.slice(0, furniture.index) : text;
  return unique(
    content
      .split(RESULT_CODE_MARKER)
      .map((part) => tidyItem(part).replace(/\.$/u, ''))
      .filter((part) => !isNoInfo(part)),
  );
}
