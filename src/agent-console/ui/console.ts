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
 */

// ---- the API's shapes ----

import { el, linkified } from '../../http/browser/safe-dom.ts';

type Role = 'agent' | 'supervisor';
type Speaker = 'citizen' | 'bot' | 'agent';

interface Agent {
  username: string;
  role: Role;
  displayName: string;
}

interface AgentInfo extends Agent {
  online: boolean;
}

interface Entry {
  seq: number;
  from: Speaker;
  text: string;
  suggestedActions: string[];
  at: string;
  agent?: string;
}

interface QueueItem {
  key: string;
  channel: string;
  status: 'waiting' | 'active';
  queue: 'agents' | 'supervisors';
  reason: 'asked' | 'complaint' | 'failed_turns';
  waitingSince: string;
  claimedBy: string | null;
  claimedAt: string | null;
  intent: string | null;
  procedure: { code: string; name: string } | null;
  dossierCode: string | null;
  lastMessage: { from: Speaker; text: string; at: string } | null;
  windowOpen: boolean;
}

interface Canned {
  id: string | number;
  title: string;
  text: string;
}

interface CallbackTask {
  id: string | number;
  key: string;
  channel: string;
  phone: string;
  message: string;
  createdAt: string;
  dueAt: string;
  done: boolean;
}

interface StatsRow {
  label: string;
  total: number;
  veryGood: number;
  share: number;
}

interface Stats {
  byAgent: StatsRow[];
  byChannel: StatsRow[];
  byWeek: StatsRow[];
}

interface ApiError {
  code?: string;
  message?: string;
  claimedBy?: string;
}

interface ApiResult<T> {
  ok: boolean;
  /** The HTTP status; 0 when the server could not be reached, STALE when the session changed meanwhile. */
  status: number;
  data: T | null;
  error: ApiError | null;
  retryAfter: string | null;
}

interface ItemView {
  li: HTMLLIElement;
  button: HTMLButtonElement;
  id: string;
}

type Method = 'GET' | 'POST' | 'DELETE';
type TabName = 'chats' | 'callbacks' | 'canned' | 'stats';

const REFRESH_MS = 30_000;
const RECONNECT_MIN_MS = 2_000;
const RECONNECT_MAX_MS = 30_000;
const STALE = -1;
const TITLE = 'Bảng điều khiển cán bộ hỗ trợ';
const SESSION_EXPIRED = 'Phiên đăng nhập đã hết hạn, xin đăng nhập lại.';
const WINDOW_CLOSED = 'Đã quá thời hạn trả lời qua kênh này';
const OFFLINE = 'Không kết nối được máy chủ. Xin kiểm tra mạng và thử lại.';

const TIME = new Intl.DateTimeFormat('vi-VN', { hour: '2-digit', minute: '2-digit' });
const DATE_TIME = new Intl.DateTimeFormat('vi-VN', { hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric' });
const DAY = new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric' });
const PERCENT = new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 1 });
const NUMBER = new Intl.NumberFormat('vi-VN');
const BY_NAME = new Intl.Collator('vi');

// ---- the page's fixed parts (console.html) ----

function byId<T extends HTMLElement>(id: string, type: { new (): T; prototype: T }): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`console.html: #${id} is missing`);
  return node;
}

const ui = {
  announcer: byId('announcer', HTMLElement),
  loginView: byId('login-view', HTMLElement),
  loginForm: byId('login-form', HTMLFormElement),
  loginError: byId('login-error', HTMLElement),
  username: byId('login-username', HTMLInputElement),
  password: byId('login-password', HTMLInputElement),
  loginSubmit: byId('login-submit', HTMLButtonElement),
  appView: byId('app-view', HTMLElement),
  connection: byId('connection', HTMLElement),
  meName: byId('me-name', HTMLElement),
  meRole: byId('me-role', HTMLElement),
  logout: byId('logout', HTMLButtonElement),
  waitingCount: byId('waiting-count', HTMLElement),
  callbackCount: byId('callback-count', HTMLElement),
  alert: byId('alert', HTMLElement),
  status: byId('status', HTMLElement),
  waitingHeading: byId('waiting-heading', HTMLElement),
  waitingList: byId('waiting-list', HTMLUListElement),
  waitingEmpty: byId('waiting-empty', HTMLElement),
  activeHeading: byId('active-heading', HTMLElement),
  activeList: byId('active-list', HTMLUListElement),
  activeEmpty: byId('active-empty', HTMLElement),
  noSelection: byId('no-selection', HTMLElement),
  conversation: byId('conversation', HTMLElement),
  convTitle: byId('conv-title', HTMLElement),
  convMeta: byId('conv-meta', HTMLElement),
  claim: byId('claim', HTMLButtonElement),
  transferBox: byId('transfer-box', HTMLElement),
  transferTo: byId('transfer-to', HTMLSelectElement),
  transfer: byId('transfer', HTMLButtonElement),
  close: byId('close', HTMLButtonElement),
  goneNote: byId('gone-note', HTMLElement),
  windowNote: byId('window-note', HTMLElement),
  scroller: byId('scroller', HTMLElement),
  replyForm: byId('reply-form', HTMLFormElement),
  cannedSelect: byId('canned-select', HTMLSelectElement),
  reply: byId('reply', HTMLTextAreaElement),
  send: byId('send', HTMLButtonElement),
  replyHint: byId('reply-hint', HTMLElement),
  callbacksHeading: byId('callbacks-heading', HTMLElement),
  callbacksRefresh: byId('callbacks-refresh', HTMLButtonElement),
  callbacksTable: byId('callbacks-table', HTMLTableElement),
  callbacksBody: byId('callbacks-body', HTMLTableSectionElement),
  callbacksEmpty: byId('callbacks-empty', HTMLElement),
  cannedHeading: byId('canned-heading', HTMLElement),
  cannedForm: byId('canned-form', HTMLFormElement),
  cannedTitle: byId('canned-title', HTMLInputElement),
  cannedText: byId('canned-text', HTMLTextAreaElement),
  cannedAdd: byId('canned-add', HTMLButtonElement),
  cannedBody: byId('canned-body', HTMLTableSectionElement),
  cannedEmpty: byId('canned-empty', HTMLElement),
  statsRefresh: byId('stats-refresh', HTMLButtonElement),
  statsBody: byId('stats-body', HTMLElement),
};

const TABS: { name: TabName; tab: HTMLButtonElement; panel: HTMLElement; supervisorOnly: boolean }[] = [
  { name: 'chats', tab: byId('tab-chats', HTMLButtonElement), panel: byId('panel-chats', HTMLElement), supervisorOnly: false },
  { name: 'callbacks', tab: byId('tab-callbacks', HTMLButtonElement), panel: byId('panel-callbacks', HTMLElement), supervisorOnly: false },
  { name: 'canned', tab: byId('tab-canned', HTMLButtonElement), panel: byId('panel-canned', HTMLElement), supervisorOnly: true },
  { name: 'stats', tab: byId('tab-stats', HTMLButtonElement), panel: byId('panel-stats', HTMLElement), supervisorOnly: true },
];

// ---- state ----

let session: { agent: Agent; csrf: string } | null = null;
/** Bumped at every login and logout, so that answers to an old session's requests are dropped. */
let sessionGen = 0;
const queue = new Map<string, QueueItem>();
/** Bumped at every change to the queue, so that a slow re-fetch cannot undo a fresher live snapshot. */
let snapshotGen = 0;
/** Waiting and my conversations at the last snapshot; null until the first one (the baseline, not news). */
let knownWaiting: Set<string> | null = null;
let knownMine = new Set<string>();
const claiming = new Set<string>();
let selectedKey: string | null = null;
/** Entries by seq, for the conversations opened since login (the live stream only adds to these). */
const transcripts = new Map<string, Map<number, Entry>>();
let transcriptLog: HTMLElement | null = null;
let loadingKey: string | null = null;
const drafts = new Map<string, string>();
const itemViews = new Map<string, ItemView>();
let itemCounter = 0;
let agents: AgentInfo[] = [];
let canned: Canned[] = [];
let tasks: CallbackTask[] = [];
let callbacksSignature = '';
let cannedSignature = '';
let transferSignature = '';
let busy = false;
let sending = false;
/** The canned text last inserted, so that arrowing through the select swaps it instead of piling texts up. */
let lastInsert: { start: number; end: number; value: string } | null = null;
let events: EventSource | null = null;
let reconnectDelay = RECONNECT_MIN_MS;
let reconnectTimer: number | undefined;
let tickTimer: number | undefined;
let currentTab: TabName = 'chats';

// ---- start ----

function start(): void {
  ui.loginForm.addEventListener('submit', (e) => {
    e.preventDefault();
    void login();
  });
  ui.username.setAttribute('aria-describedby', 'login-error');
  ui.logout.addEventListener('click', () => void logout());
  for (const t of TABS) t.tab.addEventListener('click', () => showTab(t.name));
  TABS[0]?.tab.parentElement?.addEventListener('keydown', onTabKey);
  ui.waitingList.parentElement?.parentElement?.addEventListener('keydown', onListKey);
  ui.claim.addEventListener('click', () => void claim());
  ui.transfer.addEventListener('click', () => void transfer());
  ui.transferTo.addEventListener('change', renderDetail);
  ui.close.addEventListener('click', () => void closeConversation());
  ui.replyForm.addEventListener('submit', (e) => {
    e.preventDefault();
    void sendReply();
  });
  ui.reply.addEventListener('keydown', onReplyKey);
  ui.reply.addEventListener('input', () => {
    // Typed by hand: the next template goes in at the cursor, not over the last one.
    lastInsert = null;
    ui.cannedSelect.value = '';
  });
  ui.cannedSelect.addEventListener('change', onCannedPicked);
  ui.callbacksRefresh.addEventListener('click', () => void loadCallbacks());
  ui.cannedForm.addEventListener('submit', (e) => {
    e.preventDefault();
    void addCanned();
  });
  ui.statsRefresh.addEventListener('click', () => void loadStats());
  void checkSession();
}

async function checkSession(): Promise<void> {
  const r = await api<{ agent: Agent; csrfToken: string }>('GET', '/agent/api/me', undefined, false);
  if (r.ok && r.data !== null && isAgent(r.data.agent)) return enterApp(r.data.agent, r.data.csrfToken);
  showLogin(r.status === 401 ? '' : OFFLINE);
}

// ---- login and logout ----

async function login(): Promise<void> {
  const username = ui.username.value.trim();
  const password = ui.password.value;
  if (username === '' || password === '') {
    say(ui.loginError, 'Xin nhập tên đăng nhập và mật khẩu.');
    (username === '' ? ui.username : ui.password).focus();
    return;
  }
  ui.loginSubmit.disabled = true;
  const r = await api<{ agent: Agent; csrfToken: string }>('POST', '/agent/login', { username, password }, false);
  ui.loginSubmit.disabled = false;
  if (r.ok && r.data !== null && isAgent(r.data.agent)) return enterApp(r.data.agent, r.data.csrfToken);
  ui.password.value = '';
  if (r.status === 401) say(ui.loginError, 'Sai tên đăng nhập hoặc mật khẩu.');
  else if (r.status === 429) say(ui.loginError, `Đăng nhập sai nhiều lần. Thử lại sau ${retryMinutes(r.retryAfter)} phút.`);
  else if (r.status === 0) say(ui.loginError, OFFLINE);
  else say(ui.loginError, 'Chưa đăng nhập được, xin thử lại sau ít phút.');
  ui.password.focus();
}

/** Retry-After in seconds (or, by HTTP, a date), as whole minutes rounded up. */
function retryMinutes(header: string | null): number {
  if (header === null) return 1;
  const value = header.trim();
  const seconds = /^\d+$/.test(value) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  if (!Number.isFinite(seconds) || seconds <= 0) return 1;
  return Math.max(1, Math.ceil(seconds / 60));
}

function enterApp(agent: Agent, csrf: string): void {
  sessionGen++;
  resetState();
  session = { agent, csrf };
  ui.meName.textContent = agent.displayName || agent.username;
  ui.meRole.textContent = roleName(agent.role);
  for (const t of TABS) t.tab.hidden = t.supervisorOnly && agent.role !== 'supervisor';
  say(ui.loginError, '');
  ui.password.value = '';
  ui.loginView.hidden = true;
  ui.appView.hidden = false;
  showTab('chats', false);
  renderQueue();
  renderDetail();
  void refreshQueue();
  connectEvents();
  void loadAgents();
  void loadCanned();
  void loadCallbacks();
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

function expireSession(): void {
  showLogin(SESSION_EXPIRED);
}

function showLogin(message: string): void {
  sessionGen++;
  session = null;
  resetState();
  ui.appView.hidden = true;
  ui.loginView.hidden = false;
  ui.password.value = '';
  say(ui.loginError, message);
  (ui.username.value === '' ? ui.username : ui.password).focus();
}

/** Forgets everything of the previous session: nothing of it may show to the next person at this computer. */
function resetState(): void {
  closeEvents();
  window.clearInterval(tickTimer);
  tickTimer = undefined;
  queue.clear();
  snapshotGen++;
  knownWaiting = null;
  knownMine = new Set();
  claiming.clear();
  selectedKey = null;
  transcripts.clear();
  transcriptLog = null;
  loadingKey = null;
  drafts.clear();
  itemViews.clear();
  ui.waitingList.replaceChildren();
  ui.activeList.replaceChildren();
  ui.scroller.replaceChildren();
  agents = [];
  canned = [];
  tasks = [];
  callbacksSignature = '';
  cannedSignature = '';
  transferSignature = '';
  busy = false;
  sending = false;
  lastInsert = null;
  ui.reply.value = '';
  ui.callbacksBody.replaceChildren();
  ui.cannedBody.replaceChildren();
  ui.statsBody.replaceChildren();
  ui.cannedSelect.replaceChildren();
  ui.transferTo.replaceChildren();
  ui.callbackCount.textContent = '';
  ui.waitingCount.textContent = '';
  ui.announcer.textContent = '';
  ui.alert.textContent = '';
  ui.status.textContent = '';
  ui.connection.textContent = '';
  document.title = TITLE;
}

// ---- the HTTP API ----

async function api<T>(method: Method, path: string, body?: unknown, expireOn401 = true): Promise<ApiResult<T>> {
  const gen = sessionGen;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session !== null) headers['X-CSRF-Token'] = session.csrf;
  let res: Response;
  let payload: unknown;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    payload = await readJson(res);
  } catch {
    return { ok: false, status: gen === sessionGen ? 0 : STALE, data: null, error: null, retryAfter: null };
  }
  if (gen !== sessionGen) return { ok: false, status: STALE, data: null, error: null, retryAfter: null };
  if (res.status === 401 && expireOn401 && session !== null) expireSession();
  const error = !res.ok && isObject(payload) && isObject(payload.error) ? (payload.error as ApiError) : null;
  if (error !== null && error.claimedBy === undefined && isObject(payload) && typeof payload.claimedBy === 'string') {
    error.claimedBy = payload.claimedBy;
  }
  return {
    ok: res.ok,
    status: res.status,
    data: res.ok ? (payload as T | null) : null,
    error,
    retryAfter: res.headers.get('Retry-After'),
  };
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function conversationPath(key: string): string {
  return `/agent/api/conversations/${encodeURIComponent(key)}`;
}

/** Shows what went wrong, unless the answer already led elsewhere (401: the login form) or no longer matters. */
function failed(r: ApiResult<unknown>, what: string): void {
  if (r.status === 401 || r.status === STALE) return;
  if (r.status === 0) return showAlert(`${what} ${OFFLINE}`);
  if (r.status === 403) return showAlert(`${what} Anh/chị không có quyền thực hiện thao tác này.`);
  const detail = typeof r.error?.message === 'string' && r.error.message !== '' ? ` (${r.error.message})` : ` (mã lỗi ${r.status})`;
  showAlert(`${what}${detail}`);
}

// ---- live updates ----

function connectEvents(): void {
  closeEvents();
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
    closeEvents();
    void checkSession();
  });
  source.addEventListener('error', () => {
    if (events !== source || session === null) return;
    setConnection('Đang kết nối lại…');
    // CONNECTING: the browser retries by itself. CLOSED: it gave up (the server answered with an
    // error, perhaps 401): check the session with a plain request, then open a new stream.
    if (source.readyState !== EventSource.CLOSED) return;
    events = null;
    window.clearTimeout(reconnectTimer);
    reconnectTimer = window.setTimeout(() => void reconnectEvents(), reconnectDelay);
    reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS);
  });
}

async function reconnectEvents(): Promise<void> {
  if (session === null) return;
  await refreshQueue();
  if (session !== null && events === null) connectEvents();
}

function closeEvents(): void {
  window.clearTimeout(reconnectTimer);
  events?.close();
  events = null;
}

function onQueueEvent(e: MessageEvent<string>): void {
  const data = parseEvent(e);
  if (isObject(data) && Array.isArray(data.conversations)) applySnapshot(data.conversations as QueueItem[]);
}

function onEntryEvent(e: MessageEvent<string>): void {
  const data = parseEvent(e);
  if (isObject(data) && typeof data.key === 'string' && isEntry(data.entry)) addEntries(data.key, [data.entry]);
}

function parseEvent(e: MessageEvent<string>): unknown {
  try {
    return JSON.parse(e.data) as unknown;
  } catch {
    // A frame we cannot read is skipped: the next snapshot or the 30-second re-fetch brings the state again.
    return null;
  }
}

function setConnection(text: string): void {
  ui.connection.textContent = text;
}

/** Every 30 s: waiting times move on, and a re-fetch covers anything the live stream missed. */
function tick(): void {
  renderQueue();
  renderDetail();
  void refreshQueue();
  void loadAgents();
  void loadCallbacks();
}

// ---- the queue ----

async function refreshQueue(): Promise<void> {
  const gen = snapshotGen;
  const r = await api<{ conversations: QueueItem[] }>('GET', '/agent/api/queue');
  if (!r.ok || r.data === null || !Array.isArray(r.data.conversations)) return;
  // A live snapshot (or an action's answer) came in meanwhile: it is at least as fresh as this one.
  if (gen !== snapshotGen) return;
  applySnapshot(r.data.conversations);
}

function applySnapshot(items: QueueItem[]): void {
  snapshotGen++;
  queue.clear();
  for (const item of items) if (isObject(item) && typeof item.key === 'string') queue.set(item.key, item);
  announceChanges();
  for (const key of Array.from(transcripts.keys())) {
    if (!queue.has(key) && key !== selectedKey) {
      transcripts.delete(key);
      drafts.delete(key);
    }
  }
  renderQueue();
  renderDetail();
}

/** Merges one conversation as an action's answer returned it. */
function upsert(item: QueueItem): void {
  if (!isObject(item) || typeof item.key !== 'string') return;
  snapshotGen++;
  queue.set(item.key, item);
  if (item.status !== 'waiting') knownWaiting?.delete(item.key);
  if (isMine(item)) knownMine.add(item.key);
  renderQueue();
  renderDetail();
}

function removeFromQueue(key: string): void {
  snapshotGen++;
  queue.delete(key);
  knownWaiting?.delete(key);
  knownMine.delete(key);
  transcripts.delete(key);
  drafts.delete(key);
}

function announceChanges(): void {
  const waiting = sortedWaiting();
  const mine = Array.from(queue.values()).filter(isMine);
  const before = knownWaiting;
  const mineBefore = knownMine;
  knownWaiting = new Set(waiting.map((i) => i.key));
  knownMine = new Set(mine.map((i) => i.key));
  if (before === null) return;
  const fresh = waiting.filter((i) => !before.has(i.key));
  const handedToMe = mine.filter((i) => !mineBefore.has(i.key) && !claiming.has(i.key));
  const parts: string[] = [];
  if (fresh.length > 0) parts.push(`Có người chờ mới: ${fresh.map(briefDescription).join('; ')}.`);
  if (handedToMe.length > 0) parts.push(`Cuộc trò chuyện được chuyển cho anh/chị: ${handedToMe.map(briefDescription).join('; ')}.`);
  if (parts.length > 0) say(ui.announcer, parts.join(' '));
}

function briefDescription(item: QueueItem): string {
  const parts = [channelName(item.channel)];
  if (item.reason === 'complaint') parts.push('khiếu nại');
  if (item.queue === 'supervisors') parts.push('hàng chờ giám sát viên');
  const topic = item.procedure?.name ?? item.intent ?? (item.lastMessage !== null ? `“${clip(item.lastMessage.text, 80)}”` : null);
  if (topic !== null && topic !== '') parts.push(topic);
  return parts.join(', ');
}

function sortedWaiting(): QueueItem[] {
  return Array.from(queue.values())
    .filter((i) => i.status !== 'active')
    .sort((a, b) => timeOf(a.waitingSince) - timeOf(b.waitingSince));
}

function sortedActive(): QueueItem[] {
  return Array.from(queue.values())
    .filter((i) => i.status === 'active')
    .sort((a, b) => Number(isMine(b)) - Number(isMine(a)) || timeOf(a.claimedAt ?? a.waitingSince) - timeOf(b.claimedAt ?? b.waitingSince));
}

function renderQueue(): void {
  const waiting = sortedWaiting();
  const active = sortedActive();
  const focused = focusedItem();
  for (const key of Array.from(itemViews.keys())) {
    if (!queue.has(key)) {
      itemViews.get(key)?.li.remove();
      itemViews.delete(key);
    }
  }
  syncList(ui.waitingList, waiting);
  syncList(ui.activeList, active);
  restoreFocus(focused);
  ui.waitingEmpty.hidden = waiting.length > 0;
  ui.activeEmpty.hidden = active.length > 0;
  setHeading(ui.waitingHeading, 'Đang chờ', waiting.length);
  setHeading(ui.activeHeading, 'Đang xử lý', active.length);
  ui.waitingCount.textContent = waiting.length > 0 ? String(waiting.length) : '';
  document.title = waiting.length > 0 ? `(${waiting.length}) ${TITLE}` : TITLE;
}

function setHeading(heading: HTMLElement, text: string, count: number): void {
  heading.replaceChildren(text, el('span', { class: 'sr' }, [`: ${count}`]), el('span', { 'aria-hidden': 'true' }, [` (${count})`]));
}

/** Keeps the items (and so the focus on one of them) across updates: only what changed moves. */
function syncList(list: HTMLUListElement, items: QueueItem[]): void {
  items.forEach((item, index) => {
    let view = itemViews.get(item.key);
    if (view === undefined) {
      view = createItem(item.key);
      itemViews.set(item.key, view);
    }
    fillItem(view, item);
    const at = list.children[index];
    if (at !== view.li) list.insertBefore(view.li, at ?? null);
  });
}

function createItem(key: string): ItemView {
  const button = el('button', { class: 'item', type: 'button', 'data-key': key });
  button.addEventListener('click', () => select(key));
  const li = el('li', {}, [button]);
  return { li, button, id: `item-${++itemCounter}` };
}

function fillItem(view: ItemView, item: QueueItem): void {
  const id = view.id;
  const button = view.button;
  const waiting = item.status !== 'active';
  const top = el('span', { class: 'line top' }, [el('span', { class: 'channel', id: `${id}-ch` }, [channelName(item.channel)])]);
  const named = [`${id}-ch`];
  if (waiting) {
    top.append(el('span', { class: 'wait', id: `${id}-wait` }, [el('span', { class: 'sr' }, ['chờ ']), formatWait(item.waitingSince)]));
  } else {
    const owner = isMine(item) ? 'Anh/chị đang xử lý' : `Đang xử lý: ${agentName(item.claimedBy)}`;
    top.append(el('span', { class: isMine(item) ? 'tag mine' : 'wait', id: `${id}-wait` }, [owner]));
  }
  named.push(`${id}-wait`);
  top.append(
    el('span', { class: item.queue === 'supervisors' ? 'tag sup' : 'tag', id: `${id}-queue` }, [el('span', { class: 'sr' }, ['hàng chờ ']), queueName(item.queue)]),
  );
  named.push(`${id}-queue`);
  if (item.reason === 'complaint') {
    top.append(el('span', { class: 'tag complaint', id: `${id}-complaint` }, ['Khiếu nại']));
    named.push(`${id}-complaint`);
  }
  const parts: Node[] = [top];
  const topic = item.procedure?.name ?? null;
  if (topic !== null && topic !== '') {
    parts.push(el('span', { class: 'line proc', id: `${id}-proc` }, [topic]));
    named.push(`${id}-proc`);
  }
  const details: string[] = [];
  if (item.intent !== null && item.intent !== '') details.push(`Ý định: ${item.intent}`);
  if (item.dossierCode !== null && item.dossierCode !== '') details.push(`Hồ sơ: ${item.dossierCode}`);
  const described: string[] = [];
  if (details.length > 0) {
    parts.push(el('span', { class: 'line detail-line', id: `${id}-detail` }, [details.join(' · ')]));
    described.push(`${id}-detail`);
  }
  if (item.lastMessage !== null && item.lastMessage !== undefined) {
    const last = item.lastMessage;
    parts.push(el('span', { class: 'line last', id: `${id}-last` }, [`${speakerName(last.from)}: ${clip(last.text, 300)}`]));
    described.push(`${id}-last`);
  }
  button.replaceChildren(...parts);
  // The name is the short part only: the citizen's last words are a description, so that what they
  // typed can never pass for a control's name.
  button.setAttribute('aria-labelledby', named.join(' '));
  if (described.length > 0) button.setAttribute('aria-describedby', described.join(' '));
  else button.removeAttribute('aria-describedby');
  button.classList.toggle('complaint', item.reason === 'complaint');
  if (item.key === selectedKey) button.setAttribute('aria-current', 'true');
  else button.removeAttribute('aria-current');
}

function focusedItem(): { key: string; list: HTMLUListElement; index: number } | null {
  const active = document.activeElement;
  if (!(active instanceof HTMLButtonElement) || !active.classList.contains('item')) return null;
  const li = active.parentElement;
  const list = li?.parentElement;
  const key = active.dataset.key;
  if (!(list instanceof HTMLUListElement) || li === null || li === undefined || key === undefined) return null;
  return { key, list, index: Array.from(list.children).indexOf(li) };
}

/** Moving a focused element in the DOM drops its focus: give it back, or to its neighbour if it left. */
function restoreFocus(was: { key: string; list: HTMLUListElement; index: number } | null): void {
  if (was === null) return;
  const view = itemViews.get(was.key);
  if (view !== undefined) {
    if (document.activeElement !== view.button) view.button.focus({ preventScroll: true });
    return;
  }
  const neighbour = was.list.children[Math.min(was.index, was.list.children.length - 1)]?.firstElementChild;
  if (neighbour instanceof HTMLElement) neighbour.focus({ preventScroll: true });
  else (was.list === ui.waitingList ? ui.waitingHeading : ui.activeHeading).focus({ preventScroll: true });
}

/** Up and down arrows (and Home, End) move between the items of both lists. */
function onListKey(e: KeyboardEvent): void {
  if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
  const target = e.target;
  if (!(target instanceof HTMLButtonElement) || !target.classList.contains('item')) return;
  const buttons = [...Array.from(ui.waitingList.querySelectorAll('button.item')), ...Array.from(ui.activeList.querySelectorAll('button.item'))];
  const index = buttons.indexOf(target);
  const next =
    e.key === 'Home' ? buttons[0] : e.key === 'End' ? buttons[buttons.length - 1] : buttons[index + (e.key === 'ArrowDown' ? 1 : -1)];
  if (next instanceof HTMLElement) {
    e.preventDefault();
    next.focus();
  }
}

// ---- the selected conversation ----

function select(key: string | null): void {
  if (key === selectedKey) return;
  saveDraft();
  showAlert('');
  say(ui.status, '');
  selectedKey = key;
  lastInsert = null;
  ui.cannedSelect.value = '';
  ui.reply.value = key === null ? '' : (drafts.get(key) ?? '');
  if (key !== null && !transcripts.has(key)) transcripts.set(key, new Map());
  newTranscriptLog();
  renderQueue();
  renderDetail();
  if (key !== null) {
    void loadTranscript(key);
    void loadAgents();
  }
}

function saveDraft(): void {
  if (selectedKey === null) return;
  if (ui.reply.value.trim() === '') drafts.delete(selectedKey);
  else drafts.set(selectedKey, ui.reply.value);
}

/**
 * A new log element for each conversation: a live region inserted whole is not read out, so
 * switching conversations does not read a whole transcript aloud, while later messages are.
 */
function newTranscriptLog(): void {
  transcriptLog = null;
  if (selectedKey === null) {
    ui.scroller.replaceChildren();
    return;
  }
  const log = el('div', { class: 'transcript', role: 'log', tabindex: '0', 'aria-label': 'Nội dung cuộc trò chuyện' });
  const entries = Array.from(transcripts.get(selectedKey)?.values() ?? []).sort((a, b) => a.seq - b.seq);
  for (const entry of entries) log.appendChild(messageElement(entry));
  transcriptLog = log;
  ui.scroller.replaceChildren(log);
  scrollDown(true);
}

async function loadTranscript(key: string): Promise<void> {
  loadingKey = key;
  showLoading();
  const r = await api<{ entries: Entry[] }>('GET', `${conversationPath(key)}/transcript`);
  if (loadingKey === key) loadingKey = null;
  showLoading();
  if (r.ok && r.data !== null && Array.isArray(r.data.entries)) {
    addEntries(key, r.data.entries.filter(isEntry));
  } else if (r.status === 404) {
    // Not in the queue any more: the list catches up, and the detail says so.
    if (queue.has(key)) removeFromQueue(key);
    renderQueue();
    renderDetail();
    void refreshQueue();
  } else if (key === selectedKey) {
    failed(r, 'Không tải được nội dung cuộc trò chuyện.');
  }
}

function showLoading(): void {
  const existing = ui.scroller.querySelector('.loading');
  const want = loadingKey !== null && loadingKey === selectedKey && (transcripts.get(loadingKey)?.size ?? 0) === 0;
  if (!want) {
    existing?.remove();
    return;
  }
  if (existing === null) ui.scroller.prepend(el('p', { class: 'loading' }, ['Đang tải nội dung…']));
}

/** Entries from the transcript, the live stream or a reply's answer: each seq shown once, in order. */
function addEntries(key: string, entries: Entry[]): void {
  const cache = transcripts.get(key);
  for (const entry of entries) {
    if (!isEntry(entry)) continue;
    noteLastMessage(key, entry);
    if (cache === undefined || cache.has(entry.seq)) continue;
    cache.set(entry.seq, entry);
    if (key === selectedKey) showEntry(entry);
  }
  if (key === selectedKey) showLoading();
}

/** The list shows the newest message at once; the next snapshot brings the same. */
function noteLastMessage(key: string, entry: Entry): void {
  const item = queue.get(key);
  if (item === undefined) return;
  if (item.lastMessage !== null && item.lastMessage !== undefined && timeOf(item.lastMessage.at) > timeOf(entry.at)) return;
  item.lastMessage = { from: entry.from, text: entry.text, at: entry.at };
  const view = itemViews.get(key);
  if (view !== undefined) fillItem(view, item);
}

function showEntry(entry: Entry): void {
  const log = transcriptLog;
  if (log === null) return;
  const follow = isNearBottom() || entry.from === 'agent';
  const bubble = messageElement(entry);
  let next: Element | null = null;
  for (const child of Array.from(log.children)) {
    if (Number((child as HTMLElement).dataset.seq) > entry.seq) {
      next = child;
      break;
    }
  }
  log.insertBefore(bubble, next);
  // Reading further up: do not pull the agent away from it.
  if (follow) scrollDown(false);
}

function messageElement(entry: Entry): HTMLElement {
  const from = speakerClass(entry.from);
  const who = from === 'agent' ? `Cán bộ ${entry.agent !== undefined ? agentName(entry.agent) : ''}`.trim() : speakerName(from);
  const bubble = el('div', { class: `msg ${from}`, 'data-seq': String(entry.seq) }, [el('span', { class: 'sr' }, [`${who}: `])]);
  // A citizen's links stay text: an officer should not be one click away from whatever they paste.
  bubble.append(from === 'citizen' ? entry.text : linkified(entry.text, { phones: false }));
  if (from === 'bot' && Array.isArray(entry.suggestedActions) && entry.suggestedActions.length > 0) {
    bubble.append(el('span', { class: 'chips' }, [`Gợi ý: ${entry.suggestedActions.join(' · ')}`]));
  }
  const stamp = el('span', { class: 'stamp' });
  if (from === 'agent' && entry.agent !== undefined) stamp.append(el('span', { 'aria-hidden': 'true' }, [`${agentName(entry.agent)} · `]));
  stamp.append(timeElement(entry.at));
  bubble.append(stamp);
  return bubble;
}

function isNearBottom(): boolean {
  const s = ui.scroller;
  return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
}

function scrollDown(immediate: boolean): void {
  const s = ui.scroller;
  if (immediate) s.scrollTop = s.scrollHeight;
  else window.requestAnimationFrame(() => (s.scrollTop = s.scrollHeight));
}

function renderDetail(): void {
  const key = selectedKey;
  ui.noSelection.hidden = key !== null;
  ui.conversation.hidden = key === null;
  if (key === null) return;
  const item = queue.get(key) ?? null;
  const me = session?.agent;
  const mine = item !== null && isMine(item);
  const supervisor = me?.role === 'supervisor';
  const windowOpen = item === null || item.windowOpen !== false;

  ui.convTitle.textContent = item === null ? 'Cuộc trò chuyện đã rời danh sách' : conversationTitle(item);
  renderMeta(item);
  ui.goneNote.hidden = item !== null;
  ui.windowNote.hidden = windowOpen;
  ui.claim.hidden = item === null || item.status === 'active';
  ui.claim.disabled = busy;
  ui.transferBox.hidden = item === null || !(mine || supervisor);
  renderTransferOptions(item);
  ui.transfer.disabled = busy || ui.transferTo.value === '';
  ui.close.hidden = item === null || !(mine || supervisor);
  ui.close.disabled = busy;

  const canReply = item !== null && mine && windowOpen;
  ui.reply.disabled = !canReply;
  ui.send.disabled = !canReply || sending;
  ui.cannedSelect.disabled = !canReply || canned.length === 0;
  ui.replyHint.textContent = replyHint(item, canReply);
}

function conversationTitle(item: QueueItem): string {
  const topic = item.procedure?.name ?? item.intent ?? 'Cuộc trò chuyện';
  return `${channelName(item.channel)} · ${topic}`;
}

function renderMeta(item: QueueItem | null): void {
  if (item === null) {
    ui.convMeta.replaceChildren();
    return;
  }
  const rows: [string, string][] = [];
  rows.push(['Trạng thái', item.status === 'active' ? `Đang xử lý: ${isMine(item) ? 'anh/chị' : agentName(item.claimedBy)}` : 'Đang chờ']);
  rows.push(['Lý do', reasonName(item.reason)]);
  rows.push(['Hàng chờ', queueName(item.queue)]);
  rows.push(['Chờ từ', `${formatTime(item.waitingSince)} (${formatWait(item.waitingSince)})`]);
  if (item.procedure !== null && item.procedure !== undefined) rows.push(['Thủ tục', `${item.procedure.name} (${item.procedure.code})`]);
  if (item.intent !== null && item.intent !== '') rows.push(['Ý định', item.intent]);
  if (item.dossierCode !== null && item.dossierCode !== '') rows.push(['Mã hồ sơ', item.dossierCode]);
  ui.convMeta.replaceChildren(...rows.map((row) => el('div', {}, [el('dt', {}, [`${row[0]}:`]), el('dd', {}, [row[1]])])));
}

function replyHint(item: QueueItem | null, canReply: boolean): string {
  if (item === null) return 'Cuộc trò chuyện này không còn nhận trả lời.';
  if (canReply) return 'Enter để gửi, Shift+Enter để xuống dòng.';
  if (item.status !== 'active') return 'Bấm “Nhận xử lý” để trả lời người dân.';
  if (!isMine(item)) return `Cán bộ ${agentName(item.claimedBy)} đang xử lý cuộc trò chuyện này.`;
  return 'Kênh này không nhận thêm tin trả lời.';
}

/** Other officers, online ones first; rebuilt only when the choice changes, not under the agent's hands. */
function renderTransferOptions(item: QueueItem | null): void {
  const me = session?.agent.username;
  const others = agents
    .filter((a) => a.username !== me && a.username !== item?.claimedBy)
    .sort((a, b) => Number(b.online) - Number(a.online) || BY_NAME.compare(a.displayName, b.displayName));
  const signature = JSON.stringify(others.map((a) => [a.username, a.displayName, a.online, a.role]));
  if (signature === transferSignature) return;
  transferSignature = signature;
  const chosen = ui.transferTo.value;
  const online = el('optgroup', { label: 'Đang trực tuyến' });
  const offline = el('optgroup', { label: 'Ngoại tuyến' });
  for (const a of others) {
    const label = a.role === 'supervisor' ? `${a.displayName} (giám sát viên)` : a.displayName;
    (a.online ? online : offline).append(el('option', { value: a.username }, [label]));
  }
  const groups = [online, offline].filter((g) => g.children.length > 0);
  if (groups.length === 0) ui.transferTo.replaceChildren(el('option', { value: '' }, ['Không có cán bộ khác']));
  else ui.transferTo.replaceChildren(...groups);
  if (others.some((a) => a.username === chosen)) ui.transferTo.value = chosen;
}

// ---- actions on the selected conversation ----

async function claim(): Promise<void> {
  const key = selectedKey;
  if (key === null || busy) return;
  showAlert('');
  busy = true;
  claiming.add(key);
  renderDetail();
  const r = await api<{ conversation: QueueItem }>('POST', `${conversationPath(key)}/claim`);
  busy = false;
  claiming.delete(key);
  if (r.ok && r.data !== null && isObject(r.data.conversation)) {
    upsert(r.data.conversation);
    say(ui.status, 'Đã nhận xử lý cuộc trò chuyện.');
    if (key === selectedKey) (ui.reply.disabled ? ui.convTitle : ui.reply).focus();
    return;
  }
  if (r.status === 409) {
    const who = typeof r.error?.claimedBy === 'string' && r.error.claimedBy !== '' ? r.error.claimedBy : 'khác';
    showAlert(`Cán bộ ${who} đã nhận cuộc trò chuyện này.`);
    await refreshQueue();
  } else if (r.status === 404) {
    showAlert('Cuộc trò chuyện này không còn trong hàng chờ.');
    await refreshQueue();
  } else {
    failed(r, 'Chưa nhận xử lý được.');
  }
  renderDetail();
  if (key === selectedKey && ui.claim.hidden) ui.convTitle.focus();
}

async function transfer(): Promise<void> {
  const key = selectedKey;
  const to = ui.transferTo.value;
  if (key === null || to === '' || busy) return;
  showAlert('');
  busy = true;
  renderDetail();
  const r = await api<{ conversation: QueueItem }>('POST', `${conversationPath(key)}/transfer`, { to });
  busy = false;
  if (r.ok) {
    if (r.data !== null && isObject(r.data.conversation)) upsert(r.data.conversation);
    else void refreshQueue();
    say(ui.status, `Đã chuyển cuộc trò chuyện cho ${agentName(to)}.`);
  } else if (r.status === 404) {
    showAlert('Cuộc trò chuyện này không còn trong hàng chờ.');
    await refreshQueue();
  } else {
    failed(r, 'Chưa chuyển được cuộc trò chuyện.');
  }
  renderDetail();
  // The transfer controls go away when the conversation is no longer ours: keep the focus nearby.
  if (key === selectedKey && ui.transferBox.hidden) ui.convTitle.focus();
}

async function closeConversation(): Promise<void> {
  const key = selectedKey;
  if (key === null || busy) return;
  if (!window.confirm('Kết thúc cuộc trò chuyện này và trả lại cho trợ lý ảo?')) return;
  showAlert('');
  busy = true;
  renderDetail();
  const r = await api('POST', `${conversationPath(key)}/close`);
  busy = false;
  if (r.ok || r.status === 404) {
    removeFromQueue(key);
    if (selectedKey === key) {
      selectedKey = null;
      lastInsert = null;
      ui.reply.value = '';
      newTranscriptLog();
    }
    renderQueue();
    renderDetail();
    say(ui.status, 'Đã kết thúc cuộc trò chuyện và trả lại cho trợ lý.');
    ui.waitingHeading.focus();
    return;
  }
  failed(r, 'Chưa kết thúc được cuộc trò chuyện.');
  renderDetail();
}

function onReplyKey(e: KeyboardEvent): void {
  // Vietnamese is typed through an input method (Telex, VNI): Enter that ends a composition is not "send".
  if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.keyCode === 229) return;
  e.preventDefault();
  void sendReply();
}

async function sendReply(): Promise<void> {
  const key = selectedKey;
  if (key === null || sending || ui.reply.disabled) return;
  const text = ui.reply.value.trim();
  if (text === '') return;
  showAlert('');
  sending = true;
  renderDetail();
  const r = await api<{ entry: Entry }>('POST', `${conversationPath(key)}/reply`, { text });
  sending = false;
  if (r.ok) {
    if (r.data !== null && isEntry(r.data.entry)) addEntries(key, [r.data.entry]);
    if (key === selectedKey) {
      // Whatever was typed while the reply was on its way stays.
      if (ui.reply.value.trim() === text) ui.reply.value = '';
      lastInsert = null;
      ui.cannedSelect.value = '';
    } else {
      drafts.delete(key);
    }
  } else if (r.status === 403) {
    showAlert('Cuộc trò chuyện này không còn do anh/chị xử lý.');
    void refreshQueue();
  } else if (r.status === 409) {
    const item = queue.get(key);
    if (item !== undefined) item.windowOpen = false;
    showAlert(`${WINDOW_CLOSED}.`);
    void refreshQueue();
  } else {
    failed(r, 'Chưa gửi được câu trả lời.');
  }
  renderDetail();
  if (key === selectedKey && !ui.reply.disabled) ui.reply.focus();
}

function onCannedPicked(): void {
  const value = ui.cannedSelect.value;
  const picked = canned.find((c) => String(c.id) === value);
  const area = ui.reply;
  // Keyboard users arrow through a closed select and each step is a change: the previous pick is
  // replaced while nothing else was typed, so only the last one stays.
  const replacing = lastInsert !== null && area.value === lastInsert.value;
  const start = replacing && lastInsert !== null ? lastInsert.start : area.selectionStart;
  const end = replacing && lastInsert !== null ? lastInsert.end : area.selectionEnd;
  if (picked === undefined) {
    if (replacing) area.setRangeText('', start, end, 'end');
    lastInsert = null;
    return;
  }
  area.setRangeText(picked.text, start, end, 'end');
  lastInsert = { start, end: start + picked.text.length, value: area.value };
}

// ---- callbacks ("Gọi lại") ----

async function loadCallbacks(): Promise<void> {
  const r = await api<{ tasks: CallbackTask[] }>('GET', '/agent/api/callbacks');
  if (!r.ok || r.data === null || !Array.isArray(r.data.tasks)) {
    if (currentTab === 'callbacks') failed(r, 'Không tải được danh sách gọi lại.');
    return;
  }
  tasks = r.data.tasks.filter((t) => isObject(t) && (typeof t.id === 'string' || typeof t.id === 'number'));
  renderCallbacks();
}

function renderCallbacks(): void {
  const now = Date.now();
  const pending = tasks.filter((t) => !t.done).sort((a, b) => timeOf(a.dueAt) - timeOf(b.dueAt));
  ui.callbackCount.textContent = pending.length > 0 ? String(pending.length) : '';
  ui.callbacksEmpty.hidden = pending.length > 0;
  ui.callbacksTable.hidden = pending.length === 0;
  // Redrawn only when something changed: a redraw would take the focus off a "Đã gọi" button.
  const signature = JSON.stringify(pending.map((t) => [t.id, t.phone, t.message, t.channel, t.createdAt, t.dueAt, timeOf(t.dueAt) < now]));
  if (signature === callbacksSignature) return;
  callbacksSignature = signature;
  const focusedId = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.task : undefined;
  ui.callbacksBody.replaceChildren(...pending.map((t) => callbackRow(t, now)));
  if (focusedId !== undefined) focusTaskButton(focusedId, 0);
}

function callbackRow(task: CallbackTask, now: number): HTMLTableRowElement {
  const phone = String(task.phone ?? '');
  const overdue = timeOf(task.dueAt) < now;
  const due = el('td', { class: overdue ? 'overdue' : '' }, [timeElement(task.dueAt)]);
  if (overdue) due.append(' (quá hạn)');
  const done = el('button', { class: 'btn small', type: 'button', 'data-task': String(task.id), 'aria-label': `Đã gọi ${phone}` }, ['Đã gọi']);
  done.addEventListener('click', () => void callbackDone(task));
  return el('tr', {}, [
    el('td', {}, [phoneLink(phone)]),
    el('td', { class: 'text' }, [String(task.message ?? '')]),
    el('td', {}, [channelName(task.channel)]),
    el('td', {}, [timeElement(task.createdAt)]),
    due,
    el('td', {}, [done]),
  ]);
}

async function callbackDone(task: CallbackTask): Promise<void> {
  showAlert('');
  // Rows outlive re-fetches that changed nothing: match tasks by id, not by object.
  const id = String(task.id);
  const index = tasks
    .filter((t) => !t.done)
    .sort((a, b) => timeOf(a.dueAt) - timeOf(b.dueAt))
    .findIndex((t) => String(t.id) === id);
  const r = await api('POST', `/agent/api/callbacks/${encodeURIComponent(id)}/done`);
  if (!r.ok) return failed(r, 'Chưa ghi nhận được.');
  for (const t of tasks) if (String(t.id) === id) t.done = true;
  renderCallbacks();
  say(ui.status, `Đã ghi nhận: đã gọi lại số ${task.phone}.`);
  focusTaskButton(null, index);
}

function focusTaskButton(id: string | null, index: number): void {
  const buttons = Array.from(ui.callbacksBody.querySelectorAll<HTMLButtonElement>('button[data-task]'));
  const target = id !== null ? buttons.find((b) => b.dataset.task === id) : (buttons[index] ?? buttons[buttons.length - 1]);
  if (target !== undefined) target.focus({ preventScroll: id !== null });
  else if (id === null) ui.callbacksHeading.focus();
}

function phoneLink(phone: string): Node {
  const digits = phone.replace(/[\s.()-]/g, '');
  if (!/^\+?\d{6,15}$/.test(digits)) return document.createTextNode(phone);
  const a = el('a', { href: `tel:${digits}` }, [phone]);
  return a;
}

// ---- canned responses ----

async function loadCanned(): Promise<void> {
  const r = await api<{ responses: Canned[] }>('GET', '/agent/api/canned');
  if (!r.ok || r.data === null || !Array.isArray(r.data.responses)) {
    if (currentTab === 'canned') failed(r, 'Không tải được các mẫu trả lời.');
    return;
  }
  canned = r.data.responses.filter((c) => isObject(c) && typeof c.text === 'string');
  renderCanned();
}

function renderCanned(): void {
  const signature = JSON.stringify(canned.map((c) => [c.id, c.title, c.text]));
  if (signature !== cannedSignature) {
    cannedSignature = signature;
    const chosen = ui.cannedSelect.value;
    ui.cannedSelect.replaceChildren(
      el('option', { value: '' }, [canned.length > 0 ? 'Chọn mẫu để chèn…' : 'Chưa có mẫu']),
      ...canned.map((c) => el('option', { value: String(c.id) }, [c.title])),
    );
    ui.cannedSelect.value = canned.some((c) => String(c.id) === chosen) ? chosen : '';
    ui.cannedBody.replaceChildren(...canned.map(cannedRow));
  }
  ui.cannedEmpty.hidden = canned.length > 0;
  renderDetail();
}

function cannedRow(response: Canned): HTMLTableRowElement {
  const remove = el('button', { class: 'btn small danger', type: 'button', 'data-canned': String(response.id), 'aria-label': `Xóa mẫu ${response.title}` }, [
    'Xóa',
  ]);
  remove.addEventListener('click', () => void deleteCanned(response));
  return el('tr', {}, [el('td', {}, [response.title]), el('td', { class: 'text' }, [response.text]), el('td', {}, [remove])]);
}

async function addCanned(): Promise<void> {
  const title = ui.cannedTitle.value.trim();
  const text = ui.cannedText.value.trim();
  if (title === '' || text === '') {
    showAlert('Xin nhập cả tiêu đề và nội dung của mẫu.');
    (title === '' ? ui.cannedTitle : ui.cannedText).focus();
    return;
  }
  showAlert('');
  ui.cannedAdd.disabled = true;
  const r = await api<{ response: Canned }>('POST', '/agent/api/canned', { title, text });
  ui.cannedAdd.disabled = false;
  if (!r.ok) return failed(r, 'Chưa thêm được mẫu.');
  if (r.data !== null && isObject(r.data.response) && typeof r.data.response.text === 'string') {
    canned = [...canned.filter((c) => String(c.id) !== String(r.data?.response.id)), r.data.response];
    renderCanned();
  } else {
    await loadCanned();
  }
  ui.cannedForm.reset();
  say(ui.status, `Đã thêm mẫu “${title}”.`);
  ui.cannedTitle.focus();
}

async function deleteCanned(response: Canned): Promise<void> {
  showAlert('');
  // Rows outlive re-fetches that changed nothing: match responses by id, not by object.
  const id = String(response.id);
  const index = canned.findIndex((c) => String(c.id) === id);
  const r = await api('DELETE', `/agent/api/canned/${encodeURIComponent(id)}`);
  if (!r.ok && r.status !== 404) return failed(r, 'Chưa xóa được mẫu.');
  canned = canned.filter((c) => String(c.id) !== id);
  renderCanned();
  say(ui.status, `Đã xóa mẫu “${response.title}”.`);
  const buttons = Array.from(ui.cannedBody.querySelectorAll<HTMLButtonElement>('button[data-canned]'));
  (buttons[index] ?? buttons[buttons.length - 1] ?? ui.cannedHeading).focus();
}

// ---- satisfaction ("Hài lòng") ----

async function loadStats(): Promise<void> {
  ui.statsBody.replaceChildren(el('p', { class: 'loading' }, ['Đang tải số liệu…']));
  const r = await api<Stats>('GET', '/agent/api/stats/satisfaction');
  if (!r.ok || r.data === null) {
    ui.statsBody.replaceChildren();
    return failed(r, 'Không tải được số liệu hài lòng.');
  }
  const stats = r.data;
  ui.statsBody.replaceChildren(
    statsTable('Theo cán bộ', 'Cán bộ', stats.byAgent, (label) => agentName(label)),
    statsTable('Theo kênh', 'Kênh', stats.byChannel, channelName),
    statsTable('Theo tuần', 'Tuần', stats.byWeek, (label) => label),
  );
}

function statsTable(caption: string, first: string, rows: StatsRow[] | undefined, label: (raw: string) => string): HTMLTableElement {
  const head = el('tr', {}, [
    el('th', { scope: 'col' }, [first]),
    el('th', { scope: 'col', class: 'num' }, ['Số lượt đánh giá']),
    el('th', { scope: 'col', class: 'num' }, ['Rất hài lòng']),
    el('th', { scope: 'col', class: 'num' }, ['Tỷ lệ rất hài lòng']),
  ]);
  const list = Array.isArray(rows) ? rows.filter(isObject) : [];
  const body =
    list.length > 0
      ? list.map((row) =>
          el('tr', {}, [
            el('th', { scope: 'row' }, [label(String(row.label))]),
            el('td', { class: 'num' }, [formatCount(row.total)]),
            el('td', { class: 'num' }, [formatCount(row.veryGood)]),
            el('td', { class: 'num' }, [Number.isFinite(row.share) ? PERCENT.format(row.share) : '—']),
          ]),
        )
      : [el('tr', {}, [el('td', { colspan: '4' }, ['Chưa có đánh giá.'])])];
  return el('table', {}, [el('caption', {}, [caption]), el('thead', {}, [head]), el('tbody', {}, body)]);
}

function formatCount(n: number): string {
  return Number.isFinite(n) ? NUMBER.format(n) : '—';
}

// ---- tabs ----

function showTab(name: TabName, focus = false): void {
  currentTab = name;
  for (const t of TABS) {
    const selected = t.name === name;
    t.tab.setAttribute('aria-selected', String(selected));
    t.tab.tabIndex = selected ? 0 : -1;
    t.panel.hidden = !selected;
    if (selected && focus) t.tab.focus();
  }
  if (session === null) return;
  if (name === 'callbacks') void loadCallbacks();
  if (name === 'canned') void loadCanned();
  if (name === 'stats') void loadStats();
}

/** Arrow keys, Home and End move between tabs (the tab pattern of WAI-ARIA). */
function onTabKey(e: KeyboardEvent): void {
  const visible = TABS.filter((t) => !t.tab.hidden);
  const index = visible.findIndex((t) => t.tab === e.target);
  if (index < 0) return;
  let next: number;
  if (e.key === 'ArrowRight') next = (index + 1) % visible.length;
  else if (e.key === 'ArrowLeft') next = (index - 1 + visible.length) % visible.length;
  else if (e.key === 'Home') next = 0;
  else if (e.key === 'End') next = visible.length - 1;
  else return;
  e.preventDefault();
  const target = visible[next];
  if (target !== undefined) showTab(target.name, true);
}

// ---- agents ----

async function loadAgents(): Promise<void> {
  const r = await api<{ agents: AgentInfo[] }>('GET', '/agent/api/agents');
  if (!r.ok || r.data === null || !Array.isArray(r.data.agents)) return;
  agents = r.data.agents.filter(isAgent);
  renderQueue();
  renderDetail();
}

function agentName(username: string | null | undefined): string {
  if (username === null || username === undefined || username === '') return 'khác';
  if (session !== null && session.agent.username === username) return session.agent.displayName || username;
  const found = agents.find((a) => a.username === username);
  return found !== undefined && found.displayName !== '' ? found.displayName : username;
}

function isMine(item: QueueItem): boolean {
  return item.status === 'active' && session !== null && item.claimedBy === session.agent.username;
}

// ---- messages to the agent ----

function showAlert(text: string): void {
  say(ui.alert, text);
  if (text !== '') say(ui.status, '');
}

/** Sets a live region's text; the same text again is re-set after a pause, or it would not be read again. */
function say(region: HTMLElement, text: string): void {
  if (text !== '' && region.textContent === text) {
    region.textContent = '';
    window.setTimeout(() => (region.textContent = text), 100);
    return;
  }
  region.textContent = text;
}

// ---- words and formats ----

function channelName(channel: string): string {
  if (channel === 'webchat') return 'Web';
  if (channel === 'facebook' || channel === 'messenger') return 'Messenger';
  if (channel === 'zalo') return 'Zalo';
  return String(channel ?? '');
}

function queueName(q: string): string {
  return q === 'supervisors' ? 'Giám sát viên' : 'Cán bộ';
}

function roleName(role: Role): string {
  return role === 'supervisor' ? 'Giám sát viên' : 'Cán bộ hỗ trợ';
}

function reasonName(reason: string): string {
  if (reason === 'complaint') return 'Khiếu nại';
  if (reason === 'failed_turns') return 'Trợ lý không trả lời được';
  return 'Người dân muốn gặp cán bộ';
}

function speakerClass(from: string): Speaker {
  return from === 'citizen' || from === 'agent' ? from : 'bot';
}

function speakerName(from: string): string {
  if (from === 'citizen') return 'Người dân';
  if (from === 'agent') return 'Cán bộ';
  return 'Trợ lý';
}

function timeOf(iso: string | null | undefined): number {
  const t = iso === null || iso === undefined ? NaN : Date.parse(iso);
  return Number.isFinite(t) ? t : 0;
}

/** "vừa xong", "N phút", "N giờ M phút". */
function formatWait(since: string): string {
  const minutes = Math.floor(Math.max(0, Date.now() - timeOf(since)) / 60_000);
  if (minutes < 1) return 'vừa xong';
  if (minutes < 60) return `${minutes} phút`;
  return `${Math.floor(minutes / 60)} giờ ${minutes % 60} phút`;
}

/** The time of day, with the date when it is not today. */
function formatTime(iso: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '';
  const date = new Date(t);
  return DAY.format(date) === DAY.format(new Date()) ? TIME.format(date) : DATE_TIME.format(date);
}

function timeElement(iso: string): HTMLElement {
  return el('time', Number.isFinite(Date.parse(iso)) ? { datetime: iso } : {}, [formatTime(iso)]);
}

function clip(text: string, max: number): string {
  const oneLine = String(text ?? '').replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

// ---- checks on what the server sent ----

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isEntry(value: unknown): value is Entry {
  return isObject(value) && typeof value.seq === 'number' && typeof value.text === 'string' && typeof value.from === 'string';
}

function isAgent(value: unknown): value is AgentInfo {
  return isObject(value) && typeof value.username === 'string' && typeof value.displayName === 'string';
}

start();

export {};
