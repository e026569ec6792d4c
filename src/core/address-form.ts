/**
 * How the assistant and the citizen call each other, kept for the whole conversation and taken from
 * the citizen's own words: an elder who writes "bác hỏi cái này … con" is "bác" and the assistant
 * "cháu"; "cho anh hỏi" makes them "anh" and the assistant "em". Until the citizen shows one, the
 * neutral "anh/chị" / "em" of the reply texts stands. The reply texts (knowledge/replies.json) are
 * written in that neutral form; this turns them into the conversation's.
 */
export const ADDRESS_FORMS = ['anh/chị', 'anh', 'chị', 'bác', 'cô', 'chú', 'ông', 'bà'] as const;
export type AddressForm = (typeof ADDRESS_FORMS)[number];

/** What the assistant calls itself for each form: a child to an elder, a younger sibling otherwise. */
const SELF: Record<AddressForm, string> = {
  'anh/chị': 'em',
  anh: 'em',
  chị: 'em',
  bác: 'cháu',
  cô: 'cháu',
  chú: 'cháu',
  ông: 'cháu',
  bà: 'cháu',
};

/** Verbs and words after which a pronoun is the speaker ("bác hỏi", "chú năm nay 66 tuổi", "anh đang ở"). */
const SPEAKER_NEXT =
  'hỏi|hoi|muốn|muon|cần|can|đang|dang|bị|bi|có|co|ở|o|đã|da|mới|moi|định|dinh|tính|tinh|xin|làm|lam|năm|nam|nay|ni|già|gia|không|khong|ko|chưa|chua|đi|di|về|ve|vừa|vua|bán|ban|mua|nộp|nop|thấy|thay';
/** The speaker's own pronoun, accented as typed or not ("bac", "chu"), at a message's start or after "cho", "giúp", "để". */
const SPEAKER = new RegExp(
  `(?:^|[.,!?;]\\s*|(?<!\\p{L})(?:cho|giúp|giùm|để|de|nhà|nha|của|cua)\\s+)(bác|bac|cô|chú|chu|ông|ong|bà|anh|chị|chi)\\s+(?:${SPEAKER_NEXT})(?!\\p{L})`,
  'iu',
);
/** The assistant called a child ("… làm sao con?", "cháu ơi"): the citizen is an elder. */
const CALLS_ASSISTANT_CHILD =
  /(?:(?<!\p{L})(?:con|cháu|chau)\s*(?:ơi|oi)(?!\p{L})|(?<!\p{L})(?:con|cháu|chau)\s*[?!.]*\s*$|(?<!\p{L})(?:nghe|nha|nhé|nhe|hả|ha|hông|hong|không|ko|vậy|vay|rứa|rua|ri|chưa|chua)\s+(?:con|cháu|chau)(?!\p{L}))/iu;

const FOLDED_FORMS: Record<string, AddressForm> = {
  bác: 'bác',
  bac: 'bác',
  cô: 'cô',
  chú: 'chú',
  chu: 'chú',
  ông: 'ông',
  ong: 'ông',
  bà: 'bà',
  anh: 'anh',
  chị: 'chị',
  chi: 'chị',
};

/**
 * The form the citizen shows in a message, or null when it shows none. Unaccented words that are
 * also other words ("co" is "có", "ba" is "ba" the father) only count in the speaker's place.
 */
export function addressFormIn(message: string): AddressForm | null {
  const text = message.normalize('NFC').trim();
  const speaker = SPEAKER.exec(text);
  if (speaker !== null) {
    const word = speaker[1]!.toLowerCase();
    // Bare "co"/"ong"/"ba" are "có", "ông" (bee)… only accented forms are trusted for them.
    if (!['co', 'ong'].includes(word)) return FOLDED_FORMS[word] ?? null;
  }
  if (CALLS_ASSISTANT_CHILD.test(text)) return 'bác';
  return null;
}

/** The form a conversation keeps: the first one the citizen shows stays (one form per conversation). */
export function keptForm(current: AddressForm | null, message: string): AddressForm | null {
  return current ?? addressFormIn(message);
}

/**
 * The reply texts in the conversation's form: "anh/chị" becomes the citizen's form and the
 * assistant's "em" its own ("cháu" to an elder). Only the assistant's "em" is changed: "trẻ em",
 * "anh em", "em bé" in a procedure's words stay.
 */
export function addressed(text: string, shown: AddressForm | null): string {
  // The center's facts say "ông/bà", the replies "anh/chị": one conversation hears one of them.
  const form = shown ?? 'anh/chị';
  const withForm = text
    .replace(
      /(^|[^\p{L}])(A|a)nh\/chị(?!\p{L})/gu,
      (_m, lead: string, a: string) => `${lead}${a === 'A' ? capital(form) : form}`,
    )
    .replace(
      /(^|[^\p{L}])(Ô|ô)ng\/bà(?!\p{L})/gu,
      (_m, lead: string, o: string) => `${lead}${o === 'Ô' ? capital(form) : form}`,
    );
  if (form === 'anh/chị') return withForm;
  const self = SELF[form];
  return withForm.replace(
    /(^|[^\p{L}])(?<!(?:trẻ|Trẻ|anh|chị|con|các) )(E|e)m(?!\p{L})(?! bé)/gu,
    (_m, lead: string, e: string) => `${lead}${e === 'E' ? capital(self) : self}`,
  );
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
