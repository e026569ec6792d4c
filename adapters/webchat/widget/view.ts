import { el, linkified } from '../../../src/http/browser/safe-dom.ts';
import type { MaxTextChars, WebchatEntry } from '../webchat-wire.ts';
import { icon } from './icon.ts';
import type { Pending, WidgetState } from './saved-state.ts';
import { WIDGET_CSS } from './widget-css.ts';

export const HANDOFF = 'Gặp cán bộ';
/** The server's cap on a message (webchat-wire.ts): the input stops there, and a longer text is not sent. */
export const MAX_CHARS: MaxTextChars = 2000;
const TYPING_TIMEOUT_MS = 15_000;
/** A quick reply's visible label fits a phone's row; the full text is what the server maps to an action. */
const LABEL_CHARS = 30;

/** What the view asks of the rest of the widget. */
export interface ViewHooks {
  /** A quick reply was tapped. */
  send(text: string): void;
  /** The citizen's own message came back from the server: it is no longer pending. */
  acknowledged(id: string): void;
  /** The read-aloud button of a bot's or an agent's message. */
  listenButton(text: string): HTMLButtonElement;
}

/**
 * The chatbox on the page: a launcher and a panel with the log, the quick replies and the input, in
 * a shadow root so the host page's styles and ours do not mix. Appended to the body at once.
 */
export function createView(title: string, state: WidgetState, hooks: ViewHooks) {
  const host = el('div', { id: 'khcc-webchat' });
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = WIDGET_CSS;
  root.appendChild(style);

  const launcher = el(
    'button',
    { class: 'launcher', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'khcc-panel' },
    [icon('M4 4h16v11H8l-4 4z'), el('span', {}, ['Hỏi đáp'])],
  );
  launcher.setAttribute('aria-label', `Mở hộp trò chuyện: ${title}`);

  const largeButton = el(
    'button',
    { class: 'icon', type: 'button', 'aria-pressed': String(state.saved.largeText), title: 'Chữ to hơn' },
    ['A+'],
  );
  largeButton.setAttribute('aria-label', 'Chữ to hơn');
  const closeButton = el('button', { class: 'icon', type: 'button', title: 'Đóng' }, ['×']);
  closeButton.setAttribute('aria-label', 'Đóng hộp trò chuyện');
  const status = el('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const log = el('div', {
    class: 'log',
    role: 'log',
    'aria-live': 'polite',
    'aria-relevant': 'additions',
    tabindex: '0',
  });
  log.setAttribute('aria-label', 'Các tin nhắn');
  const outgoing = el('div', { class: 'outgoing' });
  const typing = el('div', { class: 'typing', hidden: '' }, [
    el('span', { class: 'dots', 'aria-hidden': 'true' }, [el('i'), el('i'), el('i')]),
    el('span', {}, ['Trợ lý đang trả lời…']),
  ]);
  const quickReplies = el('div', { class: 'quick', role: 'group' });
  quickReplies.setAttribute('aria-label', 'Gợi ý câu hỏi tiếp theo');
  const input = el('textarea', {
    rows: '1',
    maxlength: String(MAX_CHARS),
    placeholder: 'Nhập câu hỏi của anh/chị…',
    enterkeyhint: 'send',
  }) as HTMLTextAreaElement;
  input.setAttribute('aria-label', 'Nhập câu hỏi');
  const sendButton = el('button', { class: 'send', type: 'submit' }, ['Gửi']);
  const handoffButton = el('button', { class: 'handoff', type: 'button' }, [
    icon('M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 8a7 7 0 0 1 14 0z'),
    HANDOFF,
  ]);
  handoffButton.setAttribute('aria-label', `${HANDOFF} hỗ trợ`);
  const form = el('form', { class: 'composer' }, [input, sendButton]) as HTMLFormElement;
  const panel = el('section', { class: 'panel', id: 'khcc-panel', role: 'dialog', hidden: '' }, [
    el('header', {}, [el('h2', {}, [title]), largeButton, closeButton]),
    el('p', { class: 'privacy' }, ['Bảo vệ dữ liệu cá nhân theo Nghị định 13/2023/NĐ-CP.']),
    status,
    el('div', { class: 'scroller' }, [log, outgoing, typing]),
    quickReplies,
    el('div', { class: 'actions' }, [handoffButton]),
    form,
  ]);
  panel.setAttribute('aria-label', title);
  root.append(launcher, panel);
  document.body.appendChild(host);
  panel.classList.toggle('large', state.saved.largeText);

  /** The sequence numbers in the log, and the bubbles of messages not yet back from the server, by client id. */
  const shown = new Set<number>();
  const pendingBubbles = new Map<string, HTMLElement>();
  let typingTimer: number | undefined;

  function showEntry(entry: WebchatEntry): void {
    if (shown.has(entry.seq)) return;
    shown.add(entry.seq);
    state.lastSeq = Math.max(state.lastSeq, entry.seq);
    if (entry.from === 'citizen' && entry.messageId !== undefined) {
      pendingBubbles.get(entry.messageId)?.remove();
      pendingBubbles.delete(entry.messageId);
      hooks.acknowledged(entry.messageId);
    }
    const who = entry.from === 'citizen' ? 'Anh/chị' : entry.from === 'agent' ? 'Cán bộ' : 'Trợ lý';
    const bubble = el('div', { class: `msg ${entry.from}`, 'data-seq': String(entry.seq) }, [
      el('span', { class: 'sr' }, [`${who}: `]),
    ]);
    bubble.appendChild(linkified(entry.text, { phones: true }));
    if (entry.from !== 'citizen') bubble.appendChild(hooks.listenButton(entry.text));
    insertInOrder(bubble, entry.seq);
    if (entry.from !== 'citizen') {
      showTyping(false);
      if (entry.seq === state.lastSeq) setQuickReplies(entry.suggestedActions);
      reveal(bubble);
    } else {
      if (entry.seq === state.lastSeq) setQuickReplies([]);
      scrollDown();
    }
  }

  /**
   * A reply is read from its start: the log goes to its end, but never so far that the reply's first
   * line (its first bubble, when it came in several) is above the view; a long list of papers would
   * otherwise open on its source link. The question it answers stays in view above it when short.
   */
  function reveal(bubble: HTMLElement): void {
    let first: Element = bubble;
    while (first.previousElementSibling !== null && !first.previousElementSibling.classList.contains('citizen'))
      first = first.previousElementSibling;
    const scroller = log.parentElement!;
    const view = scroller.getBoundingClientRect();
    const question = first.previousElementSibling;
    if (question !== null && question.getBoundingClientRect().height < view.height / 4) first = question;
    const start = scroller.scrollTop + first.getBoundingClientRect().top - view.top - 12;
    // Past the end, the browser stops at the end.
    scroller.scrollTop = Math.min(start, scroller.scrollHeight);
  }

  /** Entries come in order, except after a reconnect overlaps a poll: keep the log sorted by seq. */
  function insertInOrder(bubble: HTMLElement, seq: number): void {
    let next: Element | null = null;
    for (const child of Array.from(log.children)) {
      if (Number((child as HTMLElement).dataset.seq) > seq) {
        next = child;
        break;
      }
    }
    log.insertBefore(bubble, next);
  }

  function showPending(pending: Pending): void {
    const bubble = el('div', { class: 'msg citizen unsent' }, [
      el('span', { class: 'sr' }, ['Anh/chị: ']),
      pending.text,
    ]);
    outgoing.appendChild(bubble);
    pendingBubbles.set(pending.id, bubble);
    scrollDown();
  }

  /** The server has the message: its bubble no longer looks unsent. */
  function markSent(id: string): void {
    pendingBubbles.get(id)?.classList.remove('unsent');
  }

  /** The server refused the message: its bubble says so, and stays. */
  function markFailed(id: string): void {
    const bubble = pendingBubbles.get(id);
    if (bubble !== undefined) {
      bubble.classList.add('failed');
      bubble.appendChild(el('span', { class: 'note' }, ['Chưa gửi được tin này.']));
      pendingBubbles.delete(id);
    }
  }

  function setQuickReplies(titles: readonly string[]): void {
    quickReplies.replaceChildren(
      ...titles.map((t) => {
        // A long label is shortened on screen only: the full text is its name, its tooltip, and what is sent.
        const button = el('button', { type: 'button', title: t }, [shortLabel(t)]);
        button.setAttribute('aria-label', t);
        // The tapped button goes away with the others: keyboard users continue from the input.
        button.addEventListener('click', () => {
          hooks.send(t);
          input.focus();
        });
        return button;
      }),
    );
    quickReplies.scrollLeft = 0;
  }

  function showTyping(on: boolean): void {
    typing.hidden = !on;
    window.clearTimeout(typingTimer);
    if (!on) return;
    typingTimer = window.setTimeout(() => (typing.hidden = true), TYPING_TIMEOUT_MS);
    // Only the indicator's arrival scrolls: its going must not move a long answer off its first line.
    scrollDown();
  }

  function setStatus(text: string): void {
    status.textContent = text;
  }

  function scrollDown(): void {
    const scroller = log.parentElement!;
    scroller.scrollTop = scroller.scrollHeight;
  }

  function autosize(): void {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 120)}px`;
  }

  return {
    launcher,
    panel,
    largeButton,
    closeButton,
    handoffButton,
    form,
    input,
    showEntry,
    showPending,
    markSent,
    markFailed,
    setQuickReplies,
    showTyping,
    setStatus,
    scrollDown,
    autosize,
  };
}

/** The label shown on a quick reply: at most LABEL_CHARS characters, cut at a word and marked with "…". */
function shortLabel(text: string): string {
  if (text.length <= LABEL_CHARS) return text;
  const cut = text.slice(0, LABEL_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space >= LABEL_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
