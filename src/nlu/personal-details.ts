import { extractEntities, type MessageEntity } from './message-entities.ts';

/** The commonest Vietnamese family names: a capitalised run of syllables starting with one is a person's name. */
const FAMILY_NAMES =
  'Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đoàn Lâm Mai Trương Tạ Lưu Châu Cao Tô Hà Quách Thái Trịnh Lương Văn Kiều La Từ Tôn Thân Mạc Lục Nông Triệu Kim Diệp Giang Hứa Khổng Âu Ông';
const FAMILY = FAMILY_NAMES.split(' ');
const UPPER = '[A-ZĐÀ-ỸÂĂÊÔƠƯ]';
const SYLLABLE = `${UPPER}[\\p{Ll}]*`;
/** "Nguyễn Văn Bình", "Trần Thị Mai" (and unaccented "Nguyen Van Binh"): a family name and one to three more capitalised syllables. */
const FULL_NAME = new RegExp(
  `(?<![\\p{L}])(?:${FAMILY.join('|')}|${FAMILY.map((f) => f.normalize('NFD').replace(/\p{M}/gu, '').replace('Đ', 'D')).join('|')})(?:\\s+${SYLLABLE}){1,3}(?![\\p{L}])`,
  'gu',
);
/** A name given after "tên", "tôi là", "em là" ("tên em là mai", "tôi là Bình"): the next one to three words. */
const NAMED_AS =
  /\b(t[êe]n(?:\s+(?:t[ôo]i|em|m[ìi]nh|tui|ch[áa]u|con))?(?:\s+l[àa])?|(?:t[ôo]i|em|m[ìi]nh|tui)\s+l[àa])\s+((?:\p{L}+\s*){1,3})/giu;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/**
 * A citizen's message without what identifies them: phone, ID and dossier numbers, e-mail
 * addresses and names (a family name followed by given names, or words after "tên", "tôi là"),
 * each replaced by what it was ("[số điện thoại]"). For keeping questions staff read later.
 */
export function redactPersonalDetails(text: string): string {
  const spans = extractEntities(text)
    .filter((e) => e.type === 'phone' || e.type === 'citizen_id' || e.type === 'dossier_code')
    .map((e) => ({
      start: e.start,
      end: e.end,
      label: e.type === 'phone' ? '[số điện thoại]' : e.type === 'citizen_id' ? '[số giấy tờ]' : '[mã hồ sơ]',
    }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const s of spans) out = `${out.slice(0, s.start)}${s.label}${out.slice(s.end)}`;
  return out
    .replace(EMAIL, '[email]')
    .replace(FULL_NAME, '[tên]')
    .replace(NAMED_AS, (_m, cue: string) => `${cue} [tên] `)
    .replace(/\d{6,}/g, '[số]')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words that label a phone or ID number typed after them ("sđt", "cccd số"), folded. */
const DETAIL_LABEL =
  /(?:\b(?:s[oố]\s+)?(?:đi[eệ]n\s+tho[aạ]i|đt|dt|sđt|sdt|zalo|cccd|cmnd|c[aă]n\s+c[uư][oớ]c(?:\s+c[oô]ng\s+d[aâ]n)?)(?:\s+(?:c[uủ]a\s+)?(?:em|t[oô]i|m[iì]nh|tui))?(?:\s+(?:l[aà]|s[oố]))?[\s:.,-]*)$/iu;

/**
 * The message without the phone and ID numbers in it, nor the words that label them: what the
 * classifier reads ("sđt 0905…, cccd 0561…" given in passing say nothing about the question).
 */
export function stripPersonalDetails(text: string, entities: readonly MessageEntity[]): string {
  let out = text;
  const details = entities
    .filter((e) => e.type === 'phone' || e.type === 'citizen_id')
    .sort((a, b) => b.start - a.start);
  for (const e of details) {
    const before = out.slice(0, e.start).replace(DETAIL_LABEL, '');
    out = `${before} ${out.slice(e.end)}`;
  }
  return out;
}
