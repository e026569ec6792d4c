import type { VietnameseText } from '../../text/vietnamese-text.ts';

/**
 * nlp.js normaliser for Vietnamese (`normalizer-vi`): our text module's folded form, so the NLU
 * and the procedure search agree on what "the same text" is. nlp.js's default normaliser strips
 * combining marks but keeps "đ", so "Đăng ký" and "dang ky" would differ.
 */
export class NormalizerVi {
  readonly name = 'normalizer-vi';

  constructor(private readonly text: VietnameseText) {}

  normalize(text: string): string {
    return this.text.analyze(text).folded;
  }

  run<T extends { text: string }>(input: T): T {
    input.text = this.normalize(input.text);
    return input;
  }
}
