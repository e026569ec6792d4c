import type { Middleware, TurnContext } from '@microsoft/agents-hosting';
import { ActivityTypes, type Activity } from '@microsoft/agents-activity';
import type { Transcript } from '../state/transcript.ts';
import { sanitiseText } from '../text/sanitise-text.ts';
import { conversationKey, fromActivity } from './activities.ts';

/** Set on an inbound activity's turn state by a channel that recorded the message itself (with its sequence number). */
export const ALREADY_RECORDED = 'transcript.alreadyRecorded';
/**
 * The agent's display name on a message a person (an agent in the console) sends through the bot's
 * channel, in `channelData`: `from` cannot carry it, the turn context sets it to the bot's account on
 * the way out. Channels whose rules differ for people (Messenger's HUMAN_AGENT tag) read it too.
 */
export function sentByAgent(activity: Partial<Activity>): string | null {
  const name = (activity.channelData as { sentByAgent?: unknown } | undefined)?.sentByAgent;
  return typeof name === 'string' && name.length > 0 ? name : null;
}
/** Set when the inbound message was a duplicate delivery: the turn did not run. */
export const DUPLICATE_DELIVERY = 'transcript.duplicate';

/**
 * Records every message of every channel in the transcript, both ways (its text sanitised), and drops a delivery whose
 * message id is already there (channels retry: Messenger and Zalo redeliver, a webchat client
 * resends after reconnecting) before the bot sees it.
 *
 * @remarks
 * agents-hosting's TranscriptLoggerMiddleware logs after the turn and cannot stop one; here the
 * inbound message is numbered first, so a duplicate never reaches the bot.
 */
export class TranscriptRecorder implements Middleware {
  constructor(private readonly transcript: Transcript) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const activity = context.activity;
    // Every channel's messages pass here before the bot: what they carry is cleaned once, for all.
    if (typeof activity.text === 'string') activity.text = sanitiseText(activity.text);
    const conversation = conversationKey(activity);
    if (activity.type === ActivityTypes.Message && context.turnState.get(ALREADY_RECORDED) !== true) {
      const { duplicate } = await this.transcript.append(conversation, {
        from: 'citizen',
        text: activity.text ?? '',
        suggestedActions: [],
        ...(activity.id ? { messageId: activity.id } : {}),
      });
      if (duplicate) {
        context.turnState.set(DUPLICATE_DELIVERY, true);
        return;
      }
    }
    context.onSendActivities(async (_context, activities, sendNext) => {
      for (const sent of activities) await this.recordSent(conversation, sent);
      return sendNext();
    });
    await next();
  }

  private async recordSent(conversation: string, activity: Partial<Activity>): Promise<void> {
    if (activity.type !== ActivityTypes.Message) return;
    const { text, suggestedActions } = fromActivity(activity as Activity);
    const agent = sentByAgent(activity);
    await this.transcript.append(conversation, {
      from: agent === null ? 'bot' : 'agent',
      text,
      suggestedActions,
      ...(agent === null ? {} : { agent }),
    });
  }
}
