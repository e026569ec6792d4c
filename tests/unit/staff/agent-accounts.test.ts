import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FileAccountStore,
  RedisAccountStore,
  openAccountStore,
  type AccountStore,
  type AgentRole,
} from '../../../src/staff/agent-accounts.ts';
import { TEST_KEY_TTL_SECONDS, redisConnections, redisPrefixes } from '../../helpers/redis.ts';

const PASSWORD = 'mật-khẩu-đủ-dài';
const OTHER_PASSWORD = 'another-long-password';

/** One suite for every AccountStore; `open()` gives a fresh, empty store. */
function accountStoreContract(name: string, open: () => Promise<AccountStore>): void {
  describe(`${name} (AccountStore contract)`, () => {
    it('puts an account that get, list and verify then see, never with its hash', async () => {
      const store = await open();
      const saved = await store.put('lan', 'supervisor', PASSWORD, 'Nguyễn Thị Lan');
      expect(saved).toEqual({
        username: 'lan',
        role: 'supervisor',
        displayName: 'Nguyễn Thị Lan',
        createdAt: expect.any(String),
      });
      expect(Number.isNaN(Date.parse(saved.createdAt))).toBe(false);
      expect(await store.get('lan')).toEqual(saved);
      expect(await store.list()).toEqual([saved]);
      const verified = await store.verify('lan', PASSWORD);
      expect(verified).toEqual(saved);
      expect(Object.keys(verified!).sort()).toEqual(['createdAt', 'displayName', 'role', 'username']);
    });

    it('refuses a wrong password and an unknown user', async () => {
      const store = await open();
      await store.put('lan', 'agent', PASSWORD);
      expect(await store.verify('lan', OTHER_PASSWORD)).toBeNull();
      expect(await store.verify('lan', '')).toBeNull();
      expect(await store.verify('minh', PASSWORD)).toBeNull();
      expect(await store.verify('not a valid name!', PASSWORD)).toBeNull();
      expect(await store.get('minh')).toBeNull();
    });

    it('spends about one hash check on an unknown user, as on a known one', async () => {
      const store = await open();
      await store.put('lan', 'agent', PASSWORD);
      await store.verify('warm-up', PASSWORD);
      const time = async (username: string) => {
        const start = performance.now();
        await store.verify(username, OTHER_PASSWORD);
        return performance.now() - start;
      };
      const known = await time('lan');
      const unknown = await time('nobody');
      expect(unknown).toBeGreaterThan(known * 0.4);
    });

    it('lower-cases usernames, and defaults the display name to the username', async () => {
      const store = await open();
      const saved = await store.put('Lan.Nguyen', 'agent', PASSWORD);
      expect(saved).toMatchObject({ username: 'lan.nguyen', displayName: 'lan.nguyen' });
      expect(await store.get('LAN.NGUYEN')).toEqual(saved);
      expect(await store.verify('LAN.nguyen', PASSWORD)).toEqual(saved);
    });

    it('replacing an account changes its password and role, and keeps its name and creation time', async () => {
      const store = await open();
      const first = await store.put('lan', 'agent', PASSWORD, 'Chị Lan');
      const second = await store.put('lan', 'supervisor', OTHER_PASSWORD);
      expect(second).toEqual({ ...first, role: 'supervisor' });
      expect(await store.verify('lan', PASSWORD)).toBeNull();
      expect(await store.verify('lan', OTHER_PASSWORD)).toMatchObject({ role: 'supervisor', displayName: 'Chị Lan' });
      expect(await store.list()).toHaveLength(1);
      expect(await store.put('lan', 'agent', PASSWORD, 'Lan Nguyễn')).toMatchObject({ displayName: 'Lan Nguyễn' });
    });

    it('rejects invalid usernames, passwords, roles and display names, storing nothing', async () => {
      const store = await open();
      for (const bad of ['ab', 'a'.repeat(33), 'lan nguyen', 'lan@ubnd', 'trần', '', 'lan/../x']) {
        await expect(store.put(bad, 'agent', PASSWORD), bad).rejects.toThrow(/username must be 3 to 32 characters/);
      }
      await expect(store.put('lan', 'agent', 'short')).rejects.toThrow(/password must be at least 10 characters/);
      await expect(store.put('lan', 'agent', '123456789')).rejects.toThrow(/at least 10/);
      await expect(store.put('lan', 'admin' as AgentRole, PASSWORD)).rejects.toThrow(
        /role must be one of: agent, supervisor/,
      );
      await expect(store.put('lan', 'agent', PASSWORD, 'two\nlines')).rejects.toThrow(/display name/);
      await expect(store.put('lan', 'agent', PASSWORD, '   ')).rejects.toThrow(/display name/);
      expect(await store.list()).toEqual([]);
      // Exactly the limits are fine.
      await store.put('abc', 'agent', '0123456789');
      await store.put('a'.repeat(32), 'agent', PASSWORD);
      expect((await store.list()).map((a) => a.username)).toEqual(['a'.repeat(32), 'abc']);
    });

    it('lists accounts sorted by username, and removes them', async () => {
      const store = await open();
      await store.put('minh', 'agent', PASSWORD);
      await store.put('anh', 'supervisor', PASSWORD);
      await store.put('__proto__', 'agent', PASSWORD);
      expect((await store.list()).map((a) => a.username)).toEqual(['__proto__', 'anh', 'minh']);
      expect(await store.remove('MINH')).toBe(true);
      expect(await store.remove('minh')).toBe(false);
      expect(await store.remove('no such')).toBe(false);
      expect(await store.get('minh')).toBeNull();
      expect(await store.verify('minh', PASSWORD)).toBeNull();
      expect((await store.list()).map((a) => a.username)).toEqual(['__proto__', 'anh']);
      expect(await store.verify('__proto__', PASSWORD)).toMatchObject({ username: '__proto__' });
    });

    it('keeps both of two concurrent puts', async () => {
      const store = await open();
      await Promise.all([store.put('one', 'agent', PASSWORD), store.put('two', 'supervisor', PASSWORD)]);
      expect((await store.list()).map((a) => `${a.username}:${a.role}`)).toEqual(['one:agent', 'two:supervisor']);
    });
  });
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-accounts-'));
  tempDirs.push(dir);
  return dir;
};

accountStoreContract('FileAccountStore', async () => new FileAccountStore(join(tempDir(), 'accounts.json')));

const newPrefix = redisPrefixes();
const client = redisConnections();

accountStoreContract('RedisAccountStore', async () => new RedisAccountStore(client(), newPrefix()));

describe('FileAccountStore', () => {
  it('creates the folder, and writes the file with mode 0600 and no plain password', async () => {
    const path = join(tempDir(), 'nested', 'deeper', 'accounts.json');
    await new FileAccountStore(path).put('lan', 'agent', PASSWORD);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(PASSWORD);
    expect(text).toMatch(/"passwordHash": "scrypt\$/);
    expect(readdirSync(join(path, '..'))).toEqual(['accounts.json']);
  });

  it('re-reads the file on each call, so another process’s changes are seen', async () => {
    const path = join(tempDir(), 'accounts.json');
    const server = new FileAccountStore(path);
    expect(await server.verify('lan', PASSWORD)).toBeNull();
    await new FileAccountStore(path).put('lan', 'agent', PASSWORD);
    expect(await server.verify('lan', PASSWORD)).toMatchObject({ username: 'lan' });
    await new FileAccountStore(path).remove('lan');
    expect(await server.get('lan')).toBeNull();
  });

  it('refuses a damaged file instead of treating it as empty, and leaves it alone', async () => {
    const path = join(tempDir(), 'accounts.json');
    const store = new FileAccountStore(path);
    writeFileSync(path, '{"version":1,"accounts":[{"username":"lan"}]}');
    await expect(store.list()).rejects.toThrow(/malformed/);
    await expect(store.put('minh', 'agent', PASSWORD)).rejects.toThrow(/malformed/);
    writeFileSync(path, 'not json');
    await expect(store.verify('lan', PASSWORD)).rejects.toThrow(/not valid JSON/);
    expect(readFileSync(path, 'utf8')).toBe('not json');
  });

  it('reads nothing from a missing file without creating it', async () => {
    const path = join(tempDir(), 'accounts.json');
    expect(await new FileAccountStore(path).list()).toEqual([]);
    expect(existsSync(path)).toBe(false);
  });
});

describe('RedisAccountStore', () => {
  it('keeps one JSON key per account and a set of usernames under the prefix', async () => {
    const redis = client();
    const prefix = newPrefix();
    const store = new RedisAccountStore(redis, prefix);
    await store.put('lan', 'supervisor', PASSWORD);
    const json = await redis.get(`${prefix}agent:account:lan`);
    expect(JSON.parse(json!)).toMatchObject({
      username: 'lan',
      role: 'supervisor',
      passwordHash: expect.stringMatching(/^scrypt\$/),
    });
    expect(json).not.toContain(PASSWORD);
    expect(await redis.smembers(`${prefix}agent:accounts`)).toEqual(['lan']);
    // Another process's store on the same prefix sees the account.
    expect(await new RedisAccountStore(client(), prefix).verify('lan', PASSWORD)).toMatchObject({ role: 'supervisor' });
    await store.remove('lan');
    expect(await redis.exists(`${prefix}agent:account:lan`, `${prefix}agent:accounts`)).toBe(0);
  });

  it('refuses a malformed account record', async () => {
    const redis = client();
    const prefix = newPrefix();
    await redis.set(
      `${prefix}agent:account:lan`,
      JSON.stringify({ username: 'lan', role: 'root' }),
      'EX',
      TEST_KEY_TTL_SECONDS,
    );
    await expect(new RedisAccountStore(redis, prefix).get('lan')).rejects.toThrow(/malformed/);
  });
});

describe('openAccountStore', () => {
  it('picks Redis when given a connection, else the file', async () => {
    const path = join(tempDir(), 'accounts.json');
    const prefix = newPrefix();
    const config = { agentAccountsFile: path, redisKeyPrefix: prefix };
    const redis = client();
    await openAccountStore(config, redis).put('in-redis', 'agent', PASSWORD);
    await openAccountStore(config).put('in-file', 'agent', PASSWORD);
    expect(await redis.smembers(`${prefix}agent:accounts`)).toEqual(['in-redis']);
    expect((await new FileAccountStore(path).list()).map((a) => a.username)).toEqual(['in-file']);
    expect(openAccountStore(config, redis)).toBeInstanceOf(RedisAccountStore);
    expect(openAccountStore(config)).toBeInstanceOf(FileAccountStore);
  });
});
