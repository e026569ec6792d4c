import { ActivityTypes, type Activity } from '@microsoft/agents-activity';
import { TurnContext, type ActivityHandler, type ResourceResponse } from '@microsoft/agents-hosting';
import { fromActivity } from '../../src/core/assistant-bot.ts';
import { splitMessage } from '../../src/core/reply.ts';
import { TextOnlyAdapter } from '../../src/core/text-only-adapter.ts';
import { sentByAgent } from '../../src/core/transcript-recorder.ts';
import { ChatbotError } from '../../src/shared/errors.ts';
import type { Logger } from '../../src/shared/logger.ts';
import { MAX_BUTTONS, MAX_TEXT, ZaloError, type ZaloButton, type ZaloOpenApi } from './zalo-openapi.ts';
import type { ZaloWindow } from './zalo-window.ts';

/**
 * Zalo on the activity model: each message activity becomes consultation messages — text in pieces
 * of at most 2,000 characters, the suggested actions as hidden-query buttons (at most 5) on the last
 * piece — sent only inside the interaction window (48 hours for the bot, 7 days for a person).
 */
export class ZaloAdapter extends TextOnlyAdapter {
  protected readonly channelName = 'zalo';

  constructor(
    private readonly api: ZaloOpenApi,
    private readonly window: ZaloWindow,
    private readonly log: Logger,
  ) {
    super();
  }

  async process(activity: Activity, bot: ActivityHandler): Promise<void> {
    await this.runMiddleware(new TurnContext(this, activity), (c) => bot.run(c));
  }

  async sendActivities(_context: TurnContext, activities: Activity[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      responses.push({ id: activity.type === ActivityTypes.Message ? await this.sendMessage(activity) : '' });
    }
    return responses;
  }

  private async sendMessage(activity: Activity): Promise<string> {
    const userId = activity.recipient?.id ?? '';
    const agent = sentByAgent(activity);
    if (!(await this.window.open(userId, agent !== null))) {
      this.log.warn({ conversation: `zalo:${userId}`, byAgent: agent !== null }, 'zalo.window_closed');
      if (agent !== null) throw windowClosed();
      return '';
    }
    const { text, suggestedActions } = fromActivity(activity);
    const pieces = splitMessage(text, MAX_TEXT);
    const buttons = buttonsFor(text, suggestedActions);
    let id = '';
    try {
      for (let i = 0; i < pieces.length; i += 1) id = await this.api.sendText(userId, pieces[i]!, i === pieces.length - 1 ? buttons : []);
    } catch (err) {
      // An agent is told (the console shows it); the bot's failure is logged (by the client) and the turn goes on.
      if (agent === null) return '';
      if (err instanceof ZaloError && err.windowClosed) throw windowClosed();
      throw new ChatbotError('CHAT_ERR_CHANNEL_SEND', 'Zalo did not take the message; try again', 502, undefined, { cause: err });
    }
    return id;
  }
}

/** A web address or a hotline in the text, as buttons that open it. */
const ADDRESS = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/;
const HOTLINE = /(?<![\d.])(?:1[89]00(?:[ .]?\d){4,6}|0\d{2,3}(?:[ .]?\d){6,8})(?!\d)/;

/**
 * Zalo buttons for a reply (5 at most): its quick replies as hidden queries (a tap sends the title
 * back), and buttons that open the source link and call the hotline the reply gives, which keep their
 * places when there are many quick replies — an elderly citizen taps rather than copies.
 */
export function buttonsFor(text: string, quickReplies: readonly string[]): ZaloButton[] {
  const opens: ZaloButton[] = [];
  const address = ADDRESS.exec(text)?.[0];
  if (address !== undefined) opens.push({ title: 'Xem chi tiết', type: 'oa.open.url', payload: { url: address } });
  const hotline = HOTLINE.exec(text)?.[0];
  if (hotline !== undefined) opens.push({ title: 'Gọi tổng đài', type: 'oa.open.phone', payload: { phone_code: hotline.replace(/\D/g, '') } });
  const queries: ZaloButton[] = quickReplies.slice(0, MAX_BUTTONS - opens.length).map((title) => ({ title, type: 'oa.query.hide', payload: title }));
  return [...queries, ...opens];
}

const windowClosed = () =>
  new ChatbotError('CHAT_ERR_HANDOFF_WINDOW_CLOSED', 'Zalo no longer lets the OA answer this person: they must write first', 409);
