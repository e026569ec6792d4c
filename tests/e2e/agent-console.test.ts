/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsFile, workingMorning } from '../helpers/handoff.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

describe('the agent console in headless Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ AGENT_ACCOUNTS_FILE: await accountsFile() }, {}, workingMorning());
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
  });

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 1280, height: 860 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void (d.type() === 'confirm' ? d.accept() : d.dismiss());
    });
    return page;
  };
  const logIn = async (page: Page, username: string, password: string, baseUrl = server.url) => {
    await page.goto(`${baseUrl}/agent`);
    await page.getByRole('textbox', { name: 'Tên đăng nhập' }).fill(username);
    await page.getByLabel('Mật khẩu').fill(password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
  };
  const citizenAsksForAPerson = async (): Promise<Page> => {
    const page = await newPage();
    await page.goto(server.url);
    await page.getByRole('button', { name: /Mở hộp trò chuyện/ }).click();
    await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Gặp cán bộ hỗ trợ' }).click();
    await expect
      .poll(async () => (await page.locator('.msg.bot').last().textContent()) ?? '', { timeout: 10_000 })
      .toMatch(/vị trí số/);
    return page;
  };

  it('hands a citizen to an agent, who answers while the bot stays silent, closes, and gets rated; the supervisor sees it', async () => {
    const agent = await newPage();
    await logIn(agent, 'lan', 'mat-khau-cua-lan');
    await expect.poll(() => agent.getByRole('button', { name: 'Đăng xuất' }).isVisible()).toBe(true);

    const citizen = await citizenAsksForAPerson();
    const item = agent.locator('.queue-waiting [data-key]');
    // Within a second: the poll fails past that.
    await expect.poll(() => item.count(), { timeout: 1000, interval: 25 }).toBe(1);

    // Markup a citizen types is text in the console too.
    await citizen.getByRole('textbox', { name: 'Nhập câu hỏi' }).fill('<img src=x onerror=alert(1)> em chờ được');
    await citizen.keyboard.press('Enter');
    await item.click();
    await expect
      .poll(() => agent.locator('.transcript .msg.citizen').last().textContent(), { timeout: 5000 })
      .toContain('<img src=x onerror=alert(1)>');
    expect(await agent.locator('.transcript img').count()).toBe(0);

    await agent.getByRole('button', { name: 'Nhận xử lý' }).click();
    await expect
      .poll(() => citizen.locator('.msg.bot').last().textContent(), { timeout: 5000 })
      .toMatch(/Nguyễn Thị Lan đã nhận/);
    const botBefore = await citizen.locator('.msg.bot').count();
    await citizen.getByRole('textbox', { name: 'Nhập câu hỏi' }).fill('em cần làm lại giấy khai sinh bị mất');
    await citizen.keyboard.press('Enter');
    await expect
      .poll(() => agent.locator('.transcript .msg.citizen').last().textContent(), { timeout: 5000 })
      .toContain('giấy khai sinh bị mất');
    await agent
      .getByRole('textbox', { name: 'Trả lời' })
      .fill('Dạ, anh/chị mang theo căn cước đến quầy số 5 giúp em ạ.');
    await agent.getByRole('button', { name: 'Gửi' }).click();
    await expect
      .poll(() => citizen.locator('.msg.agent').last().textContent(), { timeout: 5000 })
      .toContain('quầy số 5');
    // The citizen's turn has run: the server recorded no bot reply to it, and the page shows all the server has.
    await server.webchat.idle();
    const token = await citizen.evaluate(
      () => JSON.parse(Object.entries(localStorage).find(([k]) => k.startsWith('khcc-webchat:'))![1]).token as string,
    );
    const history = (await (
      await fetch(`${server.url}/webchat/v1/messages?after=0`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      entries: { seq: number; from: string; text: string }[];
    };
    const asked = history.entries.findIndex(
      (e) => e.from === 'citizen' && e.text === 'em cần làm lại giấy khai sinh bị mất',
    );
    expect(asked).toBeGreaterThan(0);
    expect(history.entries.slice(asked).map((e) => e.from)).toEqual(['citizen', 'agent']);
    const shown = () =>
      citizen.locator('.log .msg').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.seq)));
    await expect.poll(shown, { timeout: 5000 }).toEqual(history.entries.map((e) => e.seq));
    expect(await citizen.locator('.msg.bot').count()).toBe(botBefore);
    mkdirSync(ARTIFACTS, { recursive: true });
    await agent.screenshot({ path: `${ARTIFACTS}agent-console.png` });

    await agent.getByRole('button', { name: 'Kết thúc và trả lại trợ lý' }).click();
    const rate = citizen.locator('.quick button', { hasText: 'Rất hài lòng' });
    await expect.poll(() => rate.count(), { timeout: 5000 }).toBe(1);
    await rate.click();
    await citizen.locator('.quick button', { hasText: 'Bỏ qua' }).click();
    await expect.poll(() => citizen.locator('.msg.bot').last().textContent(), { timeout: 5000 }).toMatch(/cảm ơn/);
    await expect.poll(() => agent.locator('.queue-waiting [data-key], .queue-active [data-key]').count()).toBe(0);

    const supervisor = await newPage();
    await logIn(supervisor, 'hoa', 'mat-khau-cua-hoa');
    await supervisor.getByRole('tab', { name: /Hài lòng/ }).click();
    const byAgent = supervisor.getByRole('table', { name: 'Theo cán bộ' });
    await expect
      .poll(async () => (await byAgent.textContent()) ?? '', { timeout: 5000 })
      .toMatch(/Nguyễn Thị Lan\s*1\s*1\s*100/);
    // alert(1) never ran, in the widget or the console.
    expect(dialogs).not.toContain('1');
  });

  it('lets one of two agents clicking at once claim a conversation; the other is told', async () => {
    const [lan, minh] = [await newPage(), await newPage()];
    await logIn(lan, 'lan', 'mat-khau-cua-lan');
    await logIn(minh, 'minh', 'mat-khau-cua-minh');
    await citizenAsksForAPerson();
    for (const page of [lan, minh]) {
      await expect.poll(() => page.locator('.queue-waiting [data-key]').count(), { timeout: 5000 }).toBe(1);
      await page.locator('.queue-waiting [data-key]').first().click();
    }
    // Both buttons in hand first, then both pressed within milliseconds: a Playwright click would wait for
    // the loser's button, which the live update hides as soon as the winner has the conversation.
    const buttons = await Promise.all(
      [lan, minh].map((page) => page.getByRole('button', { name: 'Nhận xử lý' }).elementHandle()),
    );
    await Promise.all(buttons.map((button) => button!.evaluate((b) => (b as HTMLButtonElement).click())));
    await expect
      .poll(
        async () => {
          const alerts = await Promise.all([lan, minh].map((page) => page.getByRole('alert').allTextContents()));
          return alerts.map((texts) => texts.join(' ')).filter((t) => /đã nhận cuộc trò chuyện này/.test(t)).length;
        },
        { timeout: 5000 },
      )
      .toBe(1);
  });

  it('refuses a wrong password with a clear message', async () => {
    const page = await newPage();
    await logIn(page, 'lan', 'khong-phai-mat-khau');
    await expect
      .poll(async () => (await page.getByRole('alert').allTextContents()).join(' '))
      .toContain('Sai tên đăng nhập hoặc mật khẩu.');
  });

  it('sends an agent whose session expired back to the login', async () => {
    const short = await startTestServer(
      { AGENT_ACCOUNTS_FILE: await accountsFile(), AGENT_SESSION_HOURS: '0.0004' },
      {},
      workingMorning(),
    );
    try {
      const page = await newPage();
      await logIn(page, 'lan', 'mat-khau-cua-lan', short.url);
      await expect.poll(() => page.getByRole('button', { name: 'Đăng xuất' }).isVisible()).toBe(true);
      // Until the server itself refuses the session (it lives 1.44 s).
      const cookie = (await page.context().cookies(`${short.url}/agent/api/queue`))
        .map((c) => `${c.name}=${c.value}`)
        .join('; ');
      expect(cookie).not.toBe('');
      await expect
        .poll(async () => (await fetch(`${short.url}/agent/api/queue`, { headers: { cookie } })).status, {
          timeout: 10_000,
        })
        .toBe(401);
      await page.getByRole('tab', { name: /Gọi lại/ }).click();
      await expect
        .poll(async () => (await page.getByRole('alert').allTextContents()).join(' '), { timeout: 10_000 })
        .toContain('hết hạn');
      expect(await page.getByRole('button', { name: 'Đăng nhập' }).isVisible()).toBe(true);
    } finally {
      await short.close();
    }
  });
});
