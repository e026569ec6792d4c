/**
 * The agent console: support officers and supervisors take conversations over from the bot.
 *
 * Served at GET /agent (console.html) with this script bundled at /agent/console.js. It talks to the
 * same-origin API under /agent/api (session cookie; every POST and DELETE carries the CSRF token) and
 * follows the queue live through the event stream at /agent/api/events.
 *
 * Safety: every text from a citizen, the bot, an agent or the server goes into the page as text
 * nodes; links are built as elements from validated http(s) URLs. Nothing is ever assigned to
 * innerHTML.
 *
 * This file wires the parts, each given the shared state (state.ts) and what else it needs:
 * api.ts (fetch calls), live-events.ts (the event stream), queue-list.ts, conversation.ts and
 * actions.ts (the selected conversation), callbacks.ts, canned.ts, stats.ts, tabs.ts, and
 * session.ts (login, logout, and what a session starts and stops). The JSON they exchange with the
 * server is declared in ../console-wire.ts.
 */

import { createActions } from './actions.ts';
import { createApi } from './api.ts';
import { createCallbacks } from './callbacks.ts';
import { createCanned } from './canned.ts';
import { createConversationView } from './conversation.ts';
import { createLiveEvents } from './live-events.ts';
import { ui, TABS } from './page.ts';
import { createQueueList } from './queue-list.ts';
import { createSession } from './session.ts';
import { createState } from './state.ts';
import { createStats } from './stats.ts';
import { createReports } from './reports.ts';
import { createTabs } from './tabs.ts';

const state = createState();
const api = createApi(state, () => session.expire());
const queueList = createQueueList(state, api, {
  select: (key) => conversation.select(key),
  renderDetail: () => conversation.renderDetail(),
});
const conversation = createConversationView(state, api, queueList);
const actions = createActions(state, api, queueList, conversation);
const callbacks = createCallbacks(state, api);
const canned = createCanned(state, api, conversation.renderDetail);
const stats = createStats(state, api);
const reports = createReports(api);
const tabs = createTabs(state, {
  callbacks: callbacks.load,
  canned: canned.load,
  stats: stats.load,
  reports: reports.load,
});
const live = createLiveEvents(state, {
  queue: queueList.applySnapshot,
  entry: (key, entry) => conversation.addEntries(key, [entry]),
  revoked: () => void session.check(),
  refresh: queueList.refresh,
});
const session = createSession(state, { api, live, queueList, conversation, callbacks, canned, stats, reports, tabs });

function start(): void {
  ui.loginForm.addEventListener('submit', (e) => {
    e.preventDefault();
    void session.login();
  });
  ui.username.setAttribute('aria-describedby', 'login-error');
  ui.logout.addEventListener('click', () => void session.logout());
  for (const t of TABS) t.tab.addEventListener('click', () => tabs.show(t.name));
  TABS[0]?.tab.parentElement?.addEventListener('keydown', tabs.onKey);
  ui.waitingList.parentElement?.parentElement?.addEventListener('keydown', queueList.onListKey);
  ui.claim.addEventListener('click', () => void actions.claim());
  ui.transfer.addEventListener('click', () => void actions.transfer());
  ui.transferTo.addEventListener('change', conversation.renderDetail);
  ui.close.addEventListener('click', () => void actions.closeConversation());
  ui.replyForm.addEventListener('submit', (e) => {
    e.preventDefault();
    void actions.sendReply();
  });
  ui.reply.addEventListener('keydown', actions.onReplyKey);
  ui.reply.addEventListener('input', () => {
    // Typed by hand: the next template goes in at the cursor, not over the last one.
    state.lastInsert = null;
    ui.cannedSelect.value = '';
  });
  ui.cannedSelect.addEventListener('change', actions.onCannedPicked);
  ui.callbacksRefresh.addEventListener('click', () => void callbacks.load());
  ui.cannedForm.addEventListener('submit', (e) => {
    e.preventDefault();
    void canned.add();
  });
  ui.statsRefresh.addEventListener('click', () => void stats.load());
  reports.wire();
  void session.check();
}

start();

export {};
