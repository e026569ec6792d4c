import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileAccountStore } from '../../../src/staff/agent-accounts.ts';
import { ensureDemoAccount } from '../../../src/staff/demo-account.ts';

describe('the demo account of the embedded default', () => {
  it('is made once, when there is no account at all, with a random password in a private file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'demo-')), 'accounts.json');
    const store = new FileAccountStore(file);
    const written = await ensureDemoAccount(store, file);
    expect(written).not.toBeNull();
    const [username, password] = readFileSync(written!, 'utf8').trim().split('\n');
    expect(username).toBe('demo');
    expect(password!.length).toBeGreaterThanOrEqual(16);
    expect(statSync(written!).mode & 0o777).toBe(0o600);
    expect(await store.verify('demo', password!)).toMatchObject({ role: 'supervisor' });
    expect(await ensureDemoAccount(store, file)).toBeNull();
    expect((await store.list()).map((a) => a.username)).toEqual(['demo']);
  });

  it('is not made when accounts exist', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'demo-')), 'accounts.json');
    const store = new FileAccountStore(file);
    await store.put('lan', 'agent', 'mat-khau-cua-lan');
    expect(await ensureDemoAccount(store, file)).toBeNull();
    expect(await store.get('demo')).toBeNull();
  });
});
