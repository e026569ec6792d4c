import { z } from 'zod';
import type { Storage } from '../state/storage-contract.ts';
import { VersionedStore } from '../state/versioned-store.ts';

const Presence = z.object({
  agents: z.record(z.string(), z.object({ role: z.enum(['agent', 'supervisor']), seenAt: z.number() })).default({}),
});
type Presence = z.infer<typeof Presence>;

/** A console that has not said it is open for this long is taken as closed (its tab or process died). */
export const PRESENCE_TIMEOUT_MS = 60_000;
/** How often an open console says so. */
export const PRESENCE_BEAT_MS = 20_000;

/**
 * Which agents have a console open, across every server process: each process beats for the
 * consoles connected to it, and the bot offers a person only when one is there.
 */
export class AgentPresence {
  private readonly store: VersionedStore<Presence>;

  constructor(
    storage: Storage,
    private readonly clock: () => number = Date.now,
  ) {
    this.store = new VersionedStore(storage, Presence, () => Presence.parse({}));
  }

  async beat(username: string, role: 'agent' | 'supervisor'): Promise<void> {
    const now = this.clock();
    await this.store.update('agent-presence', (state) => ({
      state: { agents: { ...this.fresh(state, now), [username]: { role, seenAt: now } } },
      result: undefined,
    }));
  }

  async leave(username: string): Promise<void> {
    await this.store.update('agent-presence', (state) => {
      const { [username]: _gone, ...agents } = state.agents;
      return { state: { agents }, result: undefined };
    });
  }

  async online(): Promise<{ username: string; role: 'agent' | 'supervisor' }[]> {
    const state = await this.store.load('agent-presence');
    return Object.entries(this.fresh(state, this.clock())).map(([username, { role }]) => ({ username, role }));
  }

  private fresh(state: Presence, now: number): Presence['agents'] {
    return Object.fromEntries(Object.entries(state.agents).filter(([, a]) => now - a.seenAt < PRESENCE_TIMEOUT_MS));
  }
}
