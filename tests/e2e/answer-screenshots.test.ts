/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { askWidget, openWidget } from '../helpers/widget-page.ts';

/** Debian's Chromium (`.ci/run` installs it when absent). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Committed (see .gitignore): what a citizen sees, for review. */
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/answers/', import.meta.url));
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 860 } } as const;

/**
 * Ten conversations a citizen has, across documents, fee, duration, place and steps of ten
 * procedures, as the website chatbox shows them at phone and desktop size. Each answer must read on
 * a phone: within one screen, no sentence cut, the source link, buttons for the next step.
 */
const CONVERSATIONS: { name: string; turns: string[]; procedure: RegExp }[] = [
  {
    name: '01-ly-lich-tu-phap',
    turns: ['làm lý lịch tư pháp cần giấy tờ gì', 'phí bao nhiêu'],
    procedure: /lý lịch tư pháp/iu,
  },
  { name: '02-khai-sinh', turns: ['dang ky khai sinh can giay to gi', 'mất mấy ngày'], procedure: /khai sinh/iu },
  {
    name: '03-doi-bang-lai',
    turns: ['đổi bằng lái xe hết bao nhiêu tiền', 'nộp ở đâu'],
    procedure: /giấy phép lái xe/iu,
  },
  { name: '04-ho-kinh-doanh', turns: ['đăng ký hộ kinh doanh làm thế nào'], procedure: /hộ kinh doanh/iu },
  { name: '05-chung-thuc-ban-sao', turns: ['chứng thực bản sao mất phí bao nhiêu'], procedure: /chứng thực bản sao/iu },
  { name: '06-ket-hon-bac', turns: ['bác hỏi đăng ký kết hôn cần gì con', 'mất mấy ngày con'], procedure: /kết hôn/iu },
  { name: '07-can-cuoc', turns: ['làm lại căn cước bị mất tốn bao nhiêu'], procedure: /căn cước/iu },
  { name: '08-ho-chieu', turns: ['làm hộ chiếu mất mấy ngày', 'nộp online được không'], procedure: /hộ chiếu/iu },
  { name: '09-tach-thua', turns: ['tách thửa đất nộp hồ sơ ở đâu'], procedure: /tách thửa/iu },
  { name: '10-khai-tu', turns: ['ba em mới mất làm giấy khai tử thế nào', 'Xem đủ các bước'], procedure: /khai tử/iu },
];

describe('answers as a citizen sees them in the chatbox (screenshots under test-artifacts/answers/)', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startTestServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    await context?.close();
  });

  /** Every bot message of the answer: the buttons come with its last one. */
  const ask = async (text: string) => {
    const before = await page.locator('.msg.bot').count();
    await askWidget(page, text);
    await expect.poll(() => page.locator('.quick button').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    return (await page.locator('.msg.bot').allTextContents()).slice(before);
  };

  for (const [size, viewport] of Object.entries(SIZES)) {
    for (const c of CONVERSATIONS) {
      it(`${c.name} at ${size} size`, async () => {
        context = await browser.newContext({ locale: 'vi-VN', viewport });
        page = await context.newPage();
        await openWidget(page, server.url);
        for (const turn of c.turns) {
          const answer = await ask(turn);
          const first = answer[0]!;
          expect(first, turn).toMatch(c.procedure);
          expect(first.length, turn).toBeLessThanOrEqual(650);
          expect(answer.join('\n'), turn).toMatch(/Nguồn: https:\/\/dichvucong\.gov\.vn\//u);
          expect(answer.join('\n'), turn).not.toMatch(/…|Danh mục ghi|Việt Nam Đồng|(?<!\d)0 bản/u);
        }
        if (c.name === '06-ket-hon-bac')
          expect((await page.locator('.msg.bot').allTextContents()).slice(1).join('\n')).not.toMatch(/anh\/chị/iu);
        await page.screenshot({ path: `${ARTIFACTS}${c.name}-${size}.png` });
      });
    }
  }
});
