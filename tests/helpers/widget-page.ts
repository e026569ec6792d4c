import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Opens the chatbox on the demo page at `url` and waits for the greeting. */
export async function openWidget(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: /Mở hộp trò chuyện/ }).click();
  await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThan(0);
}

/** Types a question and waits until the bot has said something more; returns the bot messages that came. */
export async function askWidget(page: Page, text: string): Promise<string[]> {
  const before = await page.locator('.msg.bot').count();
  await page.getByRole('textbox', { name: 'Nhập câu hỏi' }).fill(text);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('.msg.bot').count(), { timeout: 10_000 }).toBeGreaterThan(before);
  return (await page.locator('.msg.bot').allTextContents()).slice(before);
}
