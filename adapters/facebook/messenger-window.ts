import { LastInteraction } from '../../src/state/last-interaction.ts';
import type { Storage } from '../../src/state/storage-contract.ts';
import type { ReplyWindow } from '../shared/windowed-adapter.ts';
import type { MessagingType } from './messenger-send-api.ts';

const DAY_MS = 24 * 3600_000;
/** Meta's standard window: anyone may answer within 24 hours of the user's last message. */
const STANDARD_WINDOW_MS = DAY_MS;
/** With the HUMAN_AGENT tag (approved by Meta), a person may answer for 7 days. */
const HUMAN_AGENT_WINDOW_MS = 7 * DAY_MS;

/**
 * When each Messenger user last wrote, in the shared store, and what that allows (spec §4.2): the
 * bot answers within 24 hours; an agent too, and up to 7 days with the HUMAN_AGENT tag when Meta
 * approved it for the Page; past that nobody may write until the user does.
 */
export class MessengerWindow implements ReplyWindow<MessagingType> {
  private readonly last: LastInteraction;

  constructor(
    storage: Storage,
    private readonly humanAgentTag: boolean,
    private readonly clock: () => number = Date.now,
  ) {
    this.last = new LastInteraction(storage, 'facebook');
  }

  async userWrote(psid: string, at: number): Promise<void> {
    await this.last.userWrote(psid, at);
  }

  /** How a message may go out now, or null when the window is closed for this sender. */
  async permit(psid: string, byAgent: boolean, replying: boolean): Promise<MessagingType | null> {
    const last = await this.last.lastAt(psid);
    if (last === null) return null;
    const age = this.clock() - last;
    if (age < STANDARD_WINDOW_MS) return { messaging_type: replying || byAgent ? 'RESPONSE' : 'UPDATE' };
    if (byAgent && this.humanAgentTag && age < HUMAN_AGENT_WINDOW_MS)
      return { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
    return null;
  }
}
