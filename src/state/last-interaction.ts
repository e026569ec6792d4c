import { z } from 'zod';
import type { Storage } from './storage-contract.ts';
import { VersionedStore } from './versioned-store.ts';

const Last = z.object({ at: z.number().nullable().default(null) });
type Last = z.infer<typeof Last>;

/**
 * When each user of a channel last wrote, in the shared store: Messenger and Zalo only let a Page or
 * an OA answer for a while after that (each channel adapter applies its own rule). The time only
 * moves forward: a late or redelivered event (its own timestamp older) never closes a window that a
 * newer message opened, whichever process handles which.
 */
export class LastInteraction {
  private readonly store: VersionedStore<Last>;

  constructor(
    storage: Storage,
    private readonly channel: string,
  ) {
    this.store = new VersionedStore(storage, Last, () => Last.parse({}));
  }

  async userWrote(userId: string, at: number): Promise<void> {
    await this.store.update(this.key(userId), (last) =>
      last.at !== null && last.at >= at ? { state: last, result: undefined } : { state: { at }, result: undefined },
    );
  }

  /** Milliseconds since the epoch of the user's last message, or null when they never wrote. */
  async lastAt(userId: string): Promise<number | null> {
    return (await this.store.load(this.key(userId))).at;
  }

  private key(userId: string): string {
    return `last-interaction:${this.channel}:${userId}`;
  }
}
