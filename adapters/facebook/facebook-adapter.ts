import { ActivityTypes, type Activity } from '@microsoft/agents-activity';
import { TurnContext, type ActivityHandler, type ResourceResponse } from '@microsoft/agents-hosting';
import { fromActivity } from '../../src/core/assistant-bot.ts';
import { splitMessage } from '../../src/core/reply.ts';
import { TextOnlyAdapter } from '../../src/core/text-only-adapter.ts';
import { sentByAgent } from '../../src/core/transcript-recorder.ts';
import { ChatbotError } from '../../src/shared/errors.ts';
import type { Logger } from '../../src/shared/logger.ts';
import { GraphError, MAX_TEXT, type MessengerSendApi } from './messenger-send-api.ts';
import type { MessengerWindow } from './messenger-window.ts';

/**
 * Messenger on the activity model: each message activity the bot (or an agent) sends becomes Send
 * API calls — text in pieces of at most 2,000 characters, the suggested actions as quick replies on
 * the last piece, RESPONSE/UPDATE inside the 24-hour window and HUMAN_AGENT for a person after it.
 */
export class FacebookAdapter extends TextOnlyAdapter {
  protected readonly channelName = 'facebook';

  constructor(
    private readonly sendApi: MessengerSendApi,
    private readonly window: MessengerWindow,
    private readonly log: Logger,
  ) {
    super();
  }

  /** Runs one turn for an inbound activity. */
  async process(activity: Activity, bot: ActivityHandler): Promise<void> {
    await this.runMiddleware(new TurnContext(this, activity), (c) => bot.run(c));
  }

  async sendActivities(context: TurnContext, activities: Activity[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type !== ActivityTypes.Message) {
        responses.push({ id: '' });
        continue;
      }
      responses.push({ id: await this.sendMessage(context, activity) });
    }
    return responses;
  }

  private async sendMessage(context: TurnContext, activity: Activity): Promise<string> {
    const psid = activity.recipient?.id ?? '';
    const agent = sentByAgent(activity);
    const replying = context.activity.type === ActivityTypes.Message;
    const type = await this.window.typeFor(psid, agent !== null, replying);
    if (type === null) {
      this.log.warn({ conversation: `facebook:${psid}`, byAgent: agent !== null }, 'facebook.window_closed');
      if (agent !== null) throw windowClosed();
      return '';
    }
    const { text, suggestedActions } = fromActivity(activity);
    const pieces = splitMessage(text, MAX_TEXT);
    let id = '';
    try {
      for (let i = 0; i < pieces.length; i += 1) {
        const quickReplies = i === pieces.length - 1 ? suggestedActions.map((title) => ({ title, payload: title })) : [];
        id = await this.sendApi.sendText(psid, pieces[i]!, type, quickReplies);
      }
    } catch (err) {
      // An agent is told (the console shows it); the bot's failure is logged (by the client) and the turn goes on.
      if (agent === null) return '';
      if (err instanceof GraphError && err.windowClosed) throw windowClosed();
      throw new ChatbotError('CHAT_ERR_CHANNEL_SEND', 'Messenger did not take the message; try again', 502, undefined, { cause: err });
    }
    return id;
  }
}

export const windowClosed = () =>
  new ChatbotError('CHAT_ERR_HANDOFF_WINDOW_CLOSED', 'Messenger no longer lets the Page answer this person: they must write first', 409);
