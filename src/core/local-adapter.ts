import {
  BaseAdapter,
  TurnContext,
  type ActivityHandler,
  type AttachmentData,
  type AttachmentInfo,
  type ResourceResponse,
} from '@microsoft/agents-hosting';
import { Activity, type ConversationReference } from '@microsoft/agents-activity';

/**
 * An adapter with no transport: it runs a turn in process and hands back what the bot sent. The
 * CLI and the HTTP test endpoints talk to the bot through it, exactly as a channel adapter would.
 */
export class LocalAdapter extends BaseAdapter {
  private readonly outboxes = new Map<string, Activity[]>();

  /** Runs one turn for an inbound activity: the activities the bot sent, and the turn's state. */
  async process(activity: Activity, bot: ActivityHandler): Promise<{ activities: Activity[]; turnState: TurnContext['turnState'] }> {
    const turnId = `${activity.conversation?.id ?? ''}/${activity.id ?? Math.random()}`;
    this.outboxes.set(turnId, []);
    const context = new TurnContext(this, activity);
    context.turnState.set(OUTBOX, turnId);
    try {
      await this.runMiddleware(context, (c) => bot.run(c));
      return { activities: this.outboxes.get(turnId) ?? [], turnState: context.turnState };
    } finally {
      this.outboxes.delete(turnId);
    }
  }

  async sendActivities(context: TurnContext, activities: Activity[]): Promise<ResourceResponse[]> {
    const outbox = this.outboxes.get(context.turnState.get(OUTBOX) as string);
    outbox?.push(...activities);
    return activities.map((_, i) => ({ id: `${Date.now()}-${i}` }));
  }

  async updateActivity(): Promise<void> {
    throw new Error('LocalAdapter: updating a sent activity is not supported');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('LocalAdapter: deleting a sent activity is not supported');
  }

  async continueConversation(
    _identity: unknown,
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    await this.runMiddleware(new TurnContext(this, Activity.getContinuationActivity(reference as ConversationReference)), logic);
  }

  async uploadAttachment(_context: TurnContext, _conversationId: string, _data: AttachmentData): Promise<ResourceResponse> {
    throw new Error('LocalAdapter: attachments are not supported');
  }

  async getAttachmentInfo(): Promise<AttachmentInfo> {
    throw new Error('LocalAdapter: attachments are not supported');
  }

  async getAttachment(): Promise<NodeJS.ReadableStream> {
    throw new Error('LocalAdapter: attachments are not supported');
  }
}

const OUTBOX = Symbol('local-adapter-outbox');
