import {
  BaseAdapter,
  TurnContext,
  type AttachmentData,
  type AttachmentInfo,
  type ResourceResponse,
} from '@microsoft/agents-hosting';
import { Activity, type ConversationReference } from '@microsoft/agents-activity';

/**
 * The common part of our adapters: channels of text messages and buttons, where a sent message is
 * never edited or deleted and files are not exchanged. Proactive messages (an agent's reply, a
 * dossier update) go through `continueConversation`, with the adapter's middleware.
 */
export abstract class TextOnlyAdapter extends BaseAdapter {
  protected abstract readonly channelName: string;

  async updateActivity(): Promise<void> {
    throw new Error(`${this.channelName}: a sent message cannot be changed`);
  }

  async deleteActivity(): Promise<void> {
    throw new Error(`${this.channelName}: a sent message cannot be deleted`);
  }

  async continueConversation(
    _identity: unknown,
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    await this.runMiddleware(
      new TurnContext(this, Activity.getContinuationActivity(reference as ConversationReference)),
      logic,
    );
  }

  async uploadAttachment(
    _context: TurnContext,
    _conversationId: string,
    _data: AttachmentData,
  ): Promise<ResourceResponse> {
    throw new Error(`${this.channelName}: attachments are not supported`);
  }

  async getAttachmentInfo(): Promise<AttachmentInfo> {
    throw new Error(`${this.channelName}: attachments are not supported`);
  }

  async getAttachment(): Promise<NodeJS.ReadableStream> {
    throw new Error(`${this.channelName}: attachments are not supported`);
  }
}
