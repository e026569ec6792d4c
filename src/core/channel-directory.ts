import type { ConversationReference } from '@microsoft/agents-activity';
import type { Activity } from '@microsoft/agents-activity';
import type { BaseAdapter } from '@microsoft/agents-hosting';

/** Where a proactive message goes: enough of a Bot Framework conversation reference to continue it. */
export interface ChannelAddress {
  channelId: string;
  conversationId: string;
  userId: string;
  botId: string;
}

/** How a channel limits when a conversation can be written to (Messenger: 24 hours; Zalo: 48 hours for the bot, 7 days for a person). */
export interface ChannelWindow {
  agentCanReply(address: ChannelAddress): Promise<boolean>;
  botCanSend(address: ChannelAddress): Promise<boolean>;
}

/** The webchat and the CLI: no window. */
const ALWAYS_OPEN: ChannelWindow = { agentCanReply: async () => true, botCanSend: async () => true };

/**
 * The channels' adapters, by channel id: messages that are not replies to a turn (an agent's, a
 * dossier update) go out through the citizen's own channel, on the activity model, with that
 * adapter's middleware (so the transcript records them like any reply).
 */
export class ChannelDirectory {
  private readonly channels = new Map<string, { adapter: BaseAdapter; window: ChannelWindow }>();

  connect(channelId: string, adapter: BaseAdapter, window: ChannelWindow = ALWAYS_OPEN): void {
    this.channels.set(channelId, { adapter, window });
  }

  window(channelId: string): ChannelWindow | undefined {
    return this.channels.get(channelId)?.window;
  }

  async send(address: ChannelAddress, activities: Partial<Activity>[]): Promise<void> {
    const adapter = this.channels.get(address.channelId)?.adapter;
    if (adapter === undefined) throw new Error(`no adapter for channel ${address.channelId}`);
    const reference: ConversationReference = {
      channelId: address.channelId,
      conversation: { id: address.conversationId } as ConversationReference['conversation'],
      user: { id: address.userId },
      agent: { id: address.botId },
    };
    await adapter.continueConversation(address.botId, reference, async (context) => {
      await context.sendActivities(activities as Activity[]);
    });
  }
}
