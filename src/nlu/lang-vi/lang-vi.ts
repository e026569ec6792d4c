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
  constructor(private readonly text: VietnameseText) {}

  register(container: PluginContainer): void {
    container.use(new NormalizerVi(this.text));
    container.use(new TokenizerVi());
    container.use(new StemmerVi());
    container.use(new StopwordsVi());
  }
}
