import type { Logger } from 'pino';
import type { z } from 'zod';
import { CREATE_ONLY, isStateConflict, stateConflict, type Storage } from './storage-contract.ts';

/** Tries of a read-change-write before a conflict is reported instead of retried. */
const MAX_ATTEMPTS = 8;
/** Longest random pause before a retry; writers that collided should not collide again. */
const MAX_BACKOFF_MS = 25;

/**
 * State on a `Storage` (a conversation's, the handoff queue, …), validated by a schema and changed
 * only by read → change → conditional write: a writer
 * that lost a race re-reads and re-applies its change, so no update is lost; after
 * {@link MAX_ATTEMPTS} lost races the conflict is thrown, never swallowed.
 */
export class VersionedStore<S extends object> {
  /** Per conversation, the last queued update: this process changes one conversation at a time. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly storage: Storage,
    private readonly schema: z.ZodType<S>,
    private readonly initial: () => S,
    private readonly log?: Logger,
  ) {}

  async load(conversationKey: string): Promise<S> {
    const key = storageKey(conversationKey);
    const item = (await this.storage.read([key]))[key];
    return item === undefined ? this.initial() : this.parse(item, conversationKey);
  }

  /**
   * Applies `change` to the conversation's state and saves it. `change` must be free of side
   * effects: it runs again on the fresh state after a conflict. Returns what `change` returned.
   */
  update<T>(conversationKey: string, change: (state: S) => { state: S; result: T }): Promise<T> {
    // Serialised here, so conflicts only come from other processes sharing the store.
    const previous = this.queues.get(conversationKey) ?? Promise.resolve();
    const run = previous.then(
      () => this.updateNow(conversationKey, change),
      () => this.updateNow(conversationKey, change),
    );
    this.queues.set(conversationKey, run);
    void run
      .finally(() => {
        if (this.queues.get(conversationKey) === run) this.queues.delete(conversationKey);
      })
      .catch(() => {});
    return run;
  }

  private async updateNow<T>(conversationKey: string, change: (state: S) => { state: S; result: T }): Promise<T> {
    const key = storageKey(conversationKey);
    for (let attempt = 1; ; attempt += 1) {
      const item = (await this.storage.read([key]))[key];
      const current = item === undefined ? this.initial() : this.parse(item, conversationKey);
      const { state, result } = change(current);
      try {
        await this.storage.write({ [key]: { ...state, eTag: item === undefined ? CREATE_ONLY : item.eTag } });
        return result;
      } catch (error) {
        if (!isStateConflict(error)) throw error;
        if (attempt >= MAX_ATTEMPTS) throw stateConflict(key);
        this.log?.debug({ conversation: conversationKey, attempt }, 'state.write.conflict_retried');
        await new Promise((resolve) => setTimeout(resolve, Math.random() * MAX_BACKOFF_MS * attempt));
      }
    }
  }

  async delete(conversationKey: string): Promise<void> {
    await this.storage.delete([storageKey(conversationKey)]);
  }

  private parse(item: Record<string, unknown>, conversationKey: string): S {
    const { eTag: _eTag, ...data } = item;
    const parsed = this.schema.safeParse(data);
    if (parsed.success) return parsed.data;
    // A state this version cannot read is replaced, not fatal: the citizen loses context, not the chat.
    this.log?.warn({ conversation: conversationKey, issues: parsed.error.issues.length }, 'state.unreadable_reset');
    return this.initial();
  }
}

function storageKey(conversationKey: string): string {
  return `conversation/${conversationKey}`;
}
