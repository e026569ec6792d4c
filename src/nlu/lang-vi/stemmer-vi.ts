/** nlp.js stemmer for Vietnamese (`stemmer-vi`): an isolating language has nothing to stem. */
export class StemmerVi {
  readonly name = 'stemmer-vi';

  stem(tokens: string[]): string[] {
    return tokens;
  }
}
