/**
 * The widget's state: what survives a reload (the token and the unsent messages, in localStorage;
 * not the messages: the server replays them) and the last sequence number shown.
 */

/** A message waiting in the outbox until the server acks it. */
export interface Pending {
  id: string;
  text: string;
}

interface Saved {
  token?: string;
  outbox: Pending[];
  largeText: boolean;
  open: boolean;
}

/** Shared by the connection (hello, polls) and the view (what it has shown). */
export interface WidgetState {
  readonly saved: Saved;
  /** The highest sequence number shown: a hello or a poll asks for what came after it. */
  lastSeq: number;
  /** Writes `saved` to localStorage. */
  save(): void;
}

/** The state kept under `storeKey` (one per assistant origin), or a fresh one. */
export function loadState(storeKey: string): WidgetState {
  const state: WidgetState = {
    saved: load(storeKey),
    lastSeq: 0,
    save() {
      try {
        localStorage.setItem(storeKey, JSON.stringify(state.saved));
      } catch {
        // Storage full or disabled: the chat still works for this page view.
      }
    },
  };
  return state;
}

function load(storeKey: string): Saved {
  try {
    const raw = JSON.parse(localStorage.getItem(storeKey) ?? '{}') as Partial<Saved>;
    return {
      ...(typeof raw.token === 'string' ? { token: raw.token } : {}),
      outbox: Array.isArray(raw.outbox)
        ? raw.outbox.filter((p) => typeof p?.id === 'string' && typeof p?.text === 'string')
        : [],
      largeText: raw.largeText === true,
      open: raw.open === true,
    };
  } catch {
    return { outbox: [], largeText: false, open: false };
  }
}
