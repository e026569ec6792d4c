/**
 * The queue: the waiting and active lists, kept from the live snapshots, a re-fetch every 30 s and
 * the answers to actions; and what is new in it, announced to screen readers.
 */

import { el } from '../../http/browser/safe-dom.ts';
import type { ConsoleEntry, QueueBody, QueueItem } from '../console-wire.ts';
import type { Api } from './api.ts';
import { channelName, clip, formatWait, isObject, queueName, speakerName, timeOf } from './format.ts';
import { say, TITLE, ui } from './page.ts';
import { agentName, isMine, type ConsoleState } from './state.ts';

interface ItemView {
  li: HTMLLIElement;
  button: HTMLButtonElement;
  id: string;
}

/** What the list asks of the conversation view. */
export interface QueueListHooks {
  select(key: string): void;
  renderDetail(): void;
}

export type QueueList = ReturnType<typeof createQueueList>;

export function createQueueList(state: ConsoleState, api: Api, hooks: QueueListHooks) {
  /** Bumped at every change to the queue, so that a slow re-fetch cannot undo a fresher live snapshot. */
  let snapshotGen = 0;
  /** Waiting and my conversations at the last snapshot; null until the first one (the baseline, not news). */
  let knownWaiting: Set<string> | null = null;
  let knownMine = new Set<string>();
  const itemViews = new Map<string, ItemView>();
  let itemCounter = 0;

  async function refresh(): Promise<void> {
    const gen = snapshotGen;
    const r = await api<QueueBody>('GET', '/agent/api/queue');
    if (!r.ok || r.data === null || !Array.isArray(r.data.conversations)) return;
    // A live snapshot (or an action's answer) came in meanwhile: it is at least as fresh as this one.
    if (gen !== snapshotGen) return;
    applySnapshot(r.data.conversations);
  }

  function applySnapshot(items: QueueItem[]): void {
    snapshotGen++;
    state.queue.clear();
    for (const item of items) if (isObject(item) && typeof item.key === 'string') state.queue.set(item.key, item);
    announceChanges();
    for (const key of Array.from(state.transcripts.keys())) {
      if (!state.queue.has(key) && key !== state.selectedKey) {
        state.transcripts.delete(key);
        state.drafts.delete(key);
      }
    }
    render();
    hooks.renderDetail();
  }

  /** Merges one conversation as an action's answer returned it. */
  function upsert(item: QueueItem): void {
    if (!isObject(item) || typeof item.key !== 'string') return;
    snapshotGen++;
    state.queue.set(item.key, item);
    if (item.status !== 'waiting') knownWaiting?.delete(item.key);
    if (isMine(state, item)) knownMine.add(item.key);
    render();
    hooks.renderDetail();
  }

  function remove(key: string): void {
    snapshotGen++;
    state.queue.delete(key);
    knownWaiting?.delete(key);
    knownMine.delete(key);
    state.transcripts.delete(key);
    state.drafts.delete(key);
  }

  /** Forgets the previous session's queue (state.queue itself is cleared with the rest of the state). */
  function reset(): void {
    snapshotGen++;
    knownWaiting = null;
    knownMine = new Set();
    itemViews.clear();
    ui.waitingList.replaceChildren();
    ui.activeList.replaceChildren();
  }

  function announceChanges(): void {
    const waiting = sortedWaiting();
    const mine = Array.from(state.queue.values()).filter((i) => isMine(state, i));
    const before = knownWaiting;
    const mineBefore = knownMine;
    knownWaiting = new Set(waiting.map((i) => i.key));
    knownMine = new Set(mine.map((i) => i.key));
    if (before === null) return;
    const fresh = waiting.filter((i) => !before.has(i.key));
    const handedToMe = mine.filter((i) => !mineBefore.has(i.key) && !state.claiming.has(i.key));
    const parts: string[] = [];
    if (fresh.length > 0) parts.push(`Có người chờ mới: ${fresh.map(briefDescription).join('; ')}.`);
    if (handedToMe.length > 0)
      parts.push(`Cuộc trò chuyện được chuyển cho anh/chị: ${handedToMe.map(briefDescription).join('; ')}.`);
    if (parts.length > 0) say(ui.announcer, parts.join(' '));
  }

  function sortedWaiting(): QueueItem[] {
    return Array.from(state.queue.values())
      .filter((i) => i.status !== 'active')
      .sort((a, b) => timeOf(a.waitingSince) - timeOf(b.waitingSince));
  }

  function sortedActive(): QueueItem[] {
    return Array.from(state.queue.values())
      .filter((i) => i.status === 'active')
      .sort(
        (a, b) =>
          Number(isMine(state, b)) - Number(isMine(state, a)) ||
          timeOf(a.claimedAt ?? a.waitingSince) - timeOf(b.claimedAt ?? b.waitingSince),
      );
  }

  function render(): void {
    const waiting = sortedWaiting();
    const active = sortedActive();
    const focused = focusedItem();
    for (const key of Array.from(itemViews.keys())) {
      if (!state.queue.has(key)) {
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
    button.addEventListener('click', () => hooks.select(key));
    const li = el('li', {}, [button]);
    return { li, button, id: `item-${++itemCounter}` };
  }

  function fillItem(view: ItemView, item: QueueItem): void {
    const id = view.id;
    const button = view.button;
    const waiting = item.status !== 'active';
    const mine = isMine(state, item);
    const top = el('span', { class: 'line top' }, [
      el('span', { class: 'channel', id: `${id}-ch` }, [channelName(item.channel)]),
    ]);
    const named = [`${id}-ch`];
    if (waiting) {
      top.append(
        el('span', { class: 'wait', id: `${id}-wait` }, [
          el('span', { class: 'sr' }, ['chờ ']),
          formatWait(item.waitingSince),
        ]),
      );
    } else {
      const owner = mine ? 'Anh/chị đang xử lý' : `Đang xử lý: ${agentName(state, item.claimedBy)}`;
      top.append(el('span', { class: mine ? 'tag mine' : 'wait', id: `${id}-wait` }, [owner]));
    }
    named.push(`${id}-wait`);
    top.append(
      el('span', { class: item.queue === 'supervisors' ? 'tag sup' : 'tag', id: `${id}-queue` }, [
        el('span', { class: 'sr' }, ['hàng chờ ']),
        queueName(item.queue),
      ]),
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
      parts.push(
        el('span', { class: 'line last', id: `${id}-last` }, [`${speakerName(last.from)}: ${clip(last.text, 300)}`]),
      );
      described.push(`${id}-last`);
    }
    button.replaceChildren(...parts);
    // The name is the short part only: the citizen's last words are a description, so that what they
    // typed can never pass for a control's name.
    button.setAttribute('aria-labelledby', named.join(' '));
    if (described.length > 0) button.setAttribute('aria-describedby', described.join(' '));
    else button.removeAttribute('aria-describedby');
    button.classList.toggle('complaint', item.reason === 'complaint');
    if (item.key === state.selectedKey) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
  }

  /** The list shows the newest message at once; the next snapshot brings the same. */
  function noteLastMessage(key: string, entry: ConsoleEntry): void {
    const item = state.queue.get(key);
    if (item === undefined) return;
    if (item.lastMessage !== null && item.lastMessage !== undefined && timeOf(item.lastMessage.at) > timeOf(entry.at))
      return;
    item.lastMessage = { from: entry.from, text: entry.text, at: entry.at };
    const view = itemViews.get(key);
    if (view !== undefined) fillItem(view, item);
  }

  /** Moving a focused element in the DOM drops its focus: give it back, or to its neighbour if it left. */
  function restoreFocus(was: FocusedItem | null): void {
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

  return { refresh, applySnapshot, upsert, remove, reset, render, noteLastMessage, onListKey };
}

interface FocusedItem {
  key: string;
  list: HTMLUListElement;
  index: number;
}

function focusedItem(): FocusedItem | null {
  const active = document.activeElement;
  if (!(active instanceof HTMLButtonElement) || !active.classList.contains('item')) return null;
  const li = active.parentElement;
  const list = li?.parentElement;
  const key = active.dataset.key;
  if (!(list instanceof HTMLUListElement) || li === null || li === undefined || key === undefined) return null;
  return { key, list, index: Array.from(list.children).indexOf(li) };
}

function briefDescription(item: QueueItem): string {
  const parts = [channelName(item.channel)];
  if (item.reason === 'complaint') parts.push('khiếu nại');
  if (item.queue === 'supervisors') parts.push('hàng chờ giám sát viên');
  const topic =
    item.procedure?.name ?? item.intent ?? (item.lastMessage !== null ? `“${clip(item.lastMessage.text, 80)}”` : null);
  if (topic !== null && topic !== '') parts.push(topic);
  return parts.join(', ');
}

function setHeading(heading: HTMLElement, text: string, count: number): void {
  heading.replaceChildren(
    text,
    el('span', { class: 'sr' }, [`: ${count}`]),
    el('span', { 'aria-hidden': 'true' }, [` (${count})`]),
  );
}

/** Up and down arrows (and Home, End) move between the items of both lists. */
function onListKey(e: KeyboardEvent): void {
  if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
  const target = e.target;
  if (!(target instanceof HTMLButtonElement) || !target.classList.contains('item')) return;
  const buttons = [
    ...Array.from(ui.waitingList.querySelectorAll('button.item')),
    ...Array.from(ui.activeList.querySelectorAll('button.item')),
  ];
  const index = buttons.indexOf(target);
  const next =
    e.key === 'Home'
      ? buttons[0]
      : e.key === 'End'
        ? buttons[buttons.length - 1]
        : buttons[index + (e.key === 'ArrowDown' ? 1 : -1)];
  if (next instanceof HTMLElement) {
    e.preventDefault();
    next.focus();
  }
}
