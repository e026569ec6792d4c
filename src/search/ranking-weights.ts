/** The ranking's weights and thresholds, kept together so their balance is visible. */
export const RANKING = {
  /** Share of the query's words (idf-weighted) the name contains. */
  wordCoverage: 0.6,
  /** Share of the query's word pairs the name contains: word order and phrases. */
  pairCoverage: 0.25,
  /** Share of the name the query accounts for: the most specific name wins a tie. */
  nameCoverage: 0.15,
  /** Agreement on the diacritics the citizen did type ("lái" is not "lại"). */
  accentAgreement: 0.1,
  provinceBonus: 0.06,
  communeBonus: 0.04,
  /** An alias code ranked k matches the alias phrase by 1 - k × decay. */
  aliasRankDecay: 0.05,
  /** Staff listed the procedure for a phrase of the query: an edge among names that match alike. */
  aliasBonus: 0.1,
  /** Credit for a query word found in the procedure's field or results but not its name. */
  contextShare: 0.5,
  aliasMeansShare: 0.8,
  /** A name that has the alias's words but not as a phrase ("đóng cửa chi nhánh, công ty con") is a weaker match. */
  aliasLiteralShare: 0.7,
  minWordCoverage: 0.6,
  minPairCoverage: 0.35,
  minScore: 0.7,
} as const;

/** The best raw score a document can reach, so reported scores stay in [0, 1]. */
export const MAX_SCORE =
  RANKING.wordCoverage +
  RANKING.pairCoverage +
  RANKING.nameCoverage +
  RANKING.accentAgreement +
  RANKING.provinceBonus +
  RANKING.aliasBonus;

/** Why a procedure matched a query: each share is in [0, 1]. */
export interface MatchSignals {
  wordCoverage: number;
  /** null when the query has no word pair. */
  pairCoverage: number | null;
  nameCoverage: number;
  accentAgreement: number;
  levelBonus: number;
  /** The procedure is listed by an alias phrase of the query. */
  aliasDoc: boolean;
  /** Its best rank in those aliases' lists (0 = first), or null. */
  aliasRank: number | null;
  /** The query names something staff listed as not in the catalogue, and this name does not have it. */
  notHandled: boolean;
}

/** The reported score in [0, 1]. */
export function score(s: MatchSignals): number {
  const raw =
    RANKING.wordCoverage * s.wordCoverage +
    RANKING.pairCoverage * (s.pairCoverage ?? s.wordCoverage) +
    RANKING.nameCoverage * s.nameCoverage +
    RANKING.accentAgreement * s.accentAgreement +
    s.levelBonus +
    (s.aliasRank === null ? 0 : RANKING.aliasBonus * Math.max(0, 1 - RANKING.aliasRankDecay * s.aliasRank));
  return raw / MAX_SCORE;
}

/**
 * Whether a procedure answers the query at all. A procedure is never offered for something staff
 * listed as not in the catalogue ("giấy phép lao động") unless its name says it, nor for an alias
 * that such a phrase qualifies ("giấy phép kinh doanh lữ hành nội địa"). An alias is otherwise the
 * staff's word that its procedures are meant, so they stay. Others must cover most of the query's
 * words and enough of its pairs.
 */
export function isRelevant(s: MatchSignals): boolean {
  if (s.notHandled) return false;
  if (s.aliasDoc) return true;
  if (s.wordCoverage < RANKING.minWordCoverage) return false;
  if (s.pairCoverage !== null && s.pairCoverage < RANKING.minPairCoverage) return false;
  return score(s) * MAX_SCORE >= RANKING.minScore;
}
