import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Storage } from '../state/storage-contract.ts';
import { VersionedStore } from '../state/versioned-store.ts';

const CallbackTask = z.object({
  id: z.string(),
  conversation: z.string(),
  channel: z.string(),
  phone: z.string(),
  message: z.string(),
  createdAt: z.string(),
  /** When staff are next at work: the task is theirs from then. */
  dueAt: z.string(),
  done: z.boolean(),
  doneBy: z.string().nullable(),
  /** Who may see and do it: a complaint's callback is for supervisors only (it holds the complaint). */
  queue: z.enum(['agents', 'supervisors']).default('agents'),
});
export type CallbackTask = z.infer<typeof CallbackTask>;

const Tasks = z.object({ tasks: z.array(CallbackTask).default([]) });
type Tasks = z.infer<typeof Tasks>;

/** Done tasks are kept for a while, then dropped past this many (open ones never are). */
const MAX_TASKS = 5000;
const KEY = 'callback-tasks';

/** Messages left out of hours (or with nobody online), with a phone number given with consent: calls to return. */
export class CallbackTasks {
  private readonly store: VersionedStore<Tasks>;

  constructor(
    storage: Storage,
    private readonly clock: () => number = Date.now,
  ) {
    this.store = new VersionedStore(storage, Tasks, () => Tasks.parse({}));
  }

  async add(
    task: Pick<CallbackTask, 'conversation' | 'channel' | 'phone' | 'message' | 'dueAt' | 'queue'>,
  ): Promise<CallbackTask> {
    const added: CallbackTask = {
      ...task,
      id: randomUUID(),
      createdAt: new Date(this.clock()).toISOString(),
      done: false,
      doneBy: null,
    };
    await this.store.update(KEY, (state) => ({ state: { tasks: trim([...state.tasks, added]) }, result: undefined }));
    return added;
  }

  /** Open tasks first (due soonest first), then done ones. */
  async list(): Promise<CallbackTask[]> {
    const { tasks } = await this.store.load(KEY);
    return [...tasks].sort((a, b) => Number(a.done) - Number(b.done) || a.dueAt.localeCompare(b.dueAt));
  }

  /** Removes a conversation's tasks, phone numbers and messages with them (a citizen's erasure request). */
  async forget(conversation: string): Promise<void> {
    await this.store.update(KEY, (state) => ({
      state: { tasks: state.tasks.filter((t) => t.conversation !== conversation) },
      result: undefined,
    }));
  }

  /** Marks a task done, if `may` lets this agent see it (else it is as good as absent: null). */
  async markDone(
    id: string,
    agent: string,
    may: (task: CallbackTask) => boolean = () => true,
  ): Promise<CallbackTask | null> {
    return this.store.update(KEY, (state) => {
      const task = state.tasks.find((t) => t.id === id);
      if (task === undefined || !may(task)) return { state, result: null };
      const done = { ...task, done: true, doneBy: agent };
      return { state: { tasks: state.tasks.map((t) => (t.id === id ? done : t)) }, result: done };
    });
  }
}

function trim(tasks: CallbackTask[]): CallbackTask[] {
  const extra = tasks.length - MAX_TASKS;
  if (extra <= 0) return tasks;
  let dropped = 0;
  return tasks.filter((t) => !(t.done && dropped < extra && ++dropped));
}
