/**
 * nlp.js stop-word remover for Vietnamese (`stopwords-vi`). It removes nothing: the polite particles
 * ("ạ", "dạ") and question words ("gì", "đâu", "nào") are exactly what tells intents apart, and
 * nlp.js only calls it when `keepStopwords` is false.
 */
export class StopwordsVi {
  readonly name = 'stopwords-vi';

  removeStopwords(tokens: string[]): string[] {
    return tokens;
  }
}
