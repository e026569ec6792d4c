/**
 * What the console's parts share about the officer's session: who is logged in, the queue, the
 * conversation on screen. Each part keeps what only it needs to itself; all of it is forgotten at
 * logout (session.ts).
 */

import type { AgentInfo, CannedResponse, ConsoleEntry, PublicAgent, QueueItem } from '../console-wire.ts';
import type { TabName } from './page.ts';

export interface ConsoleState {
  session: { agent: PublicAgent; csrf: string } | null;
  /** Bumped at every login and logout, so that answers to an old session's requests are dropped. */
  sessionGen: number;
  queue: Map<string, QueueItem>;
  /** Conversations this officer is claiming right now: their arrival in "mine" is not news to announce. */
  claiming: Set<string>;
  selectedKey: string | null;
  /** Entries by seq, for the conversations opened since login (the live stream only adds to these). */
  transcripts: Map<string, Map<number, ConsoleEntry>>;
  drafts: Map<string, string>;
  agents: AgentInfo[];
  canned: CannedResponse[];
  /** A claim, transfer or close is on its way: their buttons wait. */
  busy: boolean;
  /** A reply is on its way. */
  sending: boolean;
  /** The canned text last inserted, so that arrowing through the select swaps it instead of piling texts up. */
  lastInsert: { start: number; end: number; value: string } | null;
  currentTab: TabName;
}

export function createState(): ConsoleState {
  return {
    session: null,
    sessionGen: 0,
    queue: new Map(),
    claiming: new Set(),
    selectedKey: null,
    transcripts: new Map(),
    drafts: new Map(),
    agents: [],
    canned: [],
    busy: false,
    sending: false,
    lastInsert: null,
    currentTab: 'chats',
  };
}

/** Forgets the previous session's data (`session` and `sessionGen` are the caller's). */
export function clearState(state: ConsoleState): void {
  state.queue.clear();
  state.claiming.clear();
  state.selectedKey = null;
  state.transcripts.clear();
  state.drafts.clear();
  state.agents = [];
  state.canned = [];
  state.busy = false;
  state.sending = false;
  state.lastInsert = null;
}

export function agentName(state: ConsoleState, username: string | null | undefined): string {
  if (username === null || username === undefined || username === '') return 'khác';
  const session = state.session;
  if (session !== null && session.agent.username === username) return session.agent.displayName || username;
  const found = state.agents.find((a) => a.username === username);
  return found !== undefined && found.displayName !== '' ? found.displayName : username;
}

export function isMine(state: ConsoleState, item: QueueItem): boolean {
  return item.status === 'active' && state.session !== null && item.claimedBy === state.session.agent.username;
}
