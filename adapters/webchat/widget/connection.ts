import type {
  ClientFrame,
  EntriesBody,
  SendRequest,
  SentBody,
  ServerFrame,
  StartedBody,
  WebchatEntry,
} from '../webchat-wire.ts';
import type { Pending, WidgetState } from './saved-state.ts';

const POLL_MS = 3000;

/** What the connection tells the rest of the widget. */
export interface ConnectionEvents {
  entry(entry: WebchatEntry): void;
  /** The server has the message `id`. */
  acknowledged(id: string): void;
  /** The server will never take the message `id` (too long, empty). */
  failed(id: string): void;
  typing(on: boolean): void;
  status(text: string): void;
}

export interface Connection {
  /** Opens the socket unless one is open or opening. */
  connect(): void;
  /** Sends a message of the outbox, over the socket or, without one, over HTTP. */
  transmit(pending: Pending): void;
}

/**
 * The way to the server: a WebSocket (hello with the token and the last sequence number; everything
 * after it comes back), and plain HTTP when no socket can be had (send, then poll). Every message
 * waits in the outbox (kept across reloads) until the server acks it.
 */
export function createConnection(origin: string, state: WidgetState, events: ConnectionEvents): Connection {
  const saved = state.saved;
  let socket: WebSocket | null = null;
  let welcomed = false;
  let reconnectDelay = 500;
  let reconnectTimer: number | undefined;
  let pollTimer: number | undefined;
  let idle = false;
  /** The last socket closed before it was welcomed: sends and polls go over HTTP meanwhile. */
  let socketFailed = false;
  let starting: Promise<void> | null = null;

  function transmit(pending: Pending): void {
    if (socket !== null && socket.readyState === WebSocket.OPEN && welcomed) {
      socket.send(encode({ type: 'message', id: pending.id, text: pending.text }));
      return;
    }
    if (saved.token !== undefined) void sendOverHttp(pending);
    else if (socketFailed) void startOverHttp();
    if (idle) connect();
  }

  /**
   * No socket could be opened (a proxy or a firewall that blocks WebSockets, or the server's cap):
   * the conversation starts over plain HTTP, then lives on sends and polls until a socket works.
   */
  function startOverHttp(): Promise<void> {
    if (saved.token !== undefined) return Promise.resolve();
    starting ??= (async () => {
      try {
        const res = await fetch(`${origin}/webchat/v1/conversations`, { method: 'POST' });
        if (!res.ok) return;
        const body = (await res.json()) as Partial<StartedBody>;
        if (typeof body.token !== 'string') return;
        saved.token = body.token;
        state.save();
        startPolling();
        flushOutbox();
      } catch {
        // Offline: the next reconnect tries again.
      } finally {
        starting = null;
      }
    })();
    return starting;
  }

  async function sendOverHttp(pending: Pending): Promise<void> {
    try {
      const res = await fetch(`${origin}/webchat/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${saved.token}` },
        body: JSON.stringify({ id: pending.id, text: pending.text } satisfies SendRequest),
      });
      if (res.status === 429 || res.status === 503) {
        retryLater(pending.id, Number(res.headers.get('retry-after') ?? '2') * 1000);
        return;
      }
      if (res.status === 401) return forgetConversation();
      if (res.status === 400 || res.status === 413) return events.failed(pending.id);
      if (!res.ok) return;
      const body = (await res.json()) as SentBody;
      events.acknowledged(body.ack.id);
      startPolling();
    } catch {
      // Offline: the message stays in the outbox and goes with the next connection.
    }
  }

  function flushOutbox(): void {
    for (const pending of saved.outbox) transmit(pending);
  }

  function retryLater(id: string, ms: number): void {
    window.setTimeout(
      () => {
        const pending = saved.outbox.find((p) => p.id === id);
        if (pending !== undefined) transmit(pending);
      },
      Math.max(250, ms),
    );
  }

  // ---- the socket: hello with the token and the last sequence number; everything after it comes back ----
  function connect(): void {
    idle = false;
    if (socket !== null && socket.readyState <= WebSocket.OPEN) return;
    window.clearTimeout(reconnectTimer);
    const url = new URL('/webchat/v1/socket', origin);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch {
      socketFailed = true;
      void startOverHttp();
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () =>
      ws.send(encode({ type: 'hello', after: state.lastSeq, ...(saved.token ? { token: saved.token } : {}) }));
    ws.onmessage = (event) => {
      try {
        handle(JSON.parse(String(event.data)) as ServerFrame, ws);
      } catch {
        // A frame we cannot read is skipped; the transcript will bring the message again on resume.
      }
    };
    ws.onclose = (event) => {
      if (socket === ws) socket = null;
      if (!welcomed) socketFailed = true;
      welcomed = false;
      if (event.code === 4000) {
        // Closed for idleness: reconnect when the citizen comes back to it.
        idle = true;
        return;
      }
      if (saved.token === undefined) void startOverHttp();
      else events.status('Đang kết nối lại…');
      startPolling();
      scheduleReconnect();
    };
  }

  function scheduleReconnect(): void {
    window.clearTimeout(reconnectTimer);
    const delay = reconnectDelay * (0.75 + Math.random() / 2);
    reconnectDelay = Math.min(reconnectDelay * 2, 15_000);
    reconnectTimer = window.setTimeout(connect, delay);
  }

  function handle(frame: ServerFrame, ws: WebSocket): void {
    switch (frame.type) {
      case 'welcome':
        saved.token = frame.token;
        state.save();
        welcomed = true;
        socketFailed = false;
        reconnectDelay = 500;
        events.status('');
        stopPolling();
        flushOutbox();
        return;
      case 'message':
        return events.entry(frame.entry);
      case 'ack':
        return events.acknowledged(frame.id);
      case 'typing':
        return events.typing(true);
      case 'answered':
        return events.typing(false);
      case 'error':
        if (frame.code === 'bad_token') {
          forgetConversation();
          ws.send(encode({ type: 'hello', after: 0 }));
        } else if ((frame.code === 'rate_limited' || frame.code === 'server_busy') && frame.id !== undefined) {
          retryLater(frame.id, frame.retryAfterMs ?? 2000);
        } else if ((frame.code === 'message_too_long' || frame.code === 'message_empty') && frame.id !== undefined) {
          events.failed(frame.id);
        }
        return;
      default:
        return;
    }
  }

  function forgetConversation(): void {
    delete saved.token;
    state.lastSeq = 0;
    state.save();
  }

  // ---- polling while the socket is down (a proxy that blocks WebSockets, a network change) ----
  function startPolling(): void {
    if (pollTimer !== undefined || saved.token === undefined) return;
    pollTimer = window.setInterval(() => void poll(), POLL_MS);
  }

  function stopPolling(): void {
    window.clearInterval(pollTimer);
    pollTimer = undefined;
  }

  async function poll(): Promise<void> {
    if (welcomed || saved.token === undefined) return stopPolling();
    try {
      const res = await fetch(`${origin}/webchat/v1/messages?after=${state.lastSeq}`, {
        headers: { authorization: `Bearer ${saved.token}` },
      });
      if (!res.ok) return;
      // The conversation goes on over HTTP: nothing for the citizen to wait for.
      events.status('');
      const body = (await res.json()) as EntriesBody;
      for (const entry of body.entries) events.entry(entry);
    } catch {
      // Still offline.
    }
  }

  return { connect, transmit };
}

function encode(frame: ClientFrame): string {
  return JSON.stringify(frame);
}
