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
 * The webchat's adapter on the activity model. It has nothing to transmit: every message the bot
 * (or, later, an agent) sends is recorded in the transcript by the assistant's middleware, and the
 * channel delivers transcript entries to the conversation's sockets, in order, resumably.
 */
export class WebchatAdapter extends BaseAdapter {
  /** Runs one turn; `turnState` seeds the turn's state (e.g. "already recorded"). */
  async process(activity: Activity, bot: ActivityHandler, turnState: ReadonlyMap<string, unknown> = new Map()): Promise<void> {
    const context = new TurnContext(this, activity);
    for (const [key, value] of turnState) context.turnState.set(key, value);
    await this.runMiddleware(context, (c) => bot.run(c));
  }

  async sendActivities(_context: TurnContext, activities: Activity[]): Promise<ResourceResponse[]> {
    return activities.map(() => ({ id: crypto.randomUUID() }));
  }

  async updateActivity(): Promise<void> {
    throw new Error('webchat: a sent message cannot be changed');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('webchat: a sent message cannot be deleted');
  }

  async continueConversation(
    _identity: unknown,
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    await this.runMiddleware(new TurnContext(this, Activity.getContinuationActivity(reference as ConversationReference)), logic);
  }

  async uploadAttachment(_context: TurnContext, _conversationId: string, _data: AttachmentData): Promise<ResourceResponse> {
    throw new Error('webchat: attachments are not supported');
  }

  async getAttachmentInfo(): Promise<AttachmentInfo> {
    throw new Error('webchat: attachments are not supported');
  }

  async getAttachment(): Promise<NodeJS.ReadableStream> {
    throw new Error('webchat: attachments are not supported');
  }
}
