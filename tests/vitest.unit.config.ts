import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * `npm run test:unit`: the tests that need no service, so a fresh machine without Redis or Chromium
 * can run them. A test needs a service when it (or a helper it imports) talks to Redis or drives
 * Chromium: it imports one of these helpers or playwright.
 */
const NEEDS_A_SERVICE =
  /from ['"](?:[./]*helpers\/(?:redis|postgres|processes|tcp-proxy|widget-page)\.ts|playwright-core|ioredis)['"]|contract\/transcript\.contract\.ts|helpers\/redis\.ts/u;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return testFiles(path);
    return e.name.endsWith('.test.ts') ? [path] : [];
  });
}

const needsService = testFiles('tests').filter((f) => NEEDS_A_SERVICE.test(readFileSync(f, 'utf8')));

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: needsService,
    // Servers keep their records in an in-memory PGlite: this run needs no PostgreSQL.
    env: { TEST_RECORDS: 'pglite' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
