import type { HandoffRecord } from '../handoff/handoff-queue.ts';

export type QueueItem = Omit<HandoffRecord, 'address'> & { windowOpen: boolean };

/** A queue record as the console shows it: without the channel address, with whether it can still be answered. */
export async function queueItem(record: HandoffRecord, desk: { windowOpen(r: HandoffRecord): Promise<boolean> }): Promise<QueueItem> {
  const { address: _address, ...shown } = record;
  return { ...shown, windowOpen: await desk.windowOpen(record) };
}
