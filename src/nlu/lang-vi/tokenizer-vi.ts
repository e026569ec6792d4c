/**
 * nlp.js tokeniser for Vietnamese (`tokenizer-vi`). Vietnamese writes one syllable per word, and
 * meaning sits in syllable pairs ("bao nhiêu" is a fee, "bao lâu" a duration), so the features are
 * the syllables plus each adjacent pair joined by "_".
 */
export class TokenizerVi {
  readonly name = 'tokenizer-vi';

  tokenize(text: string): string[] {
    const syllables = text.split(/[^\p{L}\p{N}]+/u).filter((s) => s.length > 0);
    const pairs = syllables.slice(1).map((s, i) => `${syllables[i]}_${s}`);
    return [...syllables, ...pairs];
  }
}
