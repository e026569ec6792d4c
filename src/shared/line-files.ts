import { readFileSync } from 'node:fs';
import type { z } from 'zod';

/**
 * A phrase list staff edit (knowledge/lexicon/*.txt): one phrase a line, blank lines and
 * `#` comments ignored.
 */
export function readPhraseList(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}

/**
 * A JSON file staff edit (knowledge/*.json), validated by its schema once, at load: a file that
 * cannot be read or parsed, or does not fit, stops the start with its path and every misfit field.
 */
export function readJsonFile<T>(path: string, schema: z.ZodType<T>): T {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${path} (${error instanceof Error ? error.message : String(error)})`, {
      cause: error,
    });
  }
  const parsed = schema.safeParse(document);
  if (!parsed.success) {
    const where = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new Error(`${path} is not valid (${where})`);
  }
  return parsed.data;
}

/** A JSON Lines file validated line by line; a bad line is reported with its file and number. */
export function readJsonLines<T>(path: string, schema: z.ZodType<T>): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line, i) => ({ line, number: i + 1 }))
    .filter(({ line }) => line.trim().length > 0)
    .map(({ line, number }) => {
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${path}:${number}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return parsed.data;
    });
}
