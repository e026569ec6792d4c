/**
 * Login, logout and the session's lifetime: entering the app starts the live stream and the
 * 30-second re-fetch; leaving it (logout, an expired or revoked session) forgets everything the
 * session showed.
 */

import type { LoginRequest, PublicAgent, SessionBody } from '../console-wire.ts';
import { OFFLINE, type Api } from './api.ts';
import type { CallbacksPanel } from './callbacks.ts';
import type { CannedPanel } from './canned.ts';
import type { ConversationView } from './conversation.ts';
import { isAgent, retryMinutes, roleName } from './format.ts';
import type { LiveEvents } from './live-events.ts';
import { say, TABS, TITLE, ui } from './page.ts';
import type { QueueList } from './queue-list.ts';
import { clearState, type ConsoleState } from './state.ts';
import type { StatsPanel } from './stats.ts';
import type { ReportsPanel } from './reports.ts';
import type { Tabs } from './tabs.ts';

const REFRESH_MS = 30_000;
const SESSION_EXPIRED = 'Phiên đăng nhập đã hết hạn, xin đăng nhập lại.';

/** The parts a session starts and stops. */
export interface SessionParts {
  api: Api;
  live: LiveEvents;
  queueList: QueueList;
  conversation: ConversationView;
  callbacks: CallbacksPanel;
  canned: CannedPanel;
  stats: StatsPanel;
  reports: ReportsPanel;
  tabs: Tabs;
}

export function createSession(state: ConsoleState, parts: SessionParts) {
  const api = parts.api;
  let tickTimer: number | undefined;

  /** Who is logged in (a reload, or the stream said the session was revoked): the app, or the login form. */
  async function check(): Promise<void> {
    const r = await api<SessionBody>('GET', '/agent/api/me', undefined, false);
    if (r.ok && r.data !== null && isAgent(r.data.agent)) return enterApp(r.data.agent, r.data.csrfToken);
    showLogin(r.status === 401 ? '' : OFFLINE);
  }

  async function login(): Promise<void> {
    const username = ui.username.value.trim();
    const password = ui.password.value;
    if (username === '' || password === '') {
      say(ui.loginError, 'Xin nhập tên đăng nhập và mật khẩu.');
      (username === '' ? ui.username : ui.password).focus();
      return;
    }
    ui.loginSubmit.disabled = true;
    const r = await api<SessionBody>('POST', '/agent/login', { username, password } satisfies LoginRequest, false);
    ui.loginSubmit.disabled = false;
    if (r.ok && r.data !== null && isAgent(r.data.agent)) return enterApp(r.data.agent, r.data.csrfToken);
    ui.password.value = '';
    if (r.status === 401) say(ui.loginError, 'Sai tên đăng nhập hoặc mật khẩu.');
    else if (r.status === 429)
      say(ui.loginError, `Đăng nhập sai nhiều lần. Thử lại sau ${retryMinutes(r.retryAfter)} phút.`);
    else if (r.status === 0) say(ui.loginError, OFFLINE);
    else say(ui.loginError, 'Chưa đăng nhập được, xin thử lại sau ít phút.');
    ui.password.focus();
  }

  function enterApp(agent: PublicAgent, csrf: string): void {
    state.sessionGen++;
    resetState();
    state.session = { agent, csrf };
    ui.meName.textContent = agent.displayName || agent.username;
    ui.meRole.textContent = roleName(agent.role);
    for (const t of TABS) t.tab.hidden = t.supervisorOnly && agent.role !== 'supervisor';
    say(ui.loginError, '');
    ui.password.value = '';
    ui.loginView.hidden = true;
    ui.appView.hidden = false;
    parts.tabs.show('chats', false);
    parts.queueList.render();
    parts.conversation.renderDetail();
    void parts.queueList.refresh();
    parts.live.connect();
    void parts.conversation.loadAgents();
    void parts.canned.load();
    void parts.callbacks.load();
    tickTimer = window.setInterval(tick, REFRESH_MS);
    // The login button is gone: start keyboard users at the queue.
    ui.waitingHeading.focus();
  }

  async function logout(): Promise<void> {
    ui.logout.disabled = true;
    // The session ends here whatever the answer: a 401 only means it had already ended.
    await api('POST', '/agent/logout', undefined, false);
    ui.logout.disabled = false;
    // Signing out on a shared counter computer: leave no name behind (an expired session keeps it, to sign in again quickly).
    ui.username.value = '';
    showLogin('');
  }

  function expire(): void {
    showLogin(SESSION_EXPIRED);
  }

  function showLogin(message: string): void {
    state.sessionGen++;
    state.session = null;
    resetState();
    ui.appView.hidden = true;
    ui.loginView.hidden = false;
    ui.password.value = '';
    say(ui.loginError, message);
    (ui.username.value === '' ? ui.username : ui.password).focus();
  }

  /** Forgets everything of the previous session: nothing of it may show to the next person at this computer. */
  function resetState(): void {
    parts.live.close();
    window.clearInterval(tickTimer);
    tickTimer = undefined;
    clearState(state);
    parts.queueList.reset();
    parts.conversation.reset();
    parts.callbacks.reset();
    parts.canned.reset();
    parts.stats.reset();
    parts.reports.reset();
    ui.reply.value = '';
    ui.waitingCount.textContent = '';
    ui.announcer.textContent = '';
    ui.alert.textContent = '';
    ui.status.textContent = '';
    ui.connection.textContent = '';
    document.title = TITLE;
  }

  /** Every 30 s: waiting times move on, and a re-fetch covers anything the live stream missed. */
  function tick(): void {
    parts.queueList.render();
    parts.conversation.renderDetail();
    void parts.queueList.refresh();
    void parts.conversation.loadAgents();
    void parts.callbacks.load();
  }

  return { check, login, logout, expire };
}
