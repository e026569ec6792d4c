import { ActivityTypes, type Activity } from '@microsoft/agents-activity';
import { TurnContext, type ActivityHandler, type ResourceResponse } from '@microsoft/agents-hosting';
import { fromActivity } from '../../src/core/activities.ts';
import { splitMessage } from '../../src/core/reply.ts';
import { TextOnlyAdapter } from '../../src/core/text-only-adapter.ts';
import { sentByAgent } from '../../src/core/transcript-recorder.ts';
import { Errors, type ChatbotError } from '../../src/shared/errors.ts';
import type { Logger } from '../../src/shared/logger.ts';

/**
 * A platform's reply window (Messenger: 24 hours, 7 days for a person with the HUMAN_AGENT tag;
 * Zalo: 48 hours for the bot, 7 days for a person): whether, and how, a message may go out now.
 * `P` is what a permitted message carries (Messenger's messaging type; nothing for Zalo).
 */
export interface ReplyWindow<P> {
  /** When the user last wrote (each inbound message). */
  userWrote(userId: string, at: number): Promise<void>;
  /** How a message may go out now, or null when the window is closed for it. */
  permit(userId: string, byAgent: boolean, replying: boolean): Promise<P | null>;
}

/** What the handoff desk asks a channel: may a person answer, may the bot send (a dossier update). */
export function windowPolicy<P>(window: ReplyWindow<P>): {
  agentCanReply(address: { userId: string }): Promise<boolean>;
  botCanSend(address: { userId: string }): Promise<boolean>;
} {
  return {
    agentCanReply: async (address) => (await window.permit(address.userId, true, false)) !== null,
    botCanSend: async (address) => (await window.permit(address.userId, false, false)) !== null,
  };
}

/**
 * The shared send loop of the messaging platforms: each message activity the bot or an agent sends
 * becomes text pieces within the platform's limit, the suggested actions on the last piece, sent
 * only inside the reply window. The bot's failures are logged and the turn goes on; an agent is
 * told (the console shows it), with "the window is closed" apart.
 */
export abstract class WindowedTextAdapter<P> extends TextOnlyAdapter {
  /** The platform's name in errors a person reads ("Messenger", "Zalo"). */
  protected abstract readonly platform: string;
  /** The longest text one message may carry. */
  protected abstract readonly maxText: number;

  constructor(
    protected readonly window: ReplyWindow<P>,
    protected readonly log: Logger,
  ) {
    super();
  }

  /** Runs one turn for an inbound activity. */
  async process(activity: Activity, bot: ActivityHandler): Promise<void> {
    await this.runMiddleware(new TurnContext(this, activity), (c) => bot.run(c));
  }

  async sendActivities(context: TurnContext, activities: Activity[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities)
      responses.push({ id: activity.type === ActivityTypes.Message ? await this.sendMessage(context, activity) : '' });
    return responses;
  }

  /** Sends one piece; `last` carries the whole reply when this piece is its last (its buttons go there). */
  protected abstract sendPiece(
    userId: string,
    text: string,
    permit: P,
    last: { text: string; suggestedActions: string[] } | null,
  ): Promise<string>;

  /** Whether the platform refused a message because its window had closed meanwhile. */
  protected abstract refusedForWindow(err: unknown): boolean;

  /** The error an agent sees when the platform no longer lets the page or OA answer. */
  windowClosed(): ChatbotError {
    return Errors.channelWindowClosed(this.platform);
  }

  private async sendMessage(context: TurnContext, activity: Activity): Promise<string> {
    const userId = activity.recipient?.id ?? '';
    const agent = sentByAgent(activity);
    const replying = context.activity.type === ActivityTypes.Message;
    const permit = await this.window.permit(userId, agent !== null, replying);
    if (permit === null) {
      this.log.warn(
        { conversation: `${this.channelName}:${userId}`, byAgent: agent !== null },
        `${this.channelName}.window_closed`,
      );
      if (agent !== null) throw this.windowClosed();
      return '';
    }
    const reply = fromActivity(activity);
    const pieces = splitMessage(reply.text, this.maxText);
    let id = '';
    try {
      for (let i = 0; i < pieces.length; i += 1)
        id = await this.sendPiece(userId, pieces[i]!, permit, i === pieces.length - 1 ? reply : null);
    } catch (err) {
      if (agent === null) return '';
      if (this.refusedForWindow(err)) throw this.windowClosed();
      throw Errors.channelSend(this.platform, err);
    }
    return id;
  }
}
