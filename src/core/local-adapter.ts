import { TurnContext, type ActivityHandler, type ResourceResponse } from '@microsoft/agents-hosting';
import type { Activity } from '@microsoft/agents-activity';
import { TextOnlyAdapter } from './text-only-adapter.ts';

/**
 * An adapter with no transport: it runs a turn in process and hands back what the bot sent. The
 * CLI and the HTTP test endpoints talk to the bot through it, exactly as a channel adapter would.
 */
export class LocalAdapter extends TextOnlyAdapter {
  protected readonly channelName = 'local';
  private readonly outboxes = new Map<string, Activity[]>();

  /** Runs one turn for an inbound activity: the activities the bot sent, and the turn's state. */
  async process(
    activity: Activity,
    bot: ActivityHandler,
  ): Promise<{ activities: Activity[]; turnState: TurnContext['turnState'] }> {
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
}

const OUTBOX = Symbol('local-adapter-outbox');
