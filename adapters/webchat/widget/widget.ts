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
 *
 * This file wires the parts: saved-state.ts (what survives a reload), view.ts (the panel: log,
 * quick replies, input), connection.ts (WebSocket, HTTP fallback), read-aloud.ts (speech). The
 * frames they exchange with the server are declared in ../webchat-wire.ts.
 */

import { createConnection } from './connection.ts';
import { createReadAloud } from './read-aloud.ts';
import { loadState, type Pending } from './saved-state.ts';
import { createView, HANDOFF, MAX_CHARS } from './view.ts';

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
  const state = loadState(`khcc-webchat:${origin}`);
  const saved = state.saved;

  const view = createView(title, state, {
    send,
    acknowledged,
    listenButton: (text) => reader.listenButton(text),
  });
  for (const p of saved.outbox) view.showPending(p);
  const reader = createReadAloud((available) => view.panel.classList.toggle('speakable', available));
  const connection = createConnection(origin, state, {
    entry: view.showEntry,
    acknowledged,
    failed: failPending,
    typing: view.showTyping,
    status: view.setStatus,
  });

  // No destructuring here: esbuild cannot lower it for Safari 14 (older iPhones).
  const launcher = view.launcher;
  const panel = view.panel;
  const largeButton = view.largeButton;
  const form = view.form;
  const input = view.input;
  launcher.addEventListener('click', () => (panel.hidden ? open() : close()));
  view.closeButton.addEventListener('click', () => close());
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
  });
  largeButton.addEventListener('click', () => {
    saved.largeText = !saved.largeText;
    largeButton.setAttribute('aria-pressed', String(saved.largeText));
    panel.classList.toggle('large', saved.largeText);
    state.save();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    send(input.value);
    input.value = '';
    view.autosize();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener('input', view.autosize);
  view.handoffButton.addEventListener('click', () => send(HANDOFF));

  if (options.open === 'true' || saved.open) open(false);

  function open(focus = true): void {
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    saved.open = true;
    state.save();
    connection.connect();
    if (focus) input.focus();
    view.scrollDown();
  }

  function close(): void {
    reader.stopReading();
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    saved.open = false;
    state.save();
    launcher.focus();
  }

  // ---- sending: every message waits in the outbox (kept across reloads) until the server acks it ----
  function send(raw: string): void {
    const text = raw.trim();
    if (text.length === 0) return;
    if (text.length > MAX_CHARS) {
      view.setStatus(`Tin nhắn dài quá ${MAX_CHARS} ký tự, xin anh/chị chia nhỏ.`);
      return;
    }
    const pending: Pending = { id: newId(), text };
    saved.outbox.push(pending);
    state.save();
    view.showPending(pending);
    view.setQuickReplies([]);
    connection.transmit(pending);
  }

  function acknowledged(id: string): void {
    const before = saved.outbox.length;
    saved.outbox = saved.outbox.filter((p) => p.id !== id);
    if (saved.outbox.length !== before) state.save();
    view.markSent(id);
  }

  function failPending(id: string): void {
    saved.outbox = saved.outbox.filter((p) => p.id !== id);
    state.save();
    view.markFailed(id);
  }
}

function newId(): string {
  const random =
    typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
  return random.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64);
}

start();

export {};
