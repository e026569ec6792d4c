/** The page's fixed parts (console.html), found once at start-up, and the live regions that speak to the agent. */

export type TabName = 'chats' | 'callbacks' | 'canned' | 'stats' | 'reports';

export const TITLE = 'Bảng điều khiển cán bộ hỗ trợ';

function byId<T extends HTMLElement>(id: string, type: { new (): T; prototype: T }): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`console.html: #${id} is missing`);
  return node;
}

export const ui = {
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
  reportsForm: byId('reports-form', HTMLFormElement),
  reportsFrom: byId('reports-from', HTMLInputElement),
  reportsTo: byId('reports-to', HTMLInputElement),
  reportsChannel: byId('reports-channel', HTMLSelectElement),
  reportsPrint: byId('reports-print', HTMLAnchorElement),
  reportsBody: byId('reports-body', HTMLElement),
  citizenForm: byId('citizen-form', HTMLFormElement),
  citizenBy: byId('citizen-by', HTMLSelectElement),
  citizenChannel: byId('citizen-channel', HTMLSelectElement),
  citizenValue: byId('citizen-value', HTMLInputElement),
  citizenDelete: byId('citizen-delete', HTMLButtonElement),
  citizenResult: byId('citizen-result', HTMLElement),
};

export const TABS: { name: TabName; tab: HTMLButtonElement; panel: HTMLElement; supervisorOnly: boolean }[] = [
  {
    name: 'chats',
    tab: byId('tab-chats', HTMLButtonElement),
    panel: byId('panel-chats', HTMLElement),
    supervisorOnly: false,
  },
  {
    name: 'callbacks',
    tab: byId('tab-callbacks', HTMLButtonElement),
    panel: byId('panel-callbacks', HTMLElement),
    supervisorOnly: false,
  },
  {
    name: 'canned',
    tab: byId('tab-canned', HTMLButtonElement),
    panel: byId('panel-canned', HTMLElement),
    supervisorOnly: true,
  },
  {
    name: 'stats',
    tab: byId('tab-stats', HTMLButtonElement),
    panel: byId('panel-stats', HTMLElement),
    supervisorOnly: true,
  },
  {
    name: 'reports',
    tab: byId('tab-reports', HTMLButtonElement),
    panel: byId('panel-reports', HTMLElement),
    supervisorOnly: true,
  },
];

// ---- messages to the agent ----

export function showAlert(text: string): void {
  say(ui.alert, text);
  if (text !== '') say(ui.status, '');
}

/** Sets a live region's text; the same text again is re-set after a pause, or it would not be read again. */
export function say(region: HTMLElement, text: string): void {
  if (text !== '' && region.textContent === text) {
    region.textContent = '';
    window.setTimeout(() => (region.textContent = text), 100);
    return;
  }
  region.textContent = text;
}
