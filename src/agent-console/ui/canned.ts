/** Canned responses: agents insert them into a reply; supervisors add and remove them. */

import { el } from '../../http/browser/safe-dom.ts';
import type { CannedAddedBody, CannedListBody, CannedRequest, CannedResponse } from '../console-wire.ts';
import { failed, type Api } from './api.ts';
import { isObject } from './format.ts';
import { say, showAlert, ui } from './page.ts';
import type { ConsoleState } from './state.ts';

export type CannedPanel = ReturnType<typeof createCanned>;

/** `renderDetail`: the reply form offers the responses only when there are some. */
export function createCanned(state: ConsoleState, api: Api, renderDetail: () => void) {
  let signature = '';

  async function load(): Promise<void> {
    const r = await api<CannedListBody>('GET', '/agent/api/canned');
    if (!r.ok || r.data === null || !Array.isArray(r.data.responses)) {
      if (state.currentTab === 'canned') failed(r, 'Không tải được các mẫu trả lời.');
      return;
    }
    state.canned = r.data.responses.filter((c) => isObject(c) && typeof c.text === 'string');
    render();
  }

  function reset(): void {
    signature = '';
    ui.cannedBody.replaceChildren();
    ui.cannedSelect.replaceChildren();
  }

  function render(): void {
    const canned = state.canned;
    const next = JSON.stringify(canned.map((c) => [c.id, c.title, c.text]));
    if (next !== signature) {
      signature = next;
      const chosen = ui.cannedSelect.value;
      ui.cannedSelect.replaceChildren(
        el('option', { value: '' }, [canned.length > 0 ? 'Chọn mẫu để chèn…' : 'Chưa có mẫu']),
        ...canned.map((c) => el('option', { value: String(c.id) }, [c.title])),
      );
      ui.cannedSelect.value = canned.some((c) => String(c.id) === chosen) ? chosen : '';
      ui.cannedBody.replaceChildren(...canned.map(row));
    }
    ui.cannedEmpty.hidden = canned.length > 0;
    renderDetail();
  }

  function row(response: CannedResponse): HTMLTableRowElement {
    const remove = el(
      'button',
      {
        class: 'btn small danger',
        type: 'button',
        'data-canned': String(response.id),
        'aria-label': `Xóa mẫu ${response.title}`,
      },
      ['Xóa'],
    );
    remove.addEventListener('click', () => void deleteCanned(response));
    return el('tr', {}, [
      el('td', {}, [response.title]),
      el('td', { class: 'text' }, [response.text]),
      el('td', {}, [remove]),
    ]);
  }

  async function add(): Promise<void> {
    const title = ui.cannedTitle.value.trim();
    const text = ui.cannedText.value.trim();
    if (title === '' || text === '') {
      showAlert('Xin nhập cả tiêu đề và nội dung của mẫu.');
      (title === '' ? ui.cannedTitle : ui.cannedText).focus();
      return;
    }
    showAlert('');
    ui.cannedAdd.disabled = true;
    const r = await api<CannedAddedBody>('POST', '/agent/api/canned', { title, text } satisfies CannedRequest);
    ui.cannedAdd.disabled = false;
    if (!r.ok) return failed(r, 'Chưa thêm được mẫu.');
    if (r.data !== null && isObject(r.data.response) && typeof r.data.response.text === 'string') {
      state.canned = [...state.canned.filter((c) => String(c.id) !== String(r.data?.response.id)), r.data.response];
      render();
    } else {
      await load();
    }
    ui.cannedForm.reset();
    say(ui.status, `Đã thêm mẫu “${title}”.`);
    ui.cannedTitle.focus();
  }

  async function deleteCanned(response: CannedResponse): Promise<void> {
    showAlert('');
    // Rows outlive re-fetches that changed nothing: match responses by id, not by object.
    const id = String(response.id);
    const index = state.canned.findIndex((c) => String(c.id) === id);
    const r = await api('DELETE', `/agent/api/canned/${encodeURIComponent(id)}`);
    if (!r.ok && r.status !== 404) return failed(r, 'Chưa xóa được mẫu.');
    state.canned = state.canned.filter((c) => String(c.id) !== id);
    render();
    say(ui.status, `Đã xóa mẫu “${response.title}”.`);
    const buttons = Array.from(ui.cannedBody.querySelectorAll<HTMLButtonElement>('button[data-canned]'));
    (buttons[index] ?? buttons[buttons.length - 1] ?? ui.cannedHeading).focus();
  }

  return { load, add, reset };
}
