/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistant, type Assistant } from '../../src/assistant.ts';
import { dashboard } from '../../src/records/records-reports.ts';
import { seedMonth } from '../../src/records/seed-month.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { INTENTS_DIR, MODEL_DIR } from '../helpers/assistant.ts';
import { accountsFile } from '../helpers/handoff.ts';
import { KNOWLEDGE_DIR, knowledgeBase } from '../helpers/knowledge.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/records/', import.meta.url));

/** The supervisors' dashboard and the monthly report over a seeded month, as a supervisor sees them. */
describe('the records dashboard and the monthly report in headless Chromium', () => {
  let server: TestServer;
  let seeder: Assistant;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startTestServer({ AGENT_ACCOUNTS_FILE: await accountsFile() });
    const config = loadConfig({ KNOWLEDGE_DIR, INTENTS_DIR, NLU_MODEL_DIR: MODEL_DIR });
    seeder = await createAssistant(
      { ...config, redisUrl: undefined, records: true },
      pino({ level: 'silent' }),
      knowledgeBase(),
    );
    await seedMonth(seeder, [server.records.database.db], { days: 30, turns: 800, end: new Date() });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  }, 180_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await seeder?.close();
    await server?.close();
  });

  const supervisor = async (width: number, height: number): Promise<Page> => {
    const context = await browser.newContext({ locale: 'vi-VN', viewport: { width, height }, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${server.url}/agent`);
    await page.getByRole('textbox', { name: 'Tên đăng nhập' }).fill('hoa');
    await page.getByLabel('Mật khẩu').fill('mat-khau-cua-hoa');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('tab', { name: 'Báo cáo' }).click();
    await expect.poll(() => page.locator('.card').count(), { timeout: 10_000 }).toBe(7);
    await expect.poll(() => page.locator('.chart canvas').count(), { timeout: 5000 }).toBe(1);
    return page;
  };

  it('shows the month the records hold, with its CSV, at desktop and phone size', async () => {
    const page = await supervisor(1366, 900);
    const now = Date.now();
    const from = new Date(now - 29 * 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 10);
    const to = new Date(now + 7 * 3_600_000).toISOString().slice(0, 10);
    const figures = await dashboard(server.records.database.db, {
      from: new Date(`${from}T00:00:00+07:00`),
      to: new Date(Date.parse(`${to}T00:00:00+07:00`) + 86_400_000),
      channel: null,
    });
    const firstCard = page.locator('.card').first();
    expect(await firstCard.locator('.card-value').textContent()).toBe(
      new Intl.NumberFormat('vi-VN').format(figures.totals.conversations),
    );
    // The seeded month begins a little before the 30 days shown.
    expect(figures.totals.turns).toBeGreaterThan(600);
    // Intents and outcomes in Vietnamese, never their codes.
    const tables = (await page.locator('.report-grid').textContent()) ?? '';
    expect(tables).toMatch(/Đã trả lời/u);
    expect(tables).not.toMatch(/procedure_|answered|not_found/u);
    // The workspace scrolls inside the page: the panel itself is what a supervisor reads, top to bottom.
    await page.setViewportSize({ width: 1366, height: 2600 });
    await page.locator('#panel-reports').screenshot({ path: `${ARTIFACTS}dashboard-desktop.png` });
    await page.setViewportSize({ width: 1366, height: 900 });

    // A comment leads to its conversation as the records keep it, every text escaped.
    const link = page.getByRole('link', { name: 'Xem cuộc trò chuyện' }).first();
    const transcript = await page.request.get(`${server.url}${await link.getAttribute('href')}`);
    expect(transcript.status()).toBe(200);
    expect(await transcript.text()).toMatch(/<th>(Người dân|Trợ lý)<\/th>/u);

    const csv = await page.request.get(`${server.url}${await page.locator('a.csv').first().getAttribute('href')}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect((await csv.text()).split('\r\n')[0]).toBe('\ufeffket_qua,so_luot');

    // One channel: fewer conversations than all three.
    await page.getByLabel('Kênh').first().selectOption('zalo');
    await page.getByRole('button', { name: 'Xem' }).click();
    await expect
      .poll(async () => Number(((await firstCard.locator('.card-value').textContent()) ?? '0').replace(/\D/gu, '')))
      .toBeLessThan(figures.totals.conversations);

    const phone = await supervisor(390, 844);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // The top of the panel, as the phone shows it first.
    await phone.setViewportSize({ width: 390, height: 1800 });
    await phone.screenshot({ path: `${ARTIFACTS}dashboard-phone.png` });
  });

  it('prints a monthly report on A4 with the method under each figure', async () => {
    const page = await supervisor(1280, 860);
    const href = await page.locator('#reports-print').getAttribute('href');
    const report = await page.context().newPage();
    await report.setViewportSize({ width: 794, height: 1123 });
    await report.goto(`${server.url}${href}`);
    await expect.poll(() => report.locator('h1').textContent()).toMatch(/Báo cáo hỗ trợ trực tuyến tháng/u);
    const figures = await report.locator('.figure').count();
    expect(figures).toBeGreaterThanOrEqual(6);
    expect(await report.locator('.method').count()).toBe(figures);
    await report.screenshot({ path: `${ARTIFACTS}monthly-report.png`, fullPage: true });
    const pdf = await report.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('exports, then deletes, one citizen from the dashboard', async () => {
    const db = server.records.database.db;
    const { key } = await db.selectFrom('conversations').select('key').orderBy('key').executeTakeFirstOrThrow();
    const page = await supervisor(1280, 860);
    await page.getByLabel('Tìm theo').selectOption('conversation');
    await page.getByLabel('Giá trị').fill(key);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Xuất dữ liệu' }).click();
    expect((await download).suggestedFilename()).toBe('du-lieu-nguoi-dan.json');
    await expect.poll(() => page.locator('#citizen-result').textContent()).toMatch(/Đã xuất dữ liệu của 1 cuộc/u);
    await page.getByRole('button', { name: 'Xóa dữ liệu' }).click();
    await expect.poll(() => page.locator('#citizen-result').textContent()).toMatch(/Đã xóa 1 cuộc trò chuyện/u);
    expect(await db.selectFrom('turns').select('id').where('conversation', '=', key).execute()).toEqual([]);
    // The audit goes through the records' outbox: wait for the writer to empty it.
    await server.records.writer.flushed();
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('action', 'like', 'citizen.%')
      .execute();
    expect(audit).toEqual([
      { actor: 'hoa', action: 'citizen.export' },
      { actor: 'hoa', action: 'citizen.delete' },
    ]);
  });
});
