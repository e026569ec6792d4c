import { SCOPE_NOTE } from '../search/procedure-search.ts';

/** Number words a citizen uses to pick an item ("cái thứ hai", "số ba"), folded. */
const NUMBER_WORDS: Record<string, number> = {
  mot: 1, nhat: 1, hai: 2, nhi: 2, ba: 3, bon: 4, tu: 4, nam: 5, sau: 6,
};
/** Words around a pick that carry nothing ("em chọn cái số 2 nhé"), folded. */
const FILLER = new Set([
  'so', 'cai', 'muc', 'thu', 'tuc', 'chon', 'lay', 'la', 'em', 'toi', 'minh', 'anh', 'chi', 'a', 'nha', 'nhe',
  'nhen', 'di', 'oi', 'ad', 'vay', 'thi', 'phuong', 'an', 'y', 'con', 'cua', 'dung', 'roi', 'ok', 'ha', 'o', 'phai',
]);

/**
 * The 0-based index of the item a reply picks among `count` offered ones ("2", "số 2", "cái thứ
 * hai", "cái đầu tiên", "cái cuối"), or null when the reply is not a pick. Works on folded tokens.
 */
export function choiceIndex(tokens: readonly string[], count: number): number | null {
  const rest = tokens.filter((t) => !FILLER.has(t));
  if (rest.length === 0 || rest.length > 2) return null;
  const [first, second] = rest as [string, string | undefined];
  let n: number | null = null;
  if (second === undefined && /^\d{1,2}$/.test(first)) n = Number(first);
  else if (second === undefined && first in NUMBER_WORDS) n = NUMBER_WORDS[first]!;
  else if (first === 'dau' && (second === undefined || second === 'tien')) n = 1;
  else if (first === 'cuoi' && (second === undefined || second === 'cung')) n = count;
  if (n === null || n < 1 || n > count) return null;
  return n - 1;
}

/** Longest name a choice shows; a button longer than this squeezes a phone's chat. */
const SHORT_NAME_CHARS = 60;
const BUTTON_CHARS = 40;

/**
 * A procedure's name as a choice shows it: without "Thủ tục" and the scope note, cut at a word
 * boundary. (The official name stays in the answer itself.)
 */
export function shortName(name: string, max = SHORT_NAME_CHARS): string {
  const plain = name
    .replace(/^thủ tục\s+/iu, '')
    .replace(SCOPE_NOTE, ' ')
    .replace(/\s*\(\s*[\d.]+\s*\)\s*$/u, '')
    .replace(/\s+/g, ' ')
    .trim();
  const first = plain.charAt(0).toUpperCase() + plain.slice(1);
  if (first.length <= max) return first;
  const cut = first.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2)).replace(/[,;:\s]+$/u, '')}…`;
}

/** A numbered choice as a button: its number and the start of its short name. */
export function choiceButton(index: number, name: string): string {
  return `${index + 1}. ${shortName(name, BUTTON_CHARS - 3)}`;
}
