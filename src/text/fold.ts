/**
 * Folding: Vietnamese text without diacritics, the way most citizens type it on a phone.
 * "Đăng ký" and "dang ky" fold to the same string. ASCII letters and digits are never dropped.
 */
const COMBINING_MARKS = /\p{M}/gu;

export function foldDiacritics(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARKS, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');
}
