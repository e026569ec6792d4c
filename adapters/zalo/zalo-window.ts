import { LastInteraction } from '../../src/state/last-interaction.ts';
import type { Storage } from '../../src/state/storage-contract.ts';
import type { ReplyWindow } from '../shared/windowed-adapter.ts';

const HOUR_MS = 3600_000;
/** The bot answers within 48 hours of the user's last message (the free consultation window, spec §5.3). */
const BOT_WINDOW_MS = 48 * HOUR_MS;
/** A person may answer up to 7 days; after that Zalo refuses (-230). */
const AGENT_WINDOW_MS = 7 * 24 * HOUR_MS;

/** Zalo's interaction window, per user, from when they last wrote; a permitted message carries nothing more. */
export class ZaloWindow implements ReplyWindow<true> {
  private readonly last: LastInteraction;

  constructor(
    storage: Storage,
    private readonly clock: () => number = Date.now,
  ) {
    this.last = new LastInteraction(storage, 'zalo');
  }

  userWrote(userId: string, at: number): Promise<void> {
    return this.last.userWrote(userId, at);
  }

  async permit(userId: string, byAgent: boolean): Promise<true | null> {
    const last = await this.last.lastAt(userId);
    if (last === null) return null;
    return this.clock() - last < (byAgent ? AGENT_WINDOW_MS : BOT_WINDOW_MS) ? true : null;
  }
}
