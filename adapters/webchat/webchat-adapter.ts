import { TurnContext, type ActivityHandler, type ResourceResponse } from '@microsoft/agents-hosting';
import type { Activity } from '@microsoft/agents-activity';
import { TextOnlyAdapter } from '../../src/core/text-only-adapter.ts';

/**
 * The webchat's adapter on the activity model. It has nothing to transmit: every message the bot
 * (or, later, an agent) sends is recorded in the transcript by the assistant's middleware, and the
 * channel delivers transcript entries to the conversation's sockets, in order, resumably.
 */
export class WebchatAdapter extends TextOnlyAdapter {
  protected readonly channelName = 'webchat';

  /** Runs one turn; `turnState` seeds the turn's state (e.g. "already recorded"). */
  async process(
    activity: Activity,
    bot: ActivityHandler,
    turnState: ReadonlyMap<string, unknown> = new Map(),
  ): Promise<void> {
    const context = new TurnContext(this, activity);
    for (const [key, value] of turnState) context.turnState.set(key, value);
    await this.runMiddleware(context, (c) => bot.run(c));
  }

  async sendActivities(_context: TurnContext, activities: Activity[]): Promise<ResourceResponse[]> {
    return activities.map(() => ({ id: crypto.randomUUID() }));
  }
}
