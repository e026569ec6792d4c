/**
 * Short names: what a procedure is called after its first mention, in choices and on buttons. An
 * official name runs to 30–80 words ("Cấp lại chứng chỉ hành nghề môi giới bất động sản (trong
 * trường hợp chứng chỉ bị cháy, bị mất, bị rách …)"); a citizen on a phone needs "Cấp lại chứng chỉ
 * môi giới BĐS (bị mất, hư hỏng)".
 *
 * Made by rules from the official name for all 2,642, overridden by the curated names of the most
 * asked procedures (knowledge/procedure-summaries.json). Every short name is at most
 * {@link SHORT_NAME_MAX} characters and no two procedures share one: a citizen picking from a list
 * must be able to tell them apart.
 */

export const SHORT_NAME_MAX = 60;

/** Scope notes of the portal ("(thực hiện tại cấp tỉnh)") and trailing numbering ("(1)"). */
const SCOPE_NOTE = /\((?:thực hiện )?tại cấp [^)]*\)|\(\s*[\d.]+\s*\)\s*$/giu;
export interface NamedProcedure {
  code: string;
  name: string;
  levels: readonly string[];
}

/** The official name without "Thủ tục", scope notes and doubled spaces, with a capital first letter. */
export function plainName(name: string): string {
  const plain = name
    .replace(/^thủ tục\s+/iu, '')
    .replace(SCOPE_NOTE, ' ')
    .replace(/\s+/gu, ' ')
    .replace(/\s+([,.;:)])/gu, '$1')
    .replace(/[\s.;:,]+$/u, '')
    .trim();
  return plain.charAt(0).toUpperCase() + plain.slice(1);
}

/** Words before which a phrase ends ("… cho người nước ngoài", "… tại Việt Nam"): a name may be cut there. */
const PHRASE_STARTS = new Set([
  'cho',
  'của',
  'đối',
  'tại',
  'theo',
  'thuộc',
  'trong',
  'trên',
  'từ',
  'do',
  'khi',
  'được',
  'để',
  'với',
  'và',
  'hoặc',
  'giữa',
  'trừ',
]);
/** Words a cut name must not end on: they open a phrase that would be left hanging. */
const HANGING = new Set([
  ...PHRASE_STARTS,
  'các',
  'những',
  'một',
  'là',
  'về',
  'bị',
  'có',
  'không',
  'đã',
  'đang',
  'sẽ',
  'nhà',
  'người',
]);

/** Words of a qualifier that tell nothing apart ("trong trường hợp", "đối với"). */
const QUALIFIER_FILLER = new Set([
  'trong',
  'trường',
  'hợp',
  'đối',
  'với',
  'của',
  'cho',
  'các',
  'những',
  'thì',
  'là',
  'được',
  'đã',
  'và',
  'hoặc',
  'theo',
  'tại',
  'thuộc',
]);
const LEVEL_NAMES: Record<string, string> = {
  ministry: 'cấp bộ',
  province: 'cấp tỉnh',
  commune: 'cấp xã',
  other: 'cơ quan khác',
};

/** How often each pair of words ("môi giới", "dữ liệu") follows in the catalogue's names: cutting between them cuts a word. */
export type PairCounts = ReadonlyMap<string, number>;

function countPairs(names: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of names) {
    const words = name.toLowerCase().split(/\s+/u);
    for (let i = 1; i < words.length; i += 1) {
      const pair = `${words[i - 1]} ${words[i]}`;
      counts.set(pair, (counts.get(pair) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * The best start of `text` that fits `max`: before a word that starts a phrase ("cho", "tại",
 * "thuộc" …) or a bracket when one is late enough (never at a comma: names open with lists of verbs, "Cấp, gia hạn, bổ sung …"); else between the two words least often seen
 * together in names, so that "môi giới" or "dữ liệu" is never cut in two.
 */
export function cutAtPhrase(text: string, max: number, pairs: PairCounts = new Map()): string {
  if (text.length <= max) return text;
  const words = text.split(' ');
  let best: { end: number; cost: number } | null = null;
  let end = 0;
  for (let i = 0; i < words.length - 1; i += 1) {
    end += (i === 0 ? 0 : 1) + words[i]!.length;
    if (end > max) break;
    if (end < max * 0.45) continue;
    const last = words[i]!.toLowerCase().replace(/[,;:]$/u, '');
    const next = words[i + 1]!.toLowerCase();
    if (HANGING.has(last) || last.endsWith('(')) continue;
    const phraseEnds = PHRASE_STARTS.has(next) || next.startsWith('(');
    const cost = phraseEnds ? -1 : (pairs.get(`${last} ${next.replace(/[,;:()]/gu, '')}`) ?? 0);
    if (best === null || cost < best.cost || (cost === best.cost && end > best.end)) best = { end, cost };
  }
  const cut = best === null ? text.slice(0, max) : text.slice(0, best.end);
  return cut.replace(/[\s,;:(]+$/u, '');
}

/** Unbalanced brackets left by a cut are closed or dropped: "Cấp lại chứng chỉ (bị mất" → "… (bị mất)". */
function balanced(text: string): string {
  const open = (text.match(/\(/gu) ?? []).length;
  const close = (text.match(/\)/gu) ?? []).length;
  if (open <= close) return text;
  const inside = text.slice(text.lastIndexOf('(') + 1).trim();
  return inside.length >= 3 ? `${text})` : text.slice(0, text.lastIndexOf('(')).trim();
}

function ruleName(name: string, pairs: PairCounts): string {
  return balanced(cutAtPhrase(plainName(name), SHORT_NAME_MAX, pairs));
}

/** The words of `name` that the other names of its group do not all have, in order, filler left out. */
function distinguishing(name: string, others: readonly string[]): string[] {
  const words = plainName(name)
    .toLowerCase()
    .replace(/[(),;:.]/gu, ' ')
    .split(/\s+/u)
    .filter(Boolean);
  const sets = others.map(
    (o) =>
      new Set(
        plainName(o)
          .toLowerCase()
          .replace(/[(),;:.]/gu, ' ')
          .split(/\s+/u),
      ),
  );
  return words.filter((w) => !QUALIFIER_FILLER.has(w) && sets.some((s) => !s.has(w)));
}

/** `head (qualifier)` within the limit: the head is cut at a phrase to leave room for the qualifier. */
function qualified(head: string, qualifier: string, pairs: PairCounts): string {
  const room = SHORT_NAME_MAX - qualifier.length - 3;
  const cutHead = cutAtPhrase(head.replace(/\s*\([^)]*\)?$/u, ''), Math.max(room, 20), pairs);
  return `${cutHead} (${qualifier})`.slice(0, SHORT_NAME_MAX);
}

/**
 * Short names for a catalogue, unique across it: rule names first; procedures whose rule names
 * collide get the words that tell them apart in brackets, then their level, then their code.
 */
export function buildShortNames(
  procedures: readonly NamedProcedure[],
  curated: ReadonlyMap<string, string> = new Map(),
): Map<string, string> {
  const pairs = countPairs(procedures.map((p) => p.name));
  const names = new Map<string, string>();
  for (const p of procedures) names.set(p.code, curated.get(p.code) ?? ruleName(p.name, pairs));
  const byName = (p: NamedProcedure) => names.get(p.code)!.toLowerCase();
  const collisions = () => {
    const groups = new Map<string, NamedProcedure[]>();
    for (const p of procedures) groups.set(byName(p), [...(groups.get(byName(p)) ?? []), p]);
    return [...groups.values()].filter((g) => g.length > 1);
  };
  // A curated name is the staff's word: when it collides, the rule-made names around it move.
  const movable = (p: NamedProcedure) => !curated.has(p.code);
  for (const group of collisions()) {
    const officialNames = group.map((p) => p.name);
    for (const p of group.filter(movable)) {
      const words = distinguishing(
        p.name,
        officialNames.filter((n) => n !== p.name),
      );
      if (words.length === 0) continue;
      let kept: string[] = [];
      for (const w of words) {
        if ([...kept, w].join(' ').length > 28) break;
        kept.push(w);
      }
      while (kept.length > 0 && HANGING.has(kept[kept.length - 1]!)) kept = kept.slice(0, -1);
      if (kept.length > 0) names.set(p.code, qualified(names.get(p.code)!, kept.join(' '), pairs));
    }
  }
  for (const group of collisions()) {
    for (const p of group.filter(movable)) {
      const level = p.levels.map((l) => LEVEL_NAMES[l] ?? l).join(', ');
      if (level.length > 0) names.set(p.code, qualified(names.get(p.code)!, level, pairs));
    }
  }
  for (const group of collisions()) {
    for (const p of group.filter(movable)) names.set(p.code, qualified(names.get(p.code)!, `mã ${p.code}`, pairs));
  }
  return names;
}
