/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page, type WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { askWidget, openWidget } from '../helpers/widget-page.ts';

/** Debian's Chromium (`.ci/run` installs it when absent). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

describe('the webchat widget in headless Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  afterEach(async () => {
    await context.close();
  });

  const open = () => openWidget(page, server.url);
  const ask = async (text: string) => {
    await askWidget(page, text);
  };
  const seqs = () =>
    page.locator('.log .msg').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.seq)));
  const texts = () => page.locator('.log .msg').allTextContents();

  it('answers a question with quick replies, and a tapped quick reply is the next question', async () => {
    await open();
    expect(await page.locator('.msg.bot').first().textContent()).toMatch(/Dạ/);
    await ask('làm lý lịch tư pháp cần giấy tờ gì');
    const answer = (await page.locator('.msg.bot').last().textContent()) ?? '';
    expect(answer).toMatch(/Lý lịch tư pháp/i);
    // The source link is a real link, opened safely in a new tab.
    const link = page.locator('.msg.bot a[href^="https://"]').last();
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await link.getAttribute('target')).toBe('_blank');
    const fee = page.locator('.quick button', { hasText: 'Lệ phí' });
    await expect.poll(() => fee.count()).toBe(1);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}webchat-widget.png` });
    const before = await page.locator('.msg.bot').count();
    await fee.click();
    await expect.poll(() => page.locator('.msg.bot').count(), { timeout: 10_000 }).toBeGreaterThan(before);
    expect(await page.locator('.msg.citizen').last().textContent()).toContain('Lệ phí');
    expect(await page.locator('.msg.bot').last().textContent()).toMatch(/phí/i);
  });

  it('offers numbered choices to tap when it is not sure which procedure, at phone size', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open();
    await ask('xin giấy báo tử cho ba tôi mới mất');
    const first = page.locator('.quick button', { hasText: /^1\. / });
    await expect.poll(() => first.count()).toBe(1);
    expect(await page.locator('.msg.bot').last().textContent()).toMatch(/1\. .*khai tử/i);
    // Every choice fits a phone's button: short names, numbered.
    for (const label of await page.locator('.quick button').allTextContents())
      expect(label.length).toBeLessThanOrEqual(40);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}webchat-choices-phone.png` });
    const before = await page.locator('.msg.bot').count();
    await first.click();
    await expect.poll(() => page.locator('.msg.bot').count(), { timeout: 10_000 }).toBeGreaterThan(before);
    expect(await page.locator('.msg.bot').last().textContent()).toMatch(/khai tử/i);
  });

  it('shows the whole conversation again after a reload, in order, once', async () => {
    await open();
    await ask('giờ làm việc của trung tâm');
    await ask('đổi gplx hết bao nhiêu tiền');
    const before = await texts();
    await page.reload();
    await expect.poll(() => page.locator('.log .msg').count()).toBe(before.length);
    expect(await texts()).toEqual(before);
    expect(await seqs()).toEqual(before.map((_, i) => i + 1));
  });

  it('reconnects after the socket is cut mid-conversation, losing and doubling nothing', async () => {
    let current: { page: WebSocketRoute; server: WebSocketRoute } | null = null;
    let blocked = false;
    let cutAfterAck = false;
    await page.routeWebSocket(/\/webchat\/v1\/socket/, (ws) => {
      if (blocked) {
        ws.close({ code: 1011, reason: 'network down' });
        return;
      }
      const upstream = ws.connectToServer();
      current = { page: ws, server: upstream };
      upstream.onMessage((message) => {
        ws.send(message);
        if (cutAfterAck && JSON.parse(String(message)).type === 'ack') {
          // The server has the message; the answer is still to come: the network drops now.
          cutAfterAck = false;
          blocked = true;
          ws.close({ code: 1011, reason: 'network down' });
          upstream.close();
          setTimeout(() => (blocked = false), 1500);
        }
      });
    });
    await open();
    await ask('địa chỉ trung tâm ở đâu');
    cutAfterAck = true;
    await page.getByRole('textbox', { name: 'Nhập câu hỏi' }).fill('thủ tục đăng ký khai sinh cần gì');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.status').textContent()).toMatch(/kết nối lại/);
    // While the network is down the citizen writes again: it goes out over HTTP, or waits for the socket.
    await page.getByRole('textbox', { name: 'Nhập câu hỏi' }).fill('lệ phí bao nhiêu');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.status').textContent(), { timeout: 15_000 }).toBe('');
    await expect
      .poll(async () => (await texts()).filter((t) => t.includes('lệ phí bao nhiêu')).length, { timeout: 15_000 })
      .toBe(1);
    await expect.poll(async () => (await page.locator('.msg.bot').count()) >= 4, { timeout: 15_000 }).toBe(true);
    // Nothing left to send (every message acknowledged), every turn run: the server has all there will be.
    await expect.poll(() => page.locator('.outgoing .msg').count(), { timeout: 15_000 }).toBe(0);
    await server.webchat.idle();
    // The server agrees: each message once.
    const token = await page.evaluate(
      () => JSON.parse(Object.entries(localStorage).find(([k]) => k.startsWith('khcc-webchat:'))![1]).token as string,
    );
    const history = (await (
      await fetch(`${server.url}/webchat/v1/messages?after=0`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      entries: { seq: number; text: string }[];
    };
    expect(history.entries.map((e) => e.seq)).toEqual(history.entries.map((_, i) => i + 1));
    expect(history.entries.filter((e) => e.text === 'thủ tục đăng ký khai sinh cần gì')).toHaveLength(1);
    expect(history.entries.filter((e) => e.text === 'lệ phí bao nhiêu')).toHaveLength(1);
    // And the page shows exactly that, once it has caught up.
    await expect.poll(seqs, { timeout: 15_000 }).toEqual(history.entries.map((e) => e.seq));
    const all = await texts();
    expect(all.filter((t) => t.includes('thủ tục đăng ký khai sinh cần gì'))).toHaveLength(1);
    expect(all.filter((t) => t.includes('lệ phí bao nhiêu'))).toHaveLength(1);
    expect(current).not.toBeNull();
  });

  it('falls back to HTTP when WebSockets are blocked, embedded on another site, at phone size', async () => {
    // The center's own site (another origin: localhost, another port) embeds the widget from the assistant's server.
    const host = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="vi"><head><meta name="viewport" content="width=device-width, initial-scale=1"></head>
        <body><h1>Cổng thông tin tỉnh Khánh Hòa</h1><script src="${server.url}/widget.js" defer></script></body></html>`);
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const hostUrl = `http://localhost:${(host.address() as AddressInfo).port}/`;
    // A proxy that lets no WebSocket through.
    let refused = 0;
    await page.routeWebSocket(/\/webchat\/v1\/socket/, (ws) => {
      refused += 1;
      ws.close({ code: 1006, reason: 'blocked' });
    });
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(hostUrl);
      await page.getByRole('button', { name: /Mở hộp trò chuyện/ }).click();
      await expect.poll(() => page.locator('.msg.bot').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await ask('giờ làm việc của trung tâm');
      expect(await page.locator('.msg.bot').last().textContent()).toMatch(/Dạ/);
      expect(refused).toBeGreaterThan(0);
      expect(await page.locator('.outgoing .msg').count()).toBe(0);
      expect(consoleErrors.filter((e) => /CORS|Access-Control/i.test(e))).toEqual([]);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${ARTIFACTS}webchat-http-fallback-phone.png` });
    } finally {
      host.close();
    }
  });

  it('shows markup a citizen types as text, and runs none of it', async () => {
    await open();
    await ask('<img src=x onerror=alert(1)>');
    const mine = page.locator('.msg.citizen').last();
    expect(await mine.textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(
      await page.locator('#khcc-webchat').evaluate((host) => host.shadowRoot!.querySelectorAll('img, script').length),
    ).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('works from the keyboard, reads out new messages, has larger text, a privacy notice and a person to ask', async () => {
    await page.goto(server.url);
    const launcher = page.getByRole('button', { name: /Mở hộp trò chuyện/ });
    await launcher.focus();
    await page.keyboard.press('Enter');
    const input = page.getByRole('textbox', { name: 'Nhập câu hỏi' });
    await expect.poll(() => input.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    expect(await page.getByRole('log').getAttribute('aria-live')).toBe('polite');
    expect(await page.locator('.privacy').textContent()).toContain('Nghị định 13/2023/NĐ-CP');
    const size = () => page.locator('.panel').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    const normal = await size();
    const larger = page.getByRole('button', { name: 'Chữ to hơn' });
    await larger.click();
    expect(await larger.getAttribute('aria-pressed')).toBe('true');
    expect(await size()).toBeGreaterThan(normal);
    const before = await page.locator('.msg.bot').count();
    await page.getByRole('button', { name: 'Gặp cán bộ hỗ trợ' }).click();
    await expect.poll(() => page.locator('.msg.bot').count(), { timeout: 10_000 }).toBeGreaterThan(before);
    expect(await page.locator('.msg.citizen').last().textContent()).toContain('Gặp cán bộ');
    await page.keyboard.press('Escape');
    expect(await page.locator('.panel').isHidden()).toBe(true);
    expect(await launcher.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    // The larger text is remembered.
    await page.reload();
    await page.getByRole('button', { name: /Mở hộp trò chuyện/ }).click();
    expect(await page.getByRole('button', { name: 'Chữ to hơn' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('fills a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open();
    const box = await page.locator('.panel').boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(389);
    const send = await page.getByRole('button', { name: 'Gửi' }).boundingBox();
    expect(send!.height).toBeGreaterThanOrEqual(44);
  });
});
