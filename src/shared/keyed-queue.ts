import type { Logger } from './logger.ts';

/**
 * Work run one after another per key (a conversation, a channel user), keys in parallel: a user's
 * messages are answered in the order they came, whatever else arrives meanwhile. A failure is
 * logged and does not stop the key's later work.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(
    private readonly log: Logger,
    /** The log event of a failure, e.g. `facebook.event.failed`. */
    private readonly failureEvent: string,
    /** The conversation a key stands for, in the failure's log line. */
    private readonly conversationOf: (key: string) => string = (key) => key,
  ) {}

  push(key: string, work: () => Promise<void>): void {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous
      .then(work)
      .catch((err: unknown) => this.log.error({ err, conversation: this.conversationOf(key) }, this.failureEvent))
      .finally(() => {
        if (this.tails.get(key) === next) this.tails.delete(key);
      });
    this.tails.set(key, next);
  }

  /** Resolves when everything queued so far (and anything it queued) has run. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.allSettled([...this.tails.values()]);
  }
}
