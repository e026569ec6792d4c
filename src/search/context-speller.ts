/**
 * Corrects a misspelt word ("khai sin" for "khai sinh", "trít lục" for "trích lục") by its
 * neighbours: among the words that follow the previous word, or precede the next one, in some
 * procedure name, it picks the closest spelling. A word that already pairs with a neighbour is left
 * alone.
 */
export class ContextSpeller {
  private readonly followers = new Map<string, Set<string>>();
  private readonly leaders = new Map<string, Set<string>>();
  /** Sound-alikes by word: the same few thousand syllables come back in every query. */
  private readonly alikes = new Map<string, readonly string[]>();

  constructor(names: ReadonlyArray<readonly string[]>) {
    for (const tokens of names) {
      for (let i = 1; i < tokens.length; i += 1) {
        addTo(this.followers, tokens[i - 1]!, tokens[i]!);
        addTo(this.leaders, tokens[i]!, tokens[i - 1]!);
      }
    }
  }

  /**
   * For a real syllable that pairs with neither neighbour, a sound-alike spelling that does
   * ("tạm chú" → "tru" after "tam"), or null. Only dialect confusions are tried, so a real word of
   * another procedure ("tiêm" is not "kiểm") is never turned into a catalogue word.
   */
  soundAlike(word: string, previous: string | undefined, next: string | undefined): string | null {
    const after = previous === undefined ? undefined : this.followers.get(previous);
    const before = next === undefined ? undefined : this.leaders.get(next);
    if (after?.has(word) || before?.has(word)) return null;
    for (const c of this.soundAlikesOf(word)) if (after?.has(c) || before?.has(c)) return c;
    return null;
  }

  private soundAlikesOf(word: string): readonly string[] {
    let alikes = this.alikes.get(word);
    if (alikes === undefined) {
      // Bounded: junk words must not grow memory without end.
      if (this.alikes.size >= MAX_REMEMBERED_WORDS) this.alikes.clear();
      alikes = soundAlikes(word);
      this.alikes.set(word, alikes);
    }
    return alikes;
  }

  /** The replacement for `word` between `previous` and `next`, or null to keep it. */
  correct(word: string, previous: string | undefined, next: string | undefined): string | null {
    if (word.length < 3 || word.length > 16 || /\d/.test(word)) return null;
    const after = previous === undefined ? undefined : this.followers.get(previous);
    const before = next === undefined ? undefined : this.leaders.get(next);
    if (after?.has(word) || before?.has(word)) return null;
    const maxDistance = word.length <= 3 ? 1 : 2;
    let best = null as { word: string; distance: number; support: number } | null;
    const consider = (candidate: string) => {
      if (Math.abs(candidate.length - word.length) > maxDistance) return;
      const distance = editDistance(word, candidate, maxDistance);
      if (distance > maxDistance) return;
      const support = (after?.has(candidate) ? 1 : 0) + (before?.has(candidate) ? 1 : 0);
      if (best === null || distance < best.distance || (distance === best.distance && support > best.support)) {
        best = { word: candidate, distance, support };
      }
    };
    // Followers first, then leaders that are not followers: the order a union of the two would have.
    if (after) for (const candidate of after) consider(candidate);
    if (before) for (const candidate of before) if (!after?.has(candidate)) consider(candidate);
    return best?.word ?? null;
  }
}

const MAX_REMEMBERED_WORDS = 20_000;

/**
 * Spellings Vietnamese speakers confuse because their dialect sounds them alike: initial ch/tr,
 * s/x, d/gi/r, l/n, v/d; final n/ng/nh, c/t. "tạm chú" is "tạm trú"; "kinh doan" is "kinh doanh".
 */
const ONSET_CONFUSIONS: ReadonlyArray<readonly [string, string]> = [
  ['ch', 'tr'],
  ['s', 'x'],
  ['gi', 'd'],
  ['gi', 'r'],
  ['d', 'r'],
  ['l', 'n'],
  ['v', 'd'],
];
const FINAL_CONFUSIONS: ReadonlyArray<readonly [string, string]> = [
  ['ng', 'n'],
  ['nh', 'n'],
  ['nh', 'ng'],
  ['c', 't'],
];

/** The spellings a folded syllable may have been meant as, by the confusions above. */
export function soundAlikes(word: string): string[] {
  const out = new Set<string>();
  for (const [a, b] of ONSET_CONFUSIONS) {
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      if (word.startsWith(from)) out.add(to + word.slice(from.length));
    }
  }
  for (const [a, b] of FINAL_CONFUSIONS) {
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      if (word.endsWith(from)) out.add(word.slice(0, -from.length) + to);
    }
  }
  out.delete(word);
  return [...out];
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

/** Rows of the edit distance table, reused from call to call (and grown for a longer word). */
let rows: [Int32Array, Int32Array] = [new Int32Array(32), new Int32Array(32)];

/** Levenshtein distance, giving up (returning max + 1) once it must exceed `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (b.length >= rows[0].length) rows = [new Int32Array(b.length + 1), new Int32Array(b.length + 1)];
  let [previous, current] = rows;
  for (let j = 0; j <= b.length; j += 1) previous[j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current[j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}
