/** What an officer does with the selected conversation: claim, transfer, close, reply (canned texts included). */

import type { ConversationBody, RepliedBody, ReplyRequest, TransferRequest } from '../console-wire.ts';
import { conversationPath, failed, type Api } from './api.ts';
import type { ConversationView } from './conversation.ts';
import { isEntry, isObject } from './format.ts';
import { say, showAlert, ui } from './page.ts';
import type { QueueList } from './queue-list.ts';
import { agentName, type ConsoleState } from './state.ts';

const WINDOW_CLOSED = 'Đã quá thời hạn trả lời qua kênh này';

export function createActions(state: ConsoleState, api: Api, queueList: QueueList, conversation: ConversationView) {
  const renderDetail = conversation.renderDetail;

  async function claim(): Promise<void> {
    const key = state.selectedKey;
    if (key === null || state.busy) return;
    showAlert('');
    state.busy = true;
    state.claiming.add(key);
    renderDetail();
    const r = await api<ConversationBody>('POST', `${conversationPath(key)}/claim`);
    state.busy = false;
    state.claiming.delete(key);
    if (r.ok && r.data !== null && isObject(r.data.conversation)) {
      queueList.upsert(r.data.conversation);
      say(ui.status, 'Đã nhận xử lý cuộc trò chuyện.');
      if (key === state.selectedKey) (ui.reply.disabled ? ui.convTitle : ui.reply).focus();
      return;
    }
    if (r.status === 409) {
      const who = typeof r.error?.claimedBy === 'string' && r.error.claimedBy !== '' ? r.error.claimedBy : 'khác';
      showAlert(`Cán bộ ${who} đã nhận cuộc trò chuyện này.`);
      await queueList.refresh();
    } else if (r.status === 404) {
      showAlert('Cuộc trò chuyện này không còn trong hàng chờ.');
      await queueList.refresh();
    } else {
      failed(r, 'Chưa nhận xử lý được.');
    }
    renderDetail();
    if (key === state.selectedKey && ui.claim.hidden) ui.convTitle.focus();
  }

  async function transfer(): Promise<void> {
    const key = state.selectedKey;
    const to = ui.transferTo.value;
    if (key === null || to === '' || state.busy) return;
    showAlert('');
    state.busy = true;
    renderDetail();
    const r = await api<ConversationBody>('POST', `${conversationPath(key)}/transfer`, {
      to,
    } satisfies TransferRequest);
    state.busy = false;
    if (r.ok) {
      if (r.data !== null && isObject(r.data.conversation)) queueList.upsert(r.data.conversation);
      else void queueList.refresh();
      say(ui.status, `Đã chuyển cuộc trò chuyện cho ${agentName(state, to)}.`);
    } else if (r.status === 404) {
      showAlert('Cuộc trò chuyện này không còn trong hàng chờ.');
      await queueList.refresh();
    } else {
      failed(r, 'Chưa chuyển được cuộc trò chuyện.');
    }
    renderDetail();
    // The transfer controls go away when the conversation is no longer ours: keep the focus nearby.
    if (key === state.selectedKey && ui.transferBox.hidden) ui.convTitle.focus();
  }

  async function closeConversation(): Promise<void> {
    const key = state.selectedKey;
    if (key === null || state.busy) return;
    if (!window.confirm('Kết thúc cuộc trò chuyện này và trả lại cho trợ lý ảo?')) return;
    showAlert('');
    state.busy = true;
    renderDetail();
    const r = await api('POST', `${conversationPath(key)}/close`);
    state.busy = false;
    if (r.ok || r.status === 404) {
      queueList.remove(key);
      if (state.selectedKey === key) {
        state.selectedKey = null;
        state.lastInsert = null;
        ui.reply.value = '';
        conversation.newTranscriptLog();
      }
      queueList.render();
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
    const key = state.selectedKey;
    if (key === null || state.sending || ui.reply.disabled) return;
    const text = ui.reply.value.trim();
    if (text === '') return;
    showAlert('');
    state.sending = true;
    renderDetail();
    const r = await api<RepliedBody>('POST', `${conversationPath(key)}/reply`, { text } satisfies ReplyRequest);
    state.sending = false;
    if (r.ok) {
      if (r.data !== null && isEntry(r.data.entry)) conversation.addEntries(key, [r.data.entry]);
      if (key === state.selectedKey) {
        // Whatever was typed while the reply was on its way stays.
        if (ui.reply.value.trim() === text) ui.reply.value = '';
        state.lastInsert = null;
        ui.cannedSelect.value = '';
      } else {
        state.drafts.delete(key);
      }
    } else if (r.status === 403) {
      showAlert('Cuộc trò chuyện này không còn do anh/chị xử lý.');
      void queueList.refresh();
    } else if (r.status === 409) {
      const item = state.queue.get(key);
      if (item !== undefined) item.windowOpen = false;
      showAlert(`${WINDOW_CLOSED}.`);
      void queueList.refresh();
    } else {
      failed(r, 'Chưa gửi được câu trả lời.');
    }
    renderDetail();
    if (key === state.selectedKey && !ui.reply.disabled) ui.reply.focus();
  }

  function onCannedPicked(): void {
    const value = ui.cannedSelect.value;
    const picked = state.canned.find((c) => String(c.id) === value);
    const area = ui.reply;
    const lastInsert = state.lastInsert;
    // Keyboard users arrow through a closed select and each step is a change: the previous pick is
    // replaced while nothing else was typed, so only the last one stays.
    const replacing = lastInsert !== null && area.value === lastInsert.value;
    const start = replacing && lastInsert !== null ? lastInsert.start : area.selectionStart;
    const end = replacing && lastInsert !== null ? lastInsert.end : area.selectionEnd;
    if (picked === undefined) {
      if (replacing) area.setRangeText('', start, end, 'end');
      state.lastInsert = null;
      return;
    }
    area.setRangeText(picked.text, start, end, 'end');
    state.lastInsert = { start, end: start + picked.text.length, value: area.value };
  }

  return { claim, transfer, closeConversation, onReplyKey, sendReply, onCannedPicked };
}
