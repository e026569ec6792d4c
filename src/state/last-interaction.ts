import type { Storage } from './storage-contract.ts';

/**
 * When each user of a channel last wrote, in the shared store: Messenger and Zalo only let a Page or
 * an OA answer for a while after that (each channel adapter applies its own rule).
 */
export class LastInteraction {
  constructor(
    private readonly storage: Storage,
    private readonly channel: string,
  ) {}

  async userWrote(userId: string, at: number): Promise<void> {
    await this.storage.write({ [this.key(userId)]: { at, eTag: '*' } });
  }

  /** Milliseconds since the epoch of the user's last message, or null when they never wrote. */
  async lastAt(userId: string): Promise<number | null> {
    const item = (await this.storage.read([this.key(userId)]))[this.key(userId)] as { at?: unknown } | undefined;
    return typeof item?.at === 'number' ? item.at : null;
  }

  private key(userId: string): string {
    return `last-interaction:${this.channel}:${userId}`;
  }
}
