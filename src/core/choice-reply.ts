/** Number words a citizen uses to pick an item ("cái thứ hai", "số ba"), folded. */
const NUMBER_WORDS: Record<string, number> = {
  mot: 1,
  nhat: 1,
  hai: 2,
  nhi: 2,
  ba: 3,
  bon: 4,
  tu: 4,
  nam: 5,
  sau: 6,
};
/** Words around a pick that carry nothing ("em chọn cái số 2 nhé"), folded. */
const FILLER = new Set([
  'so',
  'cai',
  'muc',
  'thu',
  'tuc',
  'chon',
  'lay',
  'la',
  'em',
  'toi',
  'minh',
  'anh',
  'chi',
  'a',
  'nha',
  'nhe',
  'nhen',
  'di',
  'oi',
  'ad',
  'vay',
  'thi',
  'phuong',
  'an',
  'y',
  'con',
  'cua',
  'dung',
  'roi',
  'ok',
  'ha',
  'o',
  'phai',
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

/**
 * A numbered choice as a button: its number and its short name. Each channel shows as much of it as
 * fits its buttons (webchat and Zalo 30 characters, Messenger 20) and sends all of it back on a tap;
 * the number decides the pick.
 */
export function choiceButton(index: number, short: string): string {
  return `${index + 1}. ${short}`;
}
