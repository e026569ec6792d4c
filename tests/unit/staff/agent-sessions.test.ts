import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AgentAccount } from '../../../src/staff/agent-accounts.ts';
import { AgentSessions, csrfMatches } from '../../../src/staff/agent-sessions.ts';
import { MemoryStorage } from '../../../src/state/memory-storage.ts';
import { RedisStorage } from '../../../src/state/redis-storage.ts';
import type { StoreItem } from '../../../src/state/storage-contract.ts';
import { redisConnections, redisPrefixes } from '../../helpers/redis.ts';

const LAN: AgentAccount = {
  username: 'lan',
  role: 'supervisor',
  displayName: 'Nguyễn Thị Lan',
  createdAt: '2024-01-01T00:00:00.000Z',
};
const TTL = 3600;
const START = Date.parse('2024-05-01T08:00:00.000Z');

/** A MemoryStorage that remembers every key and item written to it. */
class RecordingStorage extends MemoryStorage {
  readonly written: [string, StoreItem][] = [];
  override async write(changes: StoreItem): Promise<void> {
    this.written.push(...(Object.entries(changes) as [string, StoreItem][]));
    return super.write(changes);
  }
}

const newPrefix = redisPrefixes();
const connection = redisConnections();
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('AgentSessions', () => {
  it('creates a session with a random cookie token and CSRF token, and finds it by the token', async () => {
    const sessions = new AgentSessions(new MemoryStorage(), TTL, () => START);
    const { token, session } = await sessions.create(LAN);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(session).toEqual({
      username: 'lan',
      role: 'supervisor',
      displayName: 'Nguyễn Thị Lan',
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      createdAt: '2024-05-01T08:00:00.000Z',
      expiresAt: '2024-05-01T09:00:00.000Z',
    });
    expect(session.csrfToken).not.toBe(token);
    expect(await sessions.get(token)).toEqual(session);
    const other = await sessions.create(LAN);
    expect(other.token).not.toBe(token);
    expect(other.session.csrfToken).not.toBe(session.csrfToken);
  });

  it('keys the stored session by the SHA-256 of the token, never the token itself', async () => {
    const storage = new RecordingStorage();
    const { token } = await new AgentSessions(storage, TTL).create(LAN);
    expect(storage.written.map(([key]) => key)).toEqual([`agent-session:${sha256(token)}`]);
    expect(JSON.stringify(storage.written)).not.toContain(token);
    expect(Object.keys(await storage.read([`agent-session:${token}`]))).toEqual([]);
  });

  it('returns null for a missing, malformed or unknown token', async () => {
    const sessions = new AgentSessions(new MemoryStorage(), TTL);
    const { token } = await sessions.create(LAN);
    expect(await sessions.get(undefined)).toBeNull();
    expect(await sessions.get('')).toBeNull();
    expect(await sessions.get(`${token}x`)).toBeNull();
    expect(await sessions.get(token.slice(1))).toBeNull();
    expect(await sessions.get(sha256(token))).toBeNull();
    expect(await sessions.get(Buffer.alloc(32, 7).toString('base64url'))).toBeNull();
    expect(await sessions.get(token)).not.toBeNull();
  });

  it('expires a session after its time to live, and deletes it then', async () => {
    let now = START;
    const storage = new MemoryStorage();
    const sessions = new AgentSessions(storage, TTL, () => now);
    const { token } = await sessions.create(LAN);
    const key = `agent-session:${sha256(token)}`;
    now = START + TTL * 1000 - 1;
    expect(await sessions.get(token)).toMatchObject({ username: 'lan' });
    now = START + TTL * 1000;
    expect(await sessions.get(token)).toBeNull();
    expect(await storage.read([key])).toEqual({});
    // Turning the clock back does not bring it back.
    now = START;
    expect(await sessions.get(token)).toBeNull();
  });

  it('destroys a session (logout), and ignores a missing token', async () => {
    const storage = new MemoryStorage();
    const sessions = new AgentSessions(storage, TTL);
    const a = await sessions.create(LAN);
    const b = await sessions.create(LAN);
    await sessions.destroy(a.token);
    await sessions.destroy(undefined);
    await sessions.destroy('garbage');
    expect(await sessions.get(a.token)).toBeNull();
    expect(await storage.read([`agent-session:${sha256(a.token)}`])).toEqual({});
    expect(await sessions.get(b.token)).toEqual(b.session);
  });

  it('treats a damaged stored session as none, and removes it', async () => {
    const storage = new MemoryStorage();
    const sessions = new AgentSessions(storage, TTL);
    const { token } = await sessions.create(LAN);
    const key = `agent-session:${sha256(token)}`;
    await storage.write({ [key]: { username: 'lan', role: 'root', expiresAt: '2999-01-01T00:00:00.000Z' } });
    expect(await sessions.get(token)).toBeNull();
    expect(await storage.read([key])).toEqual({});
  });

  it('works over Redis, shared by two server processes', async () => {
    const prefix = newPrefix();
    const one = new AgentSessions(new RedisStorage(connection(), { prefix, ttlSeconds: 60 }), TTL);
    const two = new AgentSessions(new RedisStorage(connection(), { prefix, ttlSeconds: 60 }), TTL);
    const { token, session } = await one.create(LAN);
    expect(await two.get(token)).toEqual(session);
    await two.destroy(token);
    expect(await one.get(token)).toBeNull();
  });
});

describe('csrfMatches', () => {
  it('accepts only the session’s own CSRF token', async () => {
    const sessions = new AgentSessions(new MemoryStorage(), TTL);
    const { token, session } = await sessions.create(LAN);
    const other = (await sessions.create(LAN)).session;
    expect(csrfMatches(session, session.csrfToken)).toBe(true);
    for (const header of [
      other.csrfToken,
      token,
      '',
      undefined,
      null,
      42,
      [session.csrfToken],
      `${session.csrfToken} `,
      session.csrfToken.slice(0, -1),
    ]) {
      expect(csrfMatches(session, header), String(header)).toBe(false);
    }
  });
});
