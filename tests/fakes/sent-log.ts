/** What a fake records of one accepted send: who it went to is read by the log's `recipientOf`. */
export interface SentEntry {
  body: Record<string, unknown>;
}

interface Waiter<T> {
  recipient: string;
  count: number;
  resolve: (m: T[]) => void;
  reject: (e: Error) => void;
}

/**
 * The messages a fake accepted, in order, and the waiters of `waitForMessages`: each resolves as soon as its recipient
 * has `count` messages, so tests wait for the server's sends instead of sleeping.
 */
export class SentLog<T extends SentEntry> {
  /** Every accepted send, including those `isMessage` leaves out of `to` (e.g. sender actions). */
  readonly entries: T[] = [];
  private waiters: Waiter<T>[] = [];

  constructor(
    private readonly recipientOf: (entry: T) => string,
    private readonly isMessage: (entry: T) => boolean = () => true,
  ) {}

  /** Messages to `recipient`, in order. */
  to(recipient: string): T[] {
    return this.entries.filter((m) => this.recipientOf(m) === recipient && this.isMessage(m));
  }

  record(entry: T): void {
    this.entries.push(entry);
    this.wake(this.recipientOf(entry));
  }

  /** Resolves with the first `count` messages to `recipient` once they have been accepted; rejects after timeoutMs. */
  wait(recipient: string, count: number, timeoutMs: number): Promise<T[]> {
    const now = this.to(recipient);
    if (now.length >= count) return Promise.resolve(now.slice(0, count));
    return new Promise((resolve, reject) => {
      const waiter: Waiter<T> = {
        recipient,
        count,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const got = this.to(recipient).map((m) => JSON.stringify((m.body as { message: unknown }).message));
        reject(
          new Error(
            `waitForMessages(${recipient}, ${count}): only ${got.length} after ${timeoutMs} ms: ${got.join(' | ')}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Rejects every pending waiter with `reason`, so a test still waiting fails instead of hanging. */
  rejectAll(reason: string): void {
    for (const w of this.waiters) w.reject(new Error(reason));
    this.waiters = [];
  }

  private wake(recipient: string): void {
    const messages = this.to(recipient);
    this.waiters = this.waiters.filter((w) => {
      if (w.recipient !== recipient || messages.length < w.count) return true;
      w.resolve(messages.slice(0, w.count));
      return false;
    });
  }
}
