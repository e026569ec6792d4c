import type { HandoffRecord } from '../handoff/handoff-queue.ts';
import type { Holds, QueueItem, SameShape } from './console-wire.ts';

/** A queue record as the console shows it: without the channel address, with whether it can still be answered. */
export async function queueItem(
  record: HandoffRecord,
  desk: { windowOpen(r: HandoffRecord): Promise<boolean> },
): Promise<QueueItem> {
  const { address: _address, ...shown } = record;
  return { ...shown, windowOpen: await desk.windowOpen(record) };
}

/** An intersection as one object type, so that it compares property for property. */
type Flat<T> = { [K in keyof T]: T[K] };
// The wire's queue item (console-wire.ts) is exactly what the queue keeps, less the address: checked here, where both are seen.
// Exported so the compiler holds them (nothing imports them): each is an error when the two shapes differ.
/** @public compile-time check, held by the compiler though nothing imports it. */
export type WireChecks = [
  Holds<SameShape<Flat<Omit<HandoffRecord, 'address'> & { windowOpen: boolean }>, QueueItem>>, // QueueItemOnTheWire
];
