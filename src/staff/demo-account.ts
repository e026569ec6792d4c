import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AccountStore } from './agent-accounts.ts';

const DEMO_USERNAME = 'demo';

/**
 * On the embedded default (no Redis, no accounts yet) the console must work for a newcomer: one
 * demo supervisor is made with a random password, written next to the accounts file (mode 0600,
 * never logged). A real deployment creates its accounts with `npm run cli -- agent add`.
 */
export async function ensureDemoAccount(accounts: AccountStore, accountsFile: string): Promise<string | null> {
  if ((await accounts.list()).length > 0) return null;
  const password = randomBytes(12).toString('base64url');
  await accounts.put(DEMO_USERNAME, 'supervisor', password, 'Cán bộ thử nghiệm');
  const file = join(dirname(accountsFile), 'demo-agent-password.txt');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${DEMO_USERNAME}\n${password}\n`, { mode: 0o600 });
  return file;
}
