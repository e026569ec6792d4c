import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/** A question the assistant could not answer, as staff will read it: the text without personal details. */
export const UnansweredQuestion = z.object({
  at: z.string(),
  channel: z.string(),
  /** What the citizen wrote, phone, ID and dossier numbers, e-mails and names taken out. */
  text: z.string(),
  intent: z.string(),
  /** What the bot did: found nothing, offered choices, declined as not administrative, or did not understand. */
  did: z.enum(['not_found', 'choices', 'declined', 'unsure']),
  /** The procedures it offered or weighed, if any. */
  candidates: z.array(z.string()),
});
export type UnansweredQuestion = z.infer<typeof UnansweredQuestion>;

/** Questions kept for staff; older ones go past this many. */
const UNANSWERED_KEPT = 10_000;

/**
 * The unanswered questions, newest first: in Redis when there is one (every process adds to one
 * list), else appended to a file the CLI reads (`npm run cli -- unanswered list`).
 */
export interface UnansweredLog {
  add(question: UnansweredQuestion): Promise<void>;
  list(limit: number): Promise<UnansweredQuestion[]>;
}

export class RedisUnansweredLog implements UnansweredLog {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async add(question: UnansweredQuestion): Promise<void> {
    await this.redis
      .multi()
      .lpush(this.key(), JSON.stringify(question))
      .ltrim(this.key(), 0, UNANSWERED_KEPT - 1)
      .exec();
  }

  async list(limit: number): Promise<UnansweredQuestion[]> {
    return parseAll(await this.redis.lrange(this.key(), 0, limit - 1));
  }

  private key(): string {
    return `${this.prefix}unanswered-questions`;
  }
}

export class FileUnansweredLog implements UnansweredLog {
  /** Appends of this process, one at a time, so lines never interleave. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly path: string) {}

  add(question: UnansweredQuestion): Promise<void> {
    const run = this.queue.then(async () => {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      await appendFile(this.path, `${JSON.stringify(question)}\n`, { encoding: 'utf8', mode: 0o600 });
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async list(limit: number): Promise<UnansweredQuestion[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return parseAll(
      text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .reverse()
        .slice(0, limit),
    );
  }
}

/** In this process's memory: for an assistant run without a file (tests, the CLI's own chat). */
export class MemoryUnansweredLog implements UnansweredLog {
  private readonly questions: UnansweredQuestion[] = [];

  async add(question: UnansweredQuestion): Promise<void> {
    this.questions.unshift(question);
    if (this.questions.length > UNANSWERED_KEPT) this.questions.length = UNANSWERED_KEPT;
  }

  async list(limit: number): Promise<UnansweredQuestion[]> {
    return this.questions.slice(0, limit);
  }
}

/** Lines that do not parse (a hand edit, a torn write) are skipped, not fatal. */
function parseAll(lines: readonly string[]): UnansweredQuestion[] {
  return lines.flatMap((line) => {
    try {
      const parsed = UnansweredQuestion.safeParse(JSON.parse(line));
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
}
