/** The calls to return ("Gọi lại"): messages left out of hours with a phone number, marked done once called. */

import { el } from '../../http/browser/safe-dom.ts';
import type { CallbackItem, CallbacksBody } from '../console-wire.ts';
import { failed, type Api } from './api.ts';
import { channelName, isObject, timeElement, timeOf } from './format.ts';
import { say, showAlert, ui } from './page.ts';
import type { ConsoleState } from './state.ts';

export type CallbacksPanel = ReturnType<typeof createCallbacks>;

export function createCallbacks(state: ConsoleState, api: Api) {
  let tasks: CallbackItem[] = [];
  let signature = '';

  async function load(): Promise<void> {
    const r = await api<CallbacksBody>('GET', '/agent/api/callbacks');
    if (!r.ok || r.data === null || !Array.isArray(r.data.tasks)) {
      if (state.currentTab === 'callbacks') failed(r, 'Không tải được danh sách gọi lại.');
      return;
    }
    tasks = r.data.tasks.filter((t) => isObject(t) && (typeof t.id === 'string' || typeof t.id === 'number'));
    render();
  }

  function reset(): void {
    tasks = [];
    signature = '';
    ui.callbacksBody.replaceChildren();
    ui.callbackCount.textContent = '';
  }

  function render(): void {
    const now = Date.now();
    const pending = tasks.filter((t) => !t.done).sort((a, b) => timeOf(a.dueAt) - timeOf(b.dueAt));
    ui.callbackCount.textContent = pending.length > 0 ? String(pending.length) : '';
    ui.callbacksEmpty.hidden = pending.length > 0;
    ui.callbacksTable.hidden = pending.length === 0;
    // Redrawn only when something changed: a redraw would take the focus off a "Đã gọi" button.
    const next = JSON.stringify(
      pending.map((t) => [t.id, t.phone, t.message, t.channel, t.createdAt, t.dueAt, timeOf(t.dueAt) < now]),
    );
    if (next === signature) return;
    signature = next;
    const focusedId = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.task : undefined;
    ui.callbacksBody.replaceChildren(...pending.map((t) => row(t, now)));
    if (focusedId !== undefined) focusTaskButton(focusedId, 0);
  }

  function row(task: CallbackItem, now: number): HTMLTableRowElement {
    const phone = String(task.phone ?? '');
    const overdue = timeOf(task.dueAt) < now;
    const due = el('td', { class: overdue ? 'overdue' : '' }, [timeElement(task.dueAt)]);
    if (overdue) due.append(' (quá hạn)');
    const done = el(
      'button',
      { class: 'btn small', type: 'button', 'data-task': String(task.id), 'aria-label': `Đã gọi ${phone}` },
      ['Đã gọi'],
    );
    done.addEventListener('click', () => void markDone(task));
    return el('tr', {}, [
      el('td', {}, [phoneLink(phone)]),
      el('td', { class: 'text' }, [String(task.message ?? '')]),
      el('td', {}, [channelName(task.channel)]),
      el('td', {}, [timeElement(task.createdAt)]),
      due,
      el('td', {}, [done]),
    ]);
  }

  async function markDone(task: CallbackItem): Promise<void> {
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
    render();
    say(ui.status, `Đã ghi nhận: đã gọi lại số ${task.phone}.`);
    focusTaskButton(null, index);
  }

  return { load, reset };
}

function focusTaskButton(id: string | null, index: number): void {
  const buttons = Array.from(ui.callbacksBody.querySelectorAll<HTMLButtonElement>('button[data-task]'));
  const target =
    id !== null ? buttons.find((b) => b.dataset.task === id) : (buttons[index] ?? buttons[buttons.length - 1]);
  if (target !== undefined) target.focus({ preventScroll: id !== null });
  else if (id === null) ui.callbacksHeading.focus();
}

function phoneLink(phone: string): Node {
  const digits = phone.replace(/[\s.()-]/g, '');
  if (!/^\+?\d{6,15}$/.test(digits)) return document.createTextNode(phone);
  const a = el('a', { href: `tel:${digits}` }, [phone]);
  return a;
}
