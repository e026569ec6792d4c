import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Storage } from '../state/storage-contract.ts';
import { VersionedStore } from '../state/versioned-store.ts';

const Presence = z.object({
  /** Open consoles by agent and server process (`username` then a space and the process's id). */
  consoles: z
    .record(z.string(), z.object({ username: z.string(), role: z.enum(['agent', 'supervisor']), seenAt: z.number() }))
    .default({}),
});
type Presence = z.infer<typeof Presence>;

/** A console that has not said it is open for this long is taken as closed (its tab or process died). */
export const PRESENCE_TIMEOUT_MS = 60_000;
/** How often an open console says so. */
export const PRESENCE_BEAT_MS = 20_000;

/**
 * Which agents have a console open, across every server process: each process beats for the
 * consoles connected to it, and the bot offers a person only when one is there. An agent with
 * consoles on two processes stays online when one of them closes.
 */
export class AgentPresence {
  private readonly store: VersionedStore<Presence>;
  /** This process, among those sharing the store. */
  private readonly source = randomUUID();

  constructor(
    storage: Storage,
    private readonly clock: () => number = Date.now,
  ) {
    this.store = new VersionedStore(storage, Presence, () => Presence.parse({}));
  }

  async beat(username: string, role: 'agent' | 'supervisor'): Promise<void> {
    const now = this.clock();
    await this.store.update('agent-presence', (state) => ({
      state: { consoles: { ...this.fresh(state, now), [this.entry(username)]: { username, role, seenAt: now } } },
      result: undefined,
    }));
  }

  /** This process has no console of the agent's open any more; others may still have. */
  async leave(username: string): Promise<void> {
    await this.store.update('agent-presence', (state) => {
      const { [this.entry(username)]: _gone, ...consoles } = state.consoles;
      return { state: { consoles }, result: undefined };
    });
  }

  async online(): Promise<{ username: string; role: 'agent' | 'supervisor' }[]> {
    const state = await this.store.load('agent-presence');
    const byName = new Map(
      Object.values(this.fresh(state, this.clock())).map(({ username, role }) => [username, role]),
    );
    return [...byName].map(([username, role]) => ({ username, role }));
  }

  private entry(username: string): string {
    return `${username} ${this.source}`;
  }

  private fresh(state: Presence, now: number): Presence['consoles'] {
    return Object.fromEntries(Object.entries(state.consoles).filter(([, c]) => now - c.seenAt < PRESENCE_TIMEOUT_MS));
  }
}
