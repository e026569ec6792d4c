import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileAccountStore, RedisAccountStore, type AccountStore } from '../../src/staff/agent-accounts.ts';
import { runTs } from '../helpers/processes.ts';
import { REDIS_URL, redisConnections, redisPrefixes } from '../helpers/redis.ts';

const PASSWORD = 'mật khẩu của Lan 2024';
const cli = (args: string[], input: string, env: NodeJS.ProcessEnv) =>
  runTs('src/cli/main.ts', ['agent', ...args], input, env);

const newPrefix = redisPrefixes();
const connection = redisConnections();
const tempDirs: string[] = [];
afterAll(async () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

interface Setup {
  env: () => NodeJS.ProcessEnv;
  store: (env: NodeJS.ProcessEnv) => AccountStore;
}

const setups: [string, Setup][] = [
  [
    'the accounts file',
    {
      env: () => {
        const dir = mkdtempSync(join(tmpdir(), 'agent-cli-'));
        tempDirs.push(dir);
        return { AGENT_ACCOUNTS_FILE: join(dir, 'accounts.json'), REDIS_URL: '' };
      },
      store: (env) => new FileAccountStore(env.AGENT_ACCOUNTS_FILE!),
    },
  ],
  [
    'Redis',
    {
      env: () => {
        const prefix = newPrefix();
        return {
          REDIS_URL,
          REDIS_KEY_PREFIX: prefix,
          AGENT_ACCOUNTS_FILE: join(tmpdir(), `never-${randomUUID()}.json`),
        };
      },
      store: (env) => new RedisAccountStore(connection(), env.REDIS_KEY_PREFIX!),
    },
  ],
];

describe.each(setups)('cli agent, with %s', (_name, setup) => {
  it('adds an account with the password from stdin, lists it, and the password verifies', async () => {
    const env = setup.env();
    const added = await cli(['add', 'Lan', '--role', 'supervisor', '--name', 'Nguyễn Thị Lan'], `${PASSWORD}\n`, env);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toBe('agent "lan" (supervisor) saved\n');

    const listed = await cli(['list'], '', env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toBe('lan\tsupervisor\tNguyễn Thị Lan\n');
    expect(listed.stdout).not.toContain('scrypt');

    const store = setup.store(env);
    expect(await store.verify('lan', PASSWORD)).toMatchObject({
      username: 'lan',
      role: 'supervisor',
      displayName: 'Nguyễn Thị Lan',
    });
    expect(await store.verify('lan', `${PASSWORD}x`)).toBeNull();
    if (env.REDIS_URL) expect(existsSync(env.AGENT_ACCOUNTS_FILE!)).toBe(false);
    else expect(readFileSync(env.AGENT_ACCOUNTS_FILE!, 'utf8')).not.toContain(PASSWORD);
  });

  it('replaces an account, and removes it', async () => {
    const env = setup.env();
    expect((await cli(['add', 'minh', '--role', 'agent'], 'first-password-1\n', env)).code).toBe(0);
    const replaced = await cli(['add', 'minh', '--role', 'supervisor'], 'second-password-2\r\nignored line\n', env);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toBe('agent "minh" (supervisor) saved\n');
    const store = setup.store(env);
    expect(await store.verify('minh', 'first-password-1')).toBeNull();
    expect(await store.verify('minh', 'second-password-2')).toMatchObject({ role: 'supervisor' });

    const removed = await cli(['remove', 'minh'], '', env);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe('agent "minh" removed\n');
    expect((await cli(['list'], '', env)).stdout).toBe('');
    const again = await cli(['remove', 'minh'], '', env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no agent account "minh"/);
  });
});

describe('cli agent, refusing bad input', () => {
  const fileEnv = () => setups[0]![1].env();

  it('exits 1 with a message on a bad role, before reading a password, and saves nothing', async () => {
    const env = fileEnv();
    const run = await cli(['add', 'lan', '--role', 'admin'], `${PASSWORD}\n`, env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/role must be one of: agent, supervisor/);
    expect(run.stdout).toBe('');
    expect(existsSync(env.AGENT_ACCOUNTS_FILE!)).toBe(false);
  });

  it('exits 1 with a message on a short password', async () => {
    const env = fileEnv();
    const run = await cli(['add', 'lan', '--role', 'agent'], 'short\n', env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/password must be at least 10 characters/);
    expect(existsSync(env.AGENT_ACCOUNTS_FILE!)).toBe(false);
  });

  it('exits 1 on a bad username, a missing role, or no password on stdin', async () => {
    const env = fileEnv();
    const badName = await cli(['add', 'lan nguyễn', '--role', 'agent'], `${PASSWORD}\n`, env);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toMatch(/username must be 3 to 32 characters/);
    const noRole = await cli(['add', 'lan'], `${PASSWORD}\n`, env);
    expect(noRole.code).toBe(1);
    expect(noRole.stderr).toMatch(/--role agent\|supervisor/);
    const noPassword = await cli(['add', 'lan', '--role', 'agent'], '', env);
    expect(noPassword.code).toBe(1);
    expect(noPassword.stderr).toMatch(/no password/);
    expect(existsSync(env.AGENT_ACCOUNTS_FILE!)).toBe(false);
  });
});
