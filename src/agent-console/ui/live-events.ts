/**
 * Live updates: the event stream at /agent/api/events (server-sent events) brings a queue snapshot
 * on connect and after every change, and every new message of a listed conversation.
 */

import type { ConsoleEntry, ConsoleEvents, QueueItem } from '../console-wire.ts';
import { isEntry, isObject } from './format.ts';
import { ui } from './page.ts';
import type { ConsoleState } from './state.ts';

const RECONNECT_MIN_MS = 2_000;
const RECONNECT_MAX_MS = 30_000;

/** What the stream's events are turned into. */
export interface LiveHandlers {
  queue(items: QueueItem[]): void;
  entry(key: string, entry: ConsoleEntry): void;
  /** The account was removed or its role changed: the page asks again who is logged in. */
  revoked(): void;
  /** Before a stream is opened again: the queue is re-fetched, as the stream may have missed changes. */
  refresh(): Promise<void>;
}

export interface LiveEvents {
  connect(): void;
  close(): void;
}

export function createLiveEvents(state: ConsoleState, on: LiveHandlers): LiveEvents {
  let events: EventSource | null = null;
  let reconnectDelay = RECONNECT_MIN_MS;
  let reconnectTimer: number | undefined;

  function connect(): void {
    close();
    const source = new EventSource('/agent/api/events');
    events = source;
    source.addEventListener('open', () => {
      reconnectDelay = RECONNECT_MIN_MS;
      setConnection('');
    });
    source.addEventListener('queue', (e) => onQueueEvent(e as MessageEvent<string>));
    source.addEventListener('entry', (e) => onEntryEvent(e as MessageEvent<string>));
    // The account was removed or its role changed: what this page shows is no longer this officer's.
    source.addEventListener('revoked', () => {
      if (events !== source) return;
      close();
      on.revoked();
    });
    source.addEventListener('error', () => {
      if (events !== source || state.session === null) return;
      setConnection('Đang kết nối lại…');
      // CONNECTING: the browser retries by itself. CLOSED: it gave up (the server answered with an
      // error, perhaps 401): check the session with a plain request, then open a new stream.
      if (source.readyState !== EventSource.CLOSED) return;
      events = null;
      window.clearTimeout(reconnectTimer);
      reconnectTimer = window.setTimeout(() => void reconnect(), reconnectDelay);
      reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS);
    });
  }

  async function reconnect(): Promise<void> {
    if (state.session === null) return;
    await on.refresh();
    if (state.session !== null && events === null) connect();
  }

  function close(): void {
    window.clearTimeout(reconnectTimer);
    events?.close();
    events = null;
  }

  function onQueueEvent(e: MessageEvent<string>): void {
    const data = parseEvent<ConsoleEvents['queue']>(e);
    if (isObject(data) && Array.isArray(data.conversations)) on.queue(data.conversations);
  }

  function onEntryEvent(e: MessageEvent<string>): void {
    const data = parseEvent<ConsoleEvents['entry']>(e);
    if (isObject(data) && typeof data.key === 'string' && isEntry(data.entry)) on.entry(data.key, data.entry);
  }

  return { connect, close };
}

/** An event's data, as the server means it to be; anything may be missing, so the callers check. */
function parseEvent<T>(e: MessageEvent<string>): Partial<T> | null {
  try {
    return JSON.parse(e.data) as Partial<T>;
  } catch {
    // A frame we cannot read is skipped: the next snapshot or the 30-second re-fetch brings the state again.
    return null;
  }
}

function setConnection(text: string): void {
  ui.connection.textContent = text;
}
