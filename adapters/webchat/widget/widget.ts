/**
 * The website chatbox: one script tag embeds it on any page.
 *
 *   <script src="https://<server>/widget.js" data-title="Hỏi đáp thủ tục" defer></script>
 *
 * Options (data- attributes): `data-server` (the assistant's base URL; default: where the script
 * came from), `data-title`, `data-open="true"` (open at once).
 *
 * Safety: every text from the citizen, the bot or an agent goes into the page as text nodes; links
 * are built as elements from validated URLs. Nothing is ever assigned to innerHTML.
 */

import { el, linkified } from '../../../src/http/browser/safe-dom.ts';

interface Entry {
  seq: number;
  from: 'citizen' | 'bot' | 'agent';
  text: string;
  suggestedActions: string[];
  messageId?: string;
  at: string;
}

interface Pending {
  id: string;
  text: string;
}

interface Saved {
  token?: string;
  outbox: Pending[];
  largeText: boolean;
  open: boolean;
}

type Frame =
  | { type: 'welcome'; conversationId: string; token: string; created: boolean }
  | { type: 'message'; entry: Entry }
  | { type: 'ack'; id: string; seq: number; duplicate: boolean }
  | { type: 'typing' }
  | { type: 'answered'; id: string; seq: number }
  | { type: 'error'; code: string; message: string; id?: string; retryAfterMs?: number }
  | { type: 'pong' };

const HANDOFF = 'Gặp cán bộ';
const MAX_CHARS = 2000;
const POLL_MS = 3000;
const TYPING_TIMEOUT_MS = 15_000;
/** A quick reply's visible label fits a phone's row; the full text is what the server maps to an action. */
const LABEL_CHARS = 30;
/** The addresses linkified() makes links of: read aloud as words, not letter by letter. */
const WEB_ADDRESS = /https?:\/\/[^\s<>"']+/g;
const SPEAKER_ICON = 'M3 9v6h4l5 5V4L7 9zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4z';
const STOP_ICON = 'M7 7h10v10H7z';

// document.currentScript is only set while the script first runs: read it now, start below.
const script = document.currentScript as HTMLScriptElement | null;

function start(): void {
  if (document.body === null) {
    document.addEventListener('DOMContentLoaded', start, { once: true });
    return;
  }
  const options: DOMStringMap = script?.dataset ?? {};
  const base = new URL(options.server ?? script?.src ?? location.href, location.href);
  const origin = base.origin;
  const title = options.title ?? 'Hỏi đáp thủ tục hành chính';
  const storeKey = `khcc-webchat:${origin}`;
  const saved = load();

  // ---- the UI, in a shadow root so the host page's styles and ours do not mix ----
  const host = el('div', { id: 'khcc-webchat' });
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = WIDGET_CSS;
  root.appendChild(style);

  const launcher = el('button', { class: 'launcher', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'khcc-panel' }, [
    icon('M4 4h16v11H8l-4 4z'),
    el('span', {}, ['Hỏi đáp']),
  ]);
  launcher.setAttribute('aria-label', `Mở hộp trò chuyện: ${title}`);

  const largeButton = el('button', { class: 'icon', type: 'button', 'aria-pressed': String(saved.largeText), title: 'Chữ to hơn' }, ['A+']);
  largeButton.setAttribute('aria-label', 'Chữ to hơn');
  const closeButton = el('button', { class: 'icon', type: 'button', title: 'Đóng' }, ['×']);
  closeButton.setAttribute('aria-label', 'Đóng hộp trò chuyện');
  const status = el('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0' });
  log.setAttribute('aria-label', 'Các tin nhắn');
  const outgoing = el('div', { class: 'outgoing' });
  const typing = el('div', { class: 'typing', hidden: '' }, [
    el('span', { class: 'dots', 'aria-hidden': 'true' }, [el('i'), el('i'), el('i')]),
    el('span', {}, ['Trợ lý đang trả lời…']),
  ]);
  const quickReplies = el('div', { class: 'quick', role: 'group' });
  quickReplies.setAttribute('aria-label', 'Gợi ý câu hỏi tiếp theo');
  const input = el('textarea', { rows: '1', maxlength: String(MAX_CHARS), placeholder: 'Nhập câu hỏi của anh/chị…', enterkeyhint: 'send' }) as HTMLTextAreaElement;
  input.setAttribute('aria-label', 'Nhập câu hỏi');
  const sendButton = el('button', { class: 'send', type: 'submit' }, ['Gửi']);
  const handoffButton = el('button', { class: 'handoff', type: 'button' }, [icon('M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 8a7 7 0 0 1 14 0z'), HANDOFF]);
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
  panel.classList.toggle('large', saved.largeText);

  // ---- conversation state ----
  let socket: WebSocket | null = null;
  let welcomed = false;
  let lastSeq = 0;
  let reconnectDelay = 500;
  let reconnectTimer: number | undefined;
  let pollTimer: number | undefined;
  let typingTimer: number | undefined;
  let idle = false;
  /** The last socket closed before it was welcomed: sends and polls go over HTTP meanwhile. */
  let socketFailed = false;
  const shown = new Set<number>();
  const pendingBubbles = new Map<string, HTMLElement>();
  for (const p of saved.outbox) showPending(p);

  // ---- reading a message aloud, for citizens who find reading hard ----
  // Only with a Vietnamese voice: any other voice makes Vietnamese unintelligible. Without one the
  // buttons are not shown at all (the panel lacks the 'speakable' class) rather than shown disabled:
  // a button the citizen can do nothing about is only clutter. Voices load asynchronously (Chrome
  // has none at first), so the buttons appear when `voiceschanged` brings a Vietnamese one.
  const synth = (window.speechSynthesis as SpeechSynthesis | undefined) ?? null;
  let voice: SpeechSynthesisVoice | null = null;
  /** The button of the message being read, and a number that tells this reading's events from an earlier one's. */
  let reading: HTMLButtonElement | null = null;
  let readingId = 0;
  if (synth !== null) {
    findVoice();
    synth.addEventListener('voiceschanged', findVoice);
  }

  launcher.addEventListener('click', () => (panel.hidden ? open() : close()));
  closeButton.addEventListener('click', () => close());
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
  });
  largeButton.addEventListener('click', () => {
    saved.largeText = !saved.largeText;
    largeButton.setAttribute('aria-pressed', String(saved.largeText));
    panel.classList.toggle('large', saved.largeText);
    save();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    send(input.value);
    input.value = '';
    autosize();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener('input', autosize);
  handoffButton.addEventListener('click', () => send(HANDOFF));

  if (options.open === 'true' || saved.open) open(false);

  function open(focus = true): void {
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    saved.open = true;
    save();
    connect();
    if (focus) input.focus();
    scrollDown();
  }

  function close(): void {
    stopReading();
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    saved.open = false;
    save();
    launcher.focus();
  }

  // ---- sending: every message waits in the outbox (kept across reloads) until the server acks it ----
  function send(raw: string): void {
    const text = raw.trim();
    if (text.length === 0) return;
    if (text.length > MAX_CHARS) {
      setStatus(`Tin nhắn dài quá ${MAX_CHARS} ký tự, xin anh/chị chia nhỏ.`);
      return;
    }
    const pending: Pending = { id: newId(), text };
    saved.outbox.push(pending);
    save();
    showPending(pending);
    setQuickReplies([]);
    transmit(pending);
  }

  function transmit(pending: Pending): void {
    if (socket !== null && socket.readyState === WebSocket.OPEN && welcomed) {
      socket.send(JSON.stringify({ type: 'message', id: pending.id, text: pending.text }));
      return;
    }
    if (saved.token !== undefined) void sendOverHttp(pending);
    else if (socketFailed) void startOverHttp();
    if (idle) connect();
  }

  /**
   * No socket could be opened (a proxy or a firewall that blocks WebSockets, or the server's cap):
   * the conversation starts over plain HTTP, then lives on sends and polls until a socket works.
   */
  let starting: Promise<void> | null = null;
  function startOverHttp(): Promise<void> {
    if (saved.token !== undefined) return Promise.resolve();
    starting ??= (async () => {
      try {
        const res = await fetch(`${origin}/webchat/v1/conversations`, { method: 'POST' });
        if (!res.ok) return;
        const body = (await res.json()) as { token?: unknown };
        if (typeof body.token !== 'string') return;
        saved.token = body.token;
        save();
        startPolling();
        flushOutbox();
      } catch {
        // Offline: the next reconnect tries again.
      } finally {
        starting = null;
      }
    })();
    return starting;
  }

  async function sendOverHttp(pending: Pending): Promise<void> {
    try {
      const res = await fetch(`${origin}/webchat/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${saved.token}` },
        body: JSON.stringify({ id: pending.id, text: pending.text }),
      });
      if (res.status === 429 || res.status === 503) {
        retryLater(pending.id, Number(res.headers.get('retry-after') ?? '2') * 1000);
        return;
      }
      if (res.status === 401) return forgetConversation();
      if (res.status === 400 || res.status === 413) return failPending(pending.id);
      if (!res.ok) return;
      const body = (await res.json()) as { ack: { id: string } };
      acknowledged(body.ack.id);
      startPolling();
    } catch {
      // Offline: the message stays in the outbox and goes with the next connection.
    }
  }

  function flushOutbox(): void {
    for (const pending of saved.outbox) transmit(pending);
  }

  function acknowledged(id: string): void {
    const before = saved.outbox.length;
    saved.outbox = saved.outbox.filter((p) => p.id !== id);
    if (saved.outbox.length !== before) save();
    pendingBubbles.get(id)?.classList.remove('unsent');
  }

  function retryLater(id: string, ms: number): void {
    window.setTimeout(() => {
      const pending = saved.outbox.find((p) => p.id === id);
      if (pending !== undefined) transmit(pending);
    }, Math.max(250, ms));
  }

  function failPending(id: string): void {
    saved.outbox = saved.outbox.filter((p) => p.id !== id);
    save();
    const bubble = pendingBubbles.get(id);
    if (bubble !== undefined) {
      bubble.classList.add('failed');
      bubble.appendChild(el('span', { class: 'note' }, ['Chưa gửi được tin này.']));
      pendingBubbles.delete(id);
    }
  }

  // ---- the socket: hello with the token and the last sequence number; everything after it comes back ----
  function connect(): void {
    idle = false;
    if (socket !== null && socket.readyState <= WebSocket.OPEN) return;
    window.clearTimeout(reconnectTimer);
    const url = new URL('/webchat/v1/socket', origin);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch {
      socketFailed = true;
      void startOverHttp();
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', after: lastSeq, ...(saved.token ? { token: saved.token } : {}) }));
    ws.onmessage = (event) => {
      try {
        handle(JSON.parse(String(event.data)) as Frame, ws);
      } catch {
        // A frame we cannot read is skipped; the transcript will bring the message again on resume.
      }
    };
    ws.onclose = (event) => {
      if (socket === ws) socket = null;
      if (!welcomed) socketFailed = true;
      welcomed = false;
      if (event.code === 4000) {
        // Closed for idleness: reconnect when the citizen comes back to it.
        idle = true;
        return;
      }
      if (saved.token === undefined) void startOverHttp();
      else setStatus('Đang kết nối lại…');
      startPolling();
      scheduleReconnect();
    };
  }

  function scheduleReconnect(): void {
    window.clearTimeout(reconnectTimer);
    const delay = reconnectDelay * (0.75 + Math.random() / 2);
    reconnectDelay = Math.min(reconnectDelay * 2, 15_000);
    reconnectTimer = window.setTimeout(connect, delay);
  }

  function handle(frame: Frame, ws: WebSocket): void {
    switch (frame.type) {
      case 'welcome':
        saved.token = frame.token;
        save();
        welcomed = true;
        socketFailed = false;
        reconnectDelay = 500;
        setStatus('');
        stopPolling();
        flushOutbox();
        return;
      case 'message':
        return showEntry(frame.entry);
      case 'ack':
        return acknowledged(frame.id);
      case 'typing':
        return showTyping(true);
      case 'answered':
        return showTyping(false);
      case 'error':
        if (frame.code === 'bad_token') {
          forgetConversation();
          ws.send(JSON.stringify({ type: 'hello', after: 0 }));
        } else if ((frame.code === 'rate_limited' || frame.code === 'server_busy') && frame.id !== undefined) {
          retryLater(frame.id, frame.retryAfterMs ?? 2000);
        } else if ((frame.code === 'message_too_long' || frame.code === 'message_empty') && frame.id !== undefined) {
          failPending(frame.id);
        }
        return;
      default:
        return;
    }
  }

  function forgetConversation(): void {
    delete saved.token;
    lastSeq = 0;
    save();
  }

  // ---- polling while the socket is down (a proxy that blocks WebSockets, a network change) ----
  function startPolling(): void {
    if (pollTimer !== undefined || saved.token === undefined) return;
    pollTimer = window.setInterval(() => void poll(), POLL_MS);
  }

  function stopPolling(): void {
    window.clearInterval(pollTimer);
    pollTimer = undefined;
  }

  async function poll(): Promise<void> {
    if (welcomed || saved.token === undefined) return stopPolling();
    try {
      const res = await fetch(`${origin}/webchat/v1/messages?after=${lastSeq}`, { headers: { authorization: `Bearer ${saved.token}` } });
      if (!res.ok) return;
      // The conversation goes on over HTTP: nothing for the citizen to wait for.
      setStatus('');
      const body = (await res.json()) as { entries: Entry[] };
      for (const entry of body.entries) showEntry(entry);
    } catch {
      // Still offline.
    }
  }

  // ---- rendering ----
  function showEntry(entry: Entry): void {
    if (shown.has(entry.seq)) return;
    shown.add(entry.seq);
    lastSeq = Math.max(lastSeq, entry.seq);
    if (entry.from === 'citizen' && entry.messageId !== undefined) {
      pendingBubbles.get(entry.messageId)?.remove();
      pendingBubbles.delete(entry.messageId);
      acknowledged(entry.messageId);
    }
    const who = entry.from === 'citizen' ? 'Anh/chị' : entry.from === 'agent' ? 'Cán bộ' : 'Trợ lý';
    const bubble = el('div', { class: `msg ${entry.from}`, 'data-seq': String(entry.seq) }, [el('span', { class: 'sr' }, [`${who}: `])]);
    bubble.appendChild(linkified(entry.text, { phones: true }));
    if (entry.from !== 'citizen') bubble.appendChild(listenButton(entry.text));
    insertInOrder(bubble, entry.seq);
    if (entry.from !== 'citizen') {
      showTyping(false);
      if (entry.seq === lastSeq) setQuickReplies(entry.suggestedActions);
      reveal(bubble);
    } else {
      if (entry.seq === lastSeq) setQuickReplies([]);
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
    while (first.previousElementSibling !== null && !first.previousElementSibling.classList.contains('citizen')) first = first.previousElementSibling;
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
    const bubble = el('div', { class: 'msg citizen unsent' }, [el('span', { class: 'sr' }, ['Anh/chị: ']), pending.text]);
    outgoing.appendChild(bubble);
    pendingBubbles.set(pending.id, bubble);
    scrollDown();
  }

  function setQuickReplies(titles: readonly string[]): void {
    quickReplies.replaceChildren(
      ...titles.map((t) => {
        // A long label is shortened on screen only: the full text is its name, its tooltip, and what is sent.
        const button = el('button', { type: 'button', title: t }, [shortLabel(t)]);
        button.setAttribute('aria-label', t);
        // The tapped button goes away with the others: keyboard users continue from the input.
        button.addEventListener('click', () => {
          send(t);
          input.focus();
        });
        return button;
      }),
    );
    quickReplies.scrollLeft = 0;
  }

  // ---- reading a message aloud (the state is declared with the conversation's, above) ----
  function findVoice(): void {
    voice = vietnameseVoice(synth!.getVoices());
    panel.classList.toggle('speakable', voice !== null);
    if (voice === null) stopReading();
  }

  function listenButton(text: string): HTMLButtonElement {
    const button = el('button', { class: 'listen', type: 'button', 'aria-pressed': 'false' }, [icon(SPEAKER_ICON, 18), 'Nghe']);
    button.setAttribute('aria-label', 'Nghe tin nhắn này');
    button.addEventListener('click', () => (reading === button ? stopReading() : readAloud(button, text)));
    return button;
  }

  function readAloud(button: HTMLButtonElement, text: string): void {
    stopReading();
    if (synth === null || voice === null) return;
    const id = ++readingId;
    const finished = () => {
      if (id === readingId) stopReading();
    };
    // One utterance per line: Chrome cuts a single long utterance off after about 15 seconds.
    const lines = spokenText(text).split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
    lines.forEach((line, i) => {
      const utterance = new SpeechSynthesisUtterance(line);
      utterance.lang = 'vi-VN';
      utterance.voice = voice;
      utterance.onerror = finished;
      if (i === lines.length - 1) utterance.onend = finished;
      synth.speak(utterance);
    });
    reading = button;
    showReading(button, true);
  }

  function stopReading(): void {
    if (reading === null) return;
    const button = reading;
    reading = null;
    readingId += 1;
    synth?.cancel();
    showReading(button, false);
  }

  function showReading(button: HTMLButtonElement, on: boolean): void {
    button.setAttribute('aria-pressed', String(on));
    if (on) button.title = 'Dừng đọc';
    else button.removeAttribute('title');
    button.firstElementChild?.replaceWith(icon(on ? STOP_ICON : SPEAKER_ICON, 18));
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

  // ---- storage: the token and unsent messages survive a reload (not the messages: the server replays them) ----
  function load(): Saved {
    try {
      const raw = JSON.parse(localStorage.getItem(storeKey) ?? '{}') as Partial<Saved>;
      return {
        ...(typeof raw.token === 'string' ? { token: raw.token } : {}),
        outbox: Array.isArray(raw.outbox) ? raw.outbox.filter((p) => typeof p?.id === 'string' && typeof p?.text === 'string') : [],
        largeText: raw.largeText === true,
        open: raw.open === true,
      };
    } catch {
      return { outbox: [], largeText: false, open: false };
    }
  }

  function save(): void {
    try {
      localStorage.setItem(storeKey, JSON.stringify(saved));
    } catch {
      // Storage full or disabled: the chat still works for this page view.
    }
  }
}

/** The label shown on a quick reply: at most LABEL_CHARS characters, cut at a word and marked with "…". */
function shortLabel(text: string): string {
  if (text.length <= LABEL_CHARS) return text;
  const cut = text.slice(0, LABEL_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space >= LABEL_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A Vietnamese voice, the one for Vietnam first (Android names it vi_VN). */
function vietnameseVoice(voices: readonly SpeechSynthesisVoice[]): SpeechSynthesisVoice | null {
  const vietnamese = voices.filter((v) => /^vi(?:[-_]|$)/i.test(v.lang));
  return vietnamese.find((v) => /^vi[-_]vn$/i.test(v.lang)) ?? vietnamese[0] ?? null;
}

/** A message as it is read aloud: a web address is said as "đường link", not spelled out. */
function spokenText(text: string): string {
  return text.replace(WEB_ADDRESS, 'đường link');
}

function newId(): string {
  const random = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
  return random.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64);
}

/** A small icon drawn from one SVG path (emoji fonts are missing on some computers). */
function icon(path: string, size = 20): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('fill', 'currentColor');
  const shape = document.createElementNS(ns, 'path');
  shape.setAttribute('d', path);
  svg.appendChild(shape);
  return svg;
}

const WIDGET_CSS = `
:host { all: initial; }
* { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
button { font: inherit; cursor: pointer; }
/* Focus ring: at least 3:1 against the surface around it (WCAG 1.4.11). Dark amber on the light surfaces
   (6.1:1 on #eef4fb and up), light amber on the blue ones (4.7:1 on #0b5cad); the launcher, over a page
   we do not know, also gets a white halo in the ring's gap so it shows on a dark page too. */
button:focus-visible, textarea:focus-visible, .log:focus-visible, a:focus-visible { outline: 3px solid #8a4b00; outline-offset: 2px; }
header button:focus-visible, .msg.citizen a:focus-visible { outline-color: #ffd27a; }
.launcher:focus-visible { box-shadow: 0 0 0 2px #fff, 0 4px 14px rgba(0,0,0,.25); }
.launcher { position: fixed; right: 16px; bottom: 16px; z-index: 2147483000; display: flex; gap: 8px; align-items: center;
  min-height: 52px; padding: 0 20px; border: 0; border-radius: 26px; background: #0b5cad; color: #fff; font-size: 17px;
  box-shadow: 0 4px 14px rgba(0,0,0,.25); }
.panel { position: fixed; right: 16px; bottom: 80px; z-index: 2147483000; width: 380px; max-width: calc(100vw - 32px);
  height: 720px; max-height: calc(100vh - 100px); display: flex; flex-direction: column; background: #fff; color: #1a1a1a;
  border-radius: 12px; box-shadow: 0 8px 30px rgba(0,0,0,.3); overflow: hidden; font-size: 16px; line-height: 1.45; }
.panel[hidden] { display: none; }
.panel.large { font-size: 19px; }
header { display: flex; align-items: center; gap: 4px; padding: 6px 6px 6px 16px; background: #0b5cad; color: #fff; }
h2 { flex: 1; min-width: 0; margin: 0; font-size: 1.05em; font-weight: 600; overflow-wrap: anywhere; }
.icon { flex: none; min-width: 44px; min-height: 44px; border: 0; border-radius: 8px; background: transparent; color: #fff; font-size: 1.1em; }
.icon[aria-pressed="true"] { background: rgba(255,255,255,.25); }
.privacy { margin: 0; padding: 4px 12px; background: #eef4fb; color: #2b3a4a; font-size: .8em; }
.status:not(:empty) { padding: 6px 16px; background: #fff4d6; color: #5a4300; font-size: .85em; }
.scroller { flex: 1; overflow-y: auto; padding: 12px; background: #f6f7f9; }
.log, .outgoing { display: flex; flex-direction: column; gap: 8px; }
.outgoing { margin-top: 8px; }
.msg { max-width: 85%; padding: 8px 12px; border-radius: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
/* Answers are long lists and the panel is phone-narrow everywhere: they take the whole width, which
   saves lines to scroll; the citizen's own short messages keep the chat's offset to the right. */
.msg.bot, .msg.agent { align-self: flex-start; max-width: 100%; background: #fff; border: 1px solid #dde3ea; }
.msg.agent { border-color: #2f8f4e; }
.msg.citizen { align-self: flex-end; background: #0b5cad; color: #fff; }
.msg.citizen a { color: #fff; }
.msg.unsent { opacity: .7; }
.msg.failed { background: #b3261e; }
.note { display: block; font-size: .8em; }
a { color: #0b5cad; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.typing { display: flex; gap: 8px; align-items: center; margin-top: 8px; color: #555; font-size: .85em; }
.typing[hidden] { display: none; }
.dots i { display: inline-block; width: 6px; height: 6px; margin: 0 2px; border-radius: 50%; background: #888; animation: blink 1.2s infinite; }
.dots i:nth-child(2) { animation-delay: .2s; } .dots i:nth-child(3) { animation-delay: .4s; }
@keyframes blink { 50% { opacity: .2; } }
@media (prefers-reduced-motion: reduce) { .dots i { animation: none; } }
.msg .listen { display: none; }
.speakable .msg .listen { display: flex; align-items: center; gap: 4px; width: fit-content; min-height: 32px; margin-top: 6px;
  padding: 2px 12px 2px 8px; border: 1px solid #0b5cad; border-radius: 16px; background: #fff; color: #0b5cad; font-size: .85em; }
.speakable .msg .listen[aria-pressed="true"] { background: #0b5cad; color: #fff; }
/* Quick replies: one row that scrolls sideways, so suggestions never eat the message area; labels are
   kept short by the script, and nowrap keeps each on one line. */
.quick { display: flex; gap: 6px; padding: 0 12px; overflow-x: auto; overscroll-behavior-x: contain; scrollbar-width: thin; background: #f6f7f9; }
.quick:not(:empty) { padding: 8px 12px; }
.quick button { flex: none; min-height: 40px; padding: 6px 12px; border: 1px solid #0b5cad; border-radius: 20px; background: #fff; color: #0b5cad; white-space: nowrap; }
.actions { display: flex; justify-content: flex-end; padding: 4px 12px; border-top: 1px solid #e3e6ea; }
.handoff { display: flex; gap: 6px; align-items: center; min-height: 40px; padding: 4px 12px; border: 0; border-radius: 8px; background: transparent; color: #2f6b3a; font-weight: 600; }
.composer { display: flex; gap: 8px; padding: 8px 12px 12px; }
/* The field's border is what shows where to type: 4.6:1 on white (WCAG 1.4.11). */
textarea { flex: 1; min-width: 0; resize: none; min-height: 44px; max-height: 120px; padding: 10px; border: 1px solid #6b7785; border-radius: 10px; font: inherit; }
.send { flex: none; min-width: 64px; min-height: 44px; border: 0; border-radius: 10px; background: #0b5cad; color: #fff; font-weight: 600; }
/* A phone, or a desktop at 200-400% zoom: the panel is the whole window. Edges rather than 100vw, which
   counts a page's scrollbar too and would push the panel's left side off the screen. */
@media (max-width: 480px) {
  .panel { top: 0; right: 0; bottom: 0; left: 0; width: auto; max-width: none; height: auto; max-height: none; border-radius: 0; }
}
`;
start();

export {};
