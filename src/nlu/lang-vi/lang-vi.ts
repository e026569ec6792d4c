import type { VietnameseText } from '../../text/vietnamese-text.ts';
import { NormalizerVi } from './normalizer-vi.ts';
import { StemmerVi } from './stemmer-vi.ts';
import { StopwordsVi } from './stopwords-vi.ts';
import { TokenizerVi } from './tokenizer-vi.ts';

/** The part of nlp.js's container a language plugin uses. */
export interface PluginContainer {
  use(item: object): string;
  get(name: string): unknown;
}

/**
 * The Vietnamese language plugin for nlp.js, shaped like its own plugins (`@nlpjs/lang-th`):
 * `register(container)` installs `normalizer-vi`, `tokenizer-vi`, `stemmer-vi` and `stopwords-vi`.
 * nlp.js has no Vietnamese of its own, and would otherwise fall back to generic parts.
 */
export class LangVi {
  private readonly normalizer: NormalizerVi;
  private readonly tokenizer = new TokenizerVi();

  constructor(text: VietnameseText) {
    this.normalizer = new NormalizerVi(text);
  }

  register(container: PluginContainer): void {
    container.use(this.normalizer);
    container.use(this.tokenizer);
    container.use(new StemmerVi());
    container.use(new StopwordsVi());
  }

  /** The features nlp.js's pipeline makes of a text with this plugin: normalised, then tokenised (stems and stop words are no-ops). */
  features(text: string): string[] {
    return this.tokenizer.tokenize(this.normalizer.normalize(text));
  }
}
