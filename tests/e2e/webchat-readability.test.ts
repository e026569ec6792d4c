/// <reference lib="dom" />
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { askWidget, openWidget } from '../helpers/widget-page.ts';

/** Debian's Chromium (`.ci/run` installs it when absent). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 860 };
/** 1280 CSS px at 400%, or 640 at 200%: what WCAG 1.4.10 asks a page to reflow into. */
const REFLOW = { width: 320, height: 640 };
const QUESTION = 'làm lý lịch tư pháp cần giấy tờ gì';
const LISTEN = 'Nghe tin nhắn này';

interface FakeVoice {
  lang: string;
  name: string;
}

interface Spoken {
  text: string;
  lang: string;
  voice: string | null;
}

/**
 * Headless Chromium has no voices of its own (or, with speech-dispatcher, whatever the machine has):
 * this stands in for the browser's speechSynthesis, runs before the page's scripts, and records
 * what would have been said in `window.__speech`. Like Chrome, it has no voices until they "load"
 * (here: when the test calls `__speech.load()`), then says so with `voiceschanged`.
 */
function fakeSpeech(voices: FakeVoice[]): void {
  interface Utterance {
    text: string;
    lang: string;
    voice: FakeVoice | null;
    onend: ((e: unknown) => void) | null;
    onerror: ((e: unknown) => void) | null;
  }
  class FakeUtterance implements Utterance {
    lang = '';
    voice: FakeVoice | null = null;
    onend: ((e: unknown) => void) | null = null;
    onerror: ((e: unknown) => void) | null = null;
    constructor(public text: string) {}
  }
  const spoken: { text: string; lang: string; voice: string | null }[] = [];
  const queue: Utterance[] = [];
  let loaded: FakeVoice[] = [];
  let cancels = 0;
  const synth = Object.assign(new EventTarget(), {
    getVoices: () => loaded.map((v) => ({ ...v, voiceURI: v.name, localService: true, default: false })),
    speak(u: Utterance) {
      spoken.push({ text: u.text, lang: u.lang, voice: u.voice?.lang ?? null });
      queue.push(u);
    },
    cancel() {
      cancels += 1;
      // Chrome reports the cut-off utterances as errors ('interrupted').
      for (const u of queue.splice(0)) u.onerror?.({ error: 'interrupted' });
    },
    get speaking() {
      return queue.length > 0;
    },
  });
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  Object.defineProperty(window, 'SpeechSynthesisUtterance', {
    value: FakeUtterance,
    configurable: true,
    writable: true,
  });
  Object.defineProperty(window, '__speech', {
    value: {
      spoken,
      cancels: () => cancels,
      load() {
        loaded = voices;
        synth.dispatchEvent(new Event('voiceschanged'));
      },
      /** Every queued utterance is said to the end. */
      finish() {
        for (const u of queue.splice(0)) u.onend?.({});
      },
    },
  });
}

/** WCAG 2's relative luminance of an `rgb(…)`/`rgba(…)` computed colour. */
function luminance(color: string): number {
  const [r, g, b] = rgb(color).map((c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

function rgb(color: string): number[] {
  const parts = /^rgba?\(([^)]+)\)$/.exec(color.trim());
  if (parts === null) throw new Error(`not an rgb() colour: ${color}`);
  const channels = parts[1]!
    .split(/[\s,/]+/)
    .filter(Boolean)
    .map(Number);
  if (channels.length === 4 && channels[3] !== 1)
    throw new Error(`a translucent colour cannot be measured alone: ${color}`);
  return channels.slice(0, 3);
}

describe('the webchat widget is readable on a phone and at 200% zoom', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** The measured figures, kept with the screenshots for whoever reviews them. */
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    server = await startTestServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    writeFileSync(`${ARTIFACTS}widget-readability.json`, `${JSON.stringify(figures, null, 2)}\n`);
  });
  afterEach(async () => {
    await context?.close();
  });

  /** A fresh browser at `viewport`; with `voices`, a speechSynthesis that has those voices once loaded. */
  const start = async (viewport: { width: number; height: number }, voices?: FakeVoice[]) => {
    context = await browser.newContext({ locale: 'vi-VN', viewport });
    if (voices !== undefined) await context.addInitScript(fakeSpeech, voices);
    page = await context.newPage();
  };
  const open = () => openWidget(page, server.url);
  const ask = async (text: string) => {
    await askWidget(page, text);
  };
  const loadVoices = () => page.evaluate(() => (window as unknown as { __speech: { load(): void } }).__speech.load());
  const spoken = () => page.evaluate(() => (window as unknown as { __speech: { spoken: Spoken[] } }).__speech.spoken);
  /** The real question, answered by the real bot: a long answer with a source link, and quick replies. */
  const askTheQuestion = async () => {
    await open();
    await loadVoices();
    await ask(QUESTION);
    await expect.poll(() => page.locator('.quick button').count()).toBeGreaterThan(1);
  };
  const box = async (locator: Locator) => {
    const b = await locator.boundingBox();
    expect(b, 'the element is laid out').not.toBeNull();
    return b!;
  };

  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`gives the messages at least 60% of the open panel at ${name} size (${viewport.width}×${viewport.height}), quick replies on one row`, async () => {
      await start(viewport, [{ lang: 'vi-VN', name: 'Linh' }]);
      await askTheQuestion();
      const panel = await box(page.locator('.panel'));
      const messages = await box(page.locator('.scroller'));
      // The rest: header, privacy line, status, quick replies, the handoff row and the input.
      const others = await page
        .locator('.panel > :not(.scroller)')
        .evaluateAll((els) => els.reduce((sum, e) => sum + e.getBoundingClientRect().height, 0));
      const share = messages.height / panel.height;
      figures[`${name}.messageShare`] = Number(share.toFixed(3));
      figures[`${name}.panel`] = { width: panel.width, height: panel.height, messages: messages.height, others };
      expect(share).toBeGreaterThanOrEqual(0.6);
      expect(others / panel.height).toBeLessThanOrEqual(0.4);
      // The message area is the log's scroller: the log is in it and fills its width.
      expect(await page.locator('.scroller').getByRole('log').count()).toBe(1);

      const chips = page.locator('.quick button');
      const tops = (await chips.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top))).map(Math.round);
      expect(new Set(tops).size, `quick replies on one row, tops ${tops.join(', ')}`).toBe(1);
      const row = await box(page.locator('.quick'));
      const chip = await box(chips.first());
      // One row of chips (plus a scrollbar where the system shows one), not two.
      expect(row.height).toBeLessThan(chip.height * 2);
      expect(await page.locator('.quick').evaluate((e) => getComputedStyle(e).overflowX)).toBe('auto');
      for (const label of await chips.allTextContents()) expect(label.length).toBeLessThanOrEqual(30);

      // The question and the start of its answer are in view: at the top, or the whole of it is (at the end).
      const question = await box(page.locator('.log .msg.citizen').last());
      const atEnd = await page.locator('.scroller').evaluate((e) => e.scrollTop + e.clientHeight >= e.scrollHeight - 1);
      expect(question.y).toBeGreaterThanOrEqual(messages.y - 1);
      expect(atEnd || question.y < messages.y + 40).toBe(true);
      // Each bubble whole within the message area's width.
      for (const bubble of await page.locator('.log .msg').all()) {
        const b = await box(bubble);
        expect(b.x + b.width).toBeLessThanOrEqual(messages.x + messages.width);
      }
      await page.screenshot({ path: `${ARTIFACTS}widget-${name}.png` });
    });
  }

  it('opens an answer longer than the view at its first line, under the question, not at its end', async () => {
    await start(PHONE);
    // The real answer, made longer than any phone's screen on the way.
    await page.routeWebSocket(/\/webchat\/v1\/socket/, (ws) => {
      const upstream = ws.connectToServer();
      upstream.onMessage((message) => {
        const frame = JSON.parse(String(message)) as {
          type: string;
          entry?: { from: string; text: string; seq: number };
        };
        if (frame.type === 'message' && frame.entry?.from === 'bot' && frame.entry.seq > 1) {
          frame.entry.text += Array.from(
            { length: 40 },
            (_, i) => `\n${i + 10}. Giấy tờ thêm số ${i + 10}: 1 bản chính`,
          ).join('');
        }
        ws.send(JSON.stringify(frame));
      });
    });
    await open();
    await ask(QUESTION);
    await expect.poll(() => page.locator('.quick button').count()).toBeGreaterThan(0);
    const messages = await box(page.locator('.scroller'));
    const question = await box(page.locator('.log .msg.citizen').last());
    const reply = await box(page.locator('.log .msg.citizen').last().locator('xpath=following-sibling::div[1]'));
    expect(reply.height).toBeGreaterThan(messages.height);
    expect(question.y).toBeGreaterThanOrEqual(messages.y);
    expect(question.y).toBeLessThan(messages.y + 40);
    expect(reply.y).toBeGreaterThan(question.y);
    expect(await page.locator('.scroller').evaluate((e) => e.scrollTop + e.clientHeight < e.scrollHeight - 100)).toBe(
      true,
    );
  });

  it('shortens a long quick reply on screen, keeps its full text as its name and tooltip, and sends the full text', async () => {
    const long = 'Hướng dẫn nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia';
    const sent: string[] = [];
    await start(PHONE);
    // The real bot's answer, with one suggestion longer than a phone's button added on the way.
    await page.routeWebSocket(/\/webchat\/v1\/socket/, (ws) => {
      const upstream = ws.connectToServer();
      ws.onMessage((message) => {
        const frame = JSON.parse(String(message)) as { type: string; text?: string };
        if (frame.type === 'message') sent.push(frame.text ?? '');
        upstream.send(message);
      });
      upstream.onMessage((message) => {
        const frame = JSON.parse(String(message)) as {
          type: string;
          entry?: { from: string; suggestedActions: string[] };
        };
        if (frame.type === 'message' && frame.entry?.from === 'bot' && frame.entry.suggestedActions.length > 0)
          frame.entry.suggestedActions.push(long);
        ws.send(JSON.stringify(frame));
      });
    });
    await open();
    await ask(QUESTION);
    const chip = page.getByRole('button', { name: long, exact: true });
    await expect.poll(() => chip.count()).toBe(1);
    const label = (await chip.textContent()) ?? '';
    expect(label.length).toBeLessThanOrEqual(30);
    expect(label.endsWith('…')).toBe(true);
    expect(long.startsWith(label.slice(0, -1))).toBe(true);
    expect(await chip.getAttribute('title')).toBe(long);
    expect(await chip.getAttribute('aria-label')).toBe(long);
    // Short labels are left whole.
    expect(await page.locator('.quick button', { hasText: 'Lệ phí' }).textContent()).toBe('Lệ phí');
    const before = await page.locator('.msg.bot').count();
    await chip.click();
    await expect.poll(() => sent.at(-1)).toBe(long);
    expect(await page.locator('.msg.citizen').last().textContent()).toContain(long);
    await expect.poll(() => page.locator('.msg.bot').count(), { timeout: 10_000 }).toBeGreaterThan(before);
  });

  it('reflows at 320 CSS px wide (1280 at 400%, 640 at 200%): nothing scrolls sideways but the quick replies, no text is cut', async () => {
    await start(REFLOW, [{ lang: 'vi-VN', name: 'Linh' }]);
    await askTheQuestion();
    const overflow = () =>
      page.locator('#khcc-webchat').evaluate((host) => {
        const root = host.shadowRoot!;
        const panel = root.querySelector('.panel')!.getBoundingClientRect();
        const viewport = document.documentElement.clientWidth;
        // What can be seen: the panel, as far as it is on screen.
        const left = Math.max(panel.left, 0);
        const right = Math.min(panel.right, viewport);
        const sideways = (e: Element | null) => (e === null ? -1 : e.scrollWidth - e.clientWidth);
        // Everything with text or a control in it, but the quick replies, whose row scrolls on purpose.
        const cut = Array.from(root.querySelectorAll('.panel *'))
          .filter(
            (e) =>
              e.closest('.quick') === null &&
              e.getClientRects().length > 0 &&
              !e.classList.contains('sr') &&
              e.closest('.sr') === null,
          )
          .filter((e) => {
            const r = e.getBoundingClientRect();
            const clipped =
              e instanceof HTMLElement && getComputedStyle(e).display !== 'inline' && e.scrollWidth > e.clientWidth + 1;
            return r.left < left - 0.5 || r.right > right + 0.5 || clipped;
          })
          .map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${(e.textContent ?? '').slice(0, 30)}`);
        const quick = root.querySelector('.quick')!.getBoundingClientRect();
        return {
          page: sideways(document.documentElement),
          panel: sideways(root.querySelector('.panel')),
          scroller: sideways(root.querySelector('.scroller')),
          log: sideways(root.querySelector('.log')),
          panelLeft: panel.left,
          panelRight: panel.right,
          viewport,
          quickInside: quick.left >= left && quick.right <= right,
          cut,
        };
      });
    for (const large of [false, true]) {
      if (large) await page.getByRole('button', { name: 'Chữ to hơn' }).click();
      const found = await overflow();
      figures[`reflow320${large ? '.largeText' : ''}`] = found;
      expect(found.page, 'the page scrolls sideways').toBeLessThanOrEqual(0);
      expect(found.panel, 'the panel scrolls sideways').toBeLessThanOrEqual(0);
      expect(found.scroller, 'the message area scrolls sideways').toBeLessThanOrEqual(0);
      expect(found.log, 'the log scrolls sideways').toBeLessThanOrEqual(0);
      expect(found.panelLeft).toBeGreaterThanOrEqual(0);
      expect(found.panelRight).toBeLessThanOrEqual(found.viewport);
      expect(found.quickInside).toBe(true);
      expect(found.cut).toEqual([]);
      if (!large) await page.screenshot({ path: `${ARTIFACTS}widget-reflow-320.png` });
    }
    // The close button is whole and on screen, not under a scrollbar.
    const close = await box(page.getByRole('button', { name: 'Đóng hộp trò chuyện' }));
    expect(close.x + close.width).toBeLessThanOrEqual(REFLOW.width);
    await page.screenshot({ path: `${ARTIFACTS}widget-reflow-320-large.png` });
  });

  it('has a focus ring and an input border of at least 3:1 against what is around them', async () => {
    await start(DESKTOP, [{ lang: 'vi-VN', name: 'Linh' }]);
    await askTheQuestion();
    // Keyboard use, so that :focus-visible applies to buttons focused from here on.
    await page.getByRole('textbox', { name: 'Nhập câu hỏi' }).focus();
    await page.keyboard.press('Tab');
    const ring = (locator: Locator) =>
      locator.evaluate((e) => {
        e.focus();
        const style = getComputedStyle(e);
        // The ring is drawn outside the element (outline-offset): beside it is the nearest painted background around it.
        let around: Element | null = e;
        let background = 'rgb(255, 255, 255)';
        while (around !== null) {
          const parent: Node | null = around.parentNode;
          around = parent instanceof ShadowRoot ? parent.host : parent instanceof Element ? parent : null;
          const color = around === null ? 'rgb(255, 255, 255)' : getComputedStyle(around).backgroundColor;
          if (!/^rgba\(.*,\s*0\)$/.test(color) && color !== 'transparent') {
            background = color;
            break;
          }
        }
        return {
          focusVisible: e.matches(':focus-visible'),
          style: style.outlineStyle,
          width: parseFloat(style.outlineWidth),
          offset: parseFloat(style.outlineOffset),
          color: style.outlineColor,
          background,
        };
      });
    const targets: [string, Locator][] = [
      ['input', page.getByRole('textbox', { name: 'Nhập câu hỏi' })],
      ['send', page.getByRole('button', { name: 'Gửi' })],
      ['quick reply', page.locator('.quick button').first()],
      ['read aloud', page.getByRole('button', { name: LISTEN }).last()],
      ['link in an answer', page.locator('.msg.bot a').last()],
      ['message log', page.getByRole('log')],
      ['handoff', page.getByRole('button', { name: 'Gặp cán bộ hỗ trợ' })],
      ['larger text (header)', page.getByRole('button', { name: 'Chữ to hơn' })],
      ['close (header)', page.getByRole('button', { name: 'Đóng hộp trò chuyện' })],
      ['launcher (host page)', page.getByRole('button', { name: /Mở hộp trò chuyện/ })],
    ];
    const ratios: Record<string, number> = {};
    for (const [name, locator] of targets) {
      const found = await ring(locator);
      expect(found.focusVisible, `${name} shows focus`).toBe(true);
      expect(found.style, `${name} ring`).toBe('solid');
      expect(found.width, `${name} ring width`).toBeGreaterThanOrEqual(2);
      ratios[`focus: ${name} (${found.color} on ${found.background})`] = Number(
        contrast(found.color, found.background).toFixed(2),
      );
      expect(
        contrast(found.color, found.background),
        `${name}: ${found.color} on ${found.background}`,
      ).toBeGreaterThanOrEqual(3);
    }
    // The field's border against the composer around it and the field's own background.
    const field = await page.getByRole('textbox', { name: 'Nhập câu hỏi' }).evaluate((e) => {
      const style = getComputedStyle(e);
      return {
        border: style.borderTopColor,
        width: parseFloat(style.borderTopWidth),
        inside: style.backgroundColor,
        around: getComputedStyle(e.closest('.panel')!).backgroundColor,
      };
    });
    expect(field.width).toBeGreaterThanOrEqual(1);
    ratios[`input border on the panel (${field.border} on ${field.around})`] = Number(
      contrast(field.border, field.around).toFixed(2),
    );
    ratios[`input border on its own background (${field.border} on ${field.inside})`] = Number(
      contrast(field.border, field.inside).toFixed(2),
    );
    expect(contrast(field.border, field.around)).toBeGreaterThanOrEqual(3);
    expect(contrast(field.border, field.inside)).toBeGreaterThanOrEqual(3);
    figures.contrast = ratios;
  });

  it('reads a bot message aloud with a Vietnamese voice, says "đường link" for its web address, and stops when pressed again', async () => {
    await start(PHONE, [
      { lang: 'en-US', name: 'Samantha' },
      { lang: 'vi-VN', name: 'Linh' },
    ]);
    await open();
    const listen = page.getByRole('button', { name: LISTEN });
    // Until the voices have loaded there is nothing to read with: no button.
    expect(await listen.count()).toBe(0);
    await loadVoices();
    await expect.poll(() => listen.count()).toBe(1);
    await ask(QUESTION);
    // One on every message of the bot's, none on the citizen's.
    await expect.poll(() => listen.count()).toBe(await page.locator('.msg.bot').count());
    expect(await page.locator('.msg.citizen .listen:visible').count()).toBe(0);
    const answer = page.locator('.msg.bot').last();
    const button = answer.getByRole('button', { name: LISTEN });
    expect(await button.evaluate((e) => e.tagName)).toBe('BUTTON');
    expect(await answer.locator('a[href^="https://"]').count()).toBeGreaterThan(0);

    await button.click();
    expect(await button.getAttribute('aria-pressed')).toBe('true');
    const said = await spoken();
    const text = said.map((s) => s.text).join('\n');
    expect(said.length).toBeGreaterThan(0);
    expect(said.every((s) => s.lang === 'vi-VN' && s.voice === 'vi-VN')).toBe(true);
    expect(text).toMatch(/Lý lịch tư pháp/i);
    expect(text).toContain('đường link');
    expect(text).not.toMatch(/https?:|www\.|dichvucong/);

    // Pressed again while speaking: it stops.
    const cancels = () =>
      page.evaluate(() => (window as unknown as { __speech: { cancels(): number } }).__speech.cancels());
    const cancelled = await cancels();
    await button.click();
    expect(await cancels()).toBeGreaterThan(cancelled);
    expect(await button.getAttribute('aria-pressed')).toBe('false');

    // Read to the end, the button is ready again.
    await button.click();
    expect(await button.getAttribute('aria-pressed')).toBe('true');
    await page.evaluate(() => (window as unknown as { __speech: { finish(): void } }).__speech.finish());
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('false');
  });

  it('offers no read-aloud button when the browser has no Vietnamese voice, or no speech at all', async () => {
    await start(PHONE, [{ lang: 'en-US', name: 'Samantha' }]);
    await open();
    await loadVoices();
    await ask('giờ làm việc của trung tâm');
    const enabled = () => page.locator('.msg .listen:visible:enabled').count();
    expect(await page.locator('.msg.bot').count()).toBeGreaterThan(1);
    expect(await enabled()).toBe(0);
    expect(await page.getByRole('button', { name: LISTEN }).count()).toBe(0);
    expect(await spoken()).toEqual([]);
    await context.close();

    // A browser without speechSynthesis: the chat works as before.
    context = await browser.newContext({ locale: 'vi-VN', viewport: PHONE });
    await context.addInitScript(() =>
      Object.defineProperty(window, 'speechSynthesis', { value: undefined, configurable: true }),
    );
    page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await open();
    await ask('giờ làm việc của trung tâm');
    expect(await page.getByRole('button', { name: LISTEN }).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
