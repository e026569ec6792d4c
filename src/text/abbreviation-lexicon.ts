import { readJsonFile } from '../shared/line-files.ts';
import { z } from 'zod';
import { foldDiacritics } from './fold.ts';

const ContextRule = z.object({
  nextAny: z.array(z.string()).optional(),
  previousAny: z.array(z.string()).optional(),
  expand: z.string().min(1),
});

const AbbreviationFile = z.object({
  general: z.record(z.string(), z.string().min(1)),
  domain: z.record(z.string(), z.string().min(1)),
  contextual: z.array(z.object({ token: z.string().min(1), rules: z.array(ContextRule).min(1) })),
  emoji: z.record(z.string(), z.string().min(1)),
});
export type AbbreviationFile = z.infer<typeof AbbreviationFile>;

type ContextRule = z.infer<typeof ContextRule>;

/**
 * Abbreviations and teencode ("ko", "dc", "gplx", "lltp") and the emoji we read as words,
 * from knowledge/lexicon/abbreviations.json, which staff can edit.
 *
 * @remarks
 * Keys are matched against a token with only "đ" folded ("đc" = "dc"), never against a fully
 * folded token: "hồng" in "sổ hồng" must not be read as the teencode "hong" (= "không").
 */
export class AbbreviationLexicon {
  private readonly fixed: ReadonlyMap<string, string>;
  private readonly contextual: ReadonlyMap<string, readonly ContextRule[]>;
  readonly emoji: ReadonlyMap<string, string>;

  constructor(file: AbbreviationFile, canonical: (text: string) => string) {
    const fixed = new Map<string, string>();
    for (const [key, value] of Object.entries({ ...file.general, ...file.domain })) {
      fixed.set(key, canonical(value));
    }
    this.fixed = fixed;
    this.contextual = new Map(
      file.contextual.map((entry) => [
        entry.token,
        entry.rules.map((rule) => ({ ...rule, expand: canonical(rule.expand) })),
      ]),
    );
    this.emoji = new Map(Object.entries(file.emoji).map(([k, v]) => [k.normalize('NFC'), canonical(v)]));
    this.assertNoExpansionIsAKey();
  }

  static fromFile(path: string, canonical: (text: string) => string): AbbreviationLexicon {
    return new AbbreviationLexicon(readJsonFile(path, AbbreviationFile), canonical);
  }

  /** The expansion of `token` given its neighbours (already lower-case), or null. */
  expand(token: string, previous: string | undefined, next: string | undefined): string | null {
    const key = token.replace(/đ/g, 'd');
    const rules = this.contextual.get(key);
    if (rules) return chooseRule(rules, fold(previous), fold(next));
    return this.fixed.get(key) ?? null;
  }

  /** An expansion that is itself a key would make normalisation non-idempotent ("a" → "b c", "b" → …). */
  private assertNoExpansionIsAKey(): void {
    const expansions = [...this.fixed.values(), ...[...this.contextual.values()].flat().map((r) => r.expand)];
    for (const expansion of expansions) {
      for (const word of expansion.split(' ')) {
        if (word !== expansion && (this.fixed.has(word) || this.contextual.has(word))) {
          throw new Error(`Abbreviation expansion "${expansion}" contains the key "${word}"`);
        }
        if (word === expansion && this.contextual.has(word)) {
          throw new Error(`Abbreviation expansion "${expansion}" is itself a contextual key`);
        }
      }
    }
  }
}

function fold(token: string | undefined): string | undefined {
  return token === undefined ? undefined : foldDiacritics(token);
}

function chooseRule(rules: readonly ContextRule[], previous?: string, next?: string): string | null {
  for (const rule of rules) {
    const wantsNext = rule.nextAny !== undefined;
    const wantsPrevious = rule.previousAny !== undefined;
    if (wantsNext && next !== undefined && rule.nextAny!.includes(next)) return rule.expand;
    if (wantsPrevious && previous !== undefined && rule.previousAny!.includes(previous)) return rule.expand;
    if (!wantsNext && !wantsPrevious) return rule.expand;
  }
  return null;
}
