/**
 * The selected conversation: its transcript (loaded once, then kept up by the live stream), its
 * details, and which actions and replies it allows this officer.
 */

import { el, linkified } from '../../http/browser/safe-dom.ts';
import type { AgentsBody, ConsoleEntry, QueueItem, TranscriptBody } from '../console-wire.ts';
import { conversationPath, failed, type Api } from './api.ts';
import {
  BY_NAME,
  channelName,
  formatTime,
  formatWait,
  isAgent,
  isEntry,
  queueName,
  reasonName,
  speakerClass,
  speakerName,
  timeElement,
} from './format.ts';
import { say, showAlert, ui } from './page.ts';
import type { QueueList } from './queue-list.ts';
import { agentName, isMine, type ConsoleState } from './state.ts';

export type ConversationView = ReturnType<typeof createConversationView>;

export function createConversationView(state: ConsoleState, api: Api, queueList: QueueList) {
  let transcriptLog: HTMLElement | null = null;
  let loadingKey: string | null = null;
  let transferSignature = '';

  function select(key: string | null): void {
    if (key === state.selectedKey) return;
    saveDraft();
    showAlert('');
    say(ui.status, '');
    state.selectedKey = key;
    state.lastInsert = null;
    ui.cannedSelect.value = '';
    ui.reply.value = key === null ? '' : (state.drafts.get(key) ?? '');
    if (key !== null && !state.transcripts.has(key)) state.transcripts.set(key, new Map());
    newTranscriptLog();
    queueList.render();
    renderDetail();
    if (key !== null) {
      void loadTranscript(key);
      void loadAgents();
    }
  }

  function saveDraft(): void {
    const key = state.selectedKey;
    if (key === null) return;
    if (ui.reply.value.trim() === '') state.drafts.delete(key);
    else state.drafts.set(key, ui.reply.value);
  }

  /** Forgets the previous session's conversation view (its data goes with the rest of the state). */
  function reset(): void {
    transcriptLog = null;
    loadingKey = null;
    transferSignature = '';
    ui.scroller.replaceChildren();
    ui.transferTo.replaceChildren();
  }

  /**
   * A new log element for each conversation: a live region inserted whole is not read out, so
   * switching conversations does not read a whole transcript aloud, while later messages are.
   */
  function newTranscriptLog(): void {
    transcriptLog = null;
    if (state.selectedKey === null) {
      ui.scroller.replaceChildren();
      return;
    }
    const log = el('div', {
      class: 'transcript',
      role: 'log',
      tabindex: '0',
      'aria-label': 'Nội dung cuộc trò chuyện',
    });
    const entries = Array.from(state.transcripts.get(state.selectedKey)?.values() ?? []).sort((a, b) => a.seq - b.seq);
    for (const entry of entries) log.appendChild(messageElement(entry));
    transcriptLog = log;
    ui.scroller.replaceChildren(log);
    scrollDown(true);
  }

  async function loadTranscript(key: string): Promise<void> {
    loadingKey = key;
    showLoading();
    const r = await api<TranscriptBody>('GET', `${conversationPath(key)}/transcript`);
    if (loadingKey === key) loadingKey = null;
    showLoading();
    if (r.ok && r.data !== null && Array.isArray(r.data.entries)) {
      addEntries(key, r.data.entries.filter(isEntry));
    } else if (r.status === 404) {
      // Not in the queue any more: the list catches up, and the detail says so.
      if (state.queue.has(key)) queueList.remove(key);
      queueList.render();
      renderDetail();
      void queueList.refresh();
    } else if (key === state.selectedKey) {
      failed(r, 'Không tải được nội dung cuộc trò chuyện.');
    }
  }

  function showLoading(): void {
    const existing = ui.scroller.querySelector('.loading');
    const want =
      loadingKey !== null && loadingKey === state.selectedKey && (state.transcripts.get(loadingKey)?.size ?? 0) === 0;
    if (!want) {
      existing?.remove();
      return;
    }
    if (existing === null) ui.scroller.prepend(el('p', { class: 'loading' }, ['Đang tải nội dung…']));
  }

  /** Entries from the transcript, the live stream or a reply's answer: each seq shown once, in order. */
  function addEntries(key: string, entries: ConsoleEntry[]): void {
    const cache = state.transcripts.get(key);
    for (const entry of entries) {
      if (!isEntry(entry)) continue;
      queueList.noteLastMessage(key, entry);
      if (cache === undefined || cache.has(entry.seq)) continue;
      cache.set(entry.seq, entry);
      if (key === state.selectedKey) showEntry(entry);
    }
    if (key === state.selectedKey) showLoading();
  }

  function showEntry(entry: ConsoleEntry): void {
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

  function messageElement(entry: ConsoleEntry): HTMLElement {
    const from = speakerClass(entry.from);
    const who =
      from === 'agent'
        ? `Cán bộ ${entry.agent !== undefined ? agentName(state, entry.agent) : ''}`.trim()
        : speakerName(from);
    const bubble = el('div', { class: `msg ${from}`, 'data-seq': String(entry.seq) }, [
      el('span', { class: 'sr' }, [`${who}: `]),
    ]);
    // A citizen's links stay text: an officer should not be one click away from whatever they paste.
    bubble.append(from === 'citizen' ? entry.text : linkified(entry.text, { phones: false }));
    if (from === 'bot' && Array.isArray(entry.suggestedActions) && entry.suggestedActions.length > 0) {
      bubble.append(el('span', { class: 'chips' }, [`Gợi ý: ${entry.suggestedActions.join(' · ')}`]));
    }
    const stamp = el('span', { class: 'stamp' });
    if (from === 'agent' && entry.agent !== undefined)
      stamp.append(el('span', { 'aria-hidden': 'true' }, [`${agentName(state, entry.agent)} · `]));
    stamp.append(timeElement(entry.at));
    bubble.append(stamp);
    return bubble;
  }

  function renderDetail(): void {
    const key = state.selectedKey;
    ui.noSelection.hidden = key !== null;
    ui.conversation.hidden = key === null;
    if (key === null) return;
    const item = state.queue.get(key) ?? null;
    const me = state.session?.agent;
    const mine = item !== null && isMine(state, item);
    const supervisor = me?.role === 'supervisor';
    const windowOpen = item === null || item.windowOpen !== false;

    ui.convTitle.textContent = item === null ? 'Cuộc trò chuyện đã rời danh sách' : conversationTitle(item);
    renderMeta(item);
    ui.goneNote.hidden = item !== null;
    ui.windowNote.hidden = windowOpen;
    ui.claim.hidden = item === null || item.status === 'active';
    ui.claim.disabled = state.busy;
    ui.transferBox.hidden = item === null || !(mine || supervisor);
    renderTransferOptions(item);
    ui.transfer.disabled = state.busy || ui.transferTo.value === '';
    ui.close.hidden = item === null || !(mine || supervisor);
    ui.close.disabled = state.busy;

    const canReply = item !== null && mine && windowOpen;
    ui.reply.disabled = !canReply;
    ui.send.disabled = !canReply || state.sending;
    ui.cannedSelect.disabled = !canReply || state.canned.length === 0;
    ui.replyHint.textContent = replyHint(item, canReply);
  }

  function renderMeta(item: QueueItem | null): void {
    if (item === null) {
      ui.convMeta.replaceChildren();
      return;
    }
    const rows: [string, string][] = [];
    rows.push([
      'Trạng thái',
      item.status === 'active'
        ? `Đang xử lý: ${isMine(state, item) ? 'anh/chị' : agentName(state, item.claimedBy)}`
        : 'Đang chờ',
    ]);
    rows.push(['Lý do', reasonName(item.reason)]);
    rows.push(['Hàng chờ', queueName(item.queue)]);
    rows.push(['Chờ từ', `${formatTime(item.waitingSince)} (${formatWait(item.waitingSince)})`]);
    if (item.procedure !== null && item.procedure !== undefined)
      rows.push(['Thủ tục', `${item.procedure.name} (${item.procedure.code})`]);
    if (item.intent !== null && item.intent !== '') rows.push(['Ý định', item.intent]);
    if (item.dossierCode !== null && item.dossierCode !== '') rows.push(['Mã hồ sơ', item.dossierCode]);
    ui.convMeta.replaceChildren(
      ...rows.map((row) => el('div', {}, [el('dt', {}, [`${row[0]}:`]), el('dd', {}, [row[1]])])),
    );
  }

  function replyHint(item: QueueItem | null, canReply: boolean): string {
    if (item === null) return 'Cuộc trò chuyện này không còn nhận trả lời.';
    if (canReply) return 'Enter để gửi, Shift+Enter để xuống dòng.';
    if (item.status !== 'active') return 'Bấm “Nhận xử lý” để trả lời người dân.';
    if (!isMine(state, item)) return `Cán bộ ${agentName(state, item.claimedBy)} đang xử lý cuộc trò chuyện này.`;
    return 'Kênh này không nhận thêm tin trả lời.';
  }

  /** Other officers, online ones first; rebuilt only when the choice changes, not under the agent's hands. */
  function renderTransferOptions(item: QueueItem | null): void {
    const me = state.session?.agent.username;
    const others = state.agents
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

  /** The officers to transfer to (and their names, for the lists and the transcript). */
  async function loadAgents(): Promise<void> {
    const r = await api<AgentsBody>('GET', '/agent/api/agents');
    if (!r.ok || r.data === null || !Array.isArray(r.data.agents)) return;
    state.agents = r.data.agents.filter(isAgent);
    queueList.render();
    renderDetail();
  }

  return { select, reset, newTranscriptLog, addEntries, renderDetail, loadAgents };
}

function conversationTitle(item: QueueItem): string {
  const topic = item.procedure?.name ?? item.intent ?? 'Cuộc trò chuyện';
  return `${channelName(item.channel)} · ${topic}`;
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
