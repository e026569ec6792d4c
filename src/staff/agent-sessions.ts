import { createHash, randomBytes } from 'node:crypto';
import { sameSecret } from '../shared/constant-time.ts';
import { z } from 'zod';
import { CREATE_ONLY, type Storage } from '../state/storage-contract.ts';
import { AGENT_ROLES, type AgentAccount, type AgentRole } from './agent-accounts.ts';

export interface AgentSession {
  username: string;
  role: AgentRole;
  displayName: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

const TOKEN_BYTES = 32;
/** 32 bytes in base64url, unpadded. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const StoredSession = z.object({
  username: z.string().min(1),
  role: z.enum(AGENT_ROLES),
  displayName: z.string(),
  csrfToken: z.string().min(1),
  createdAt: z.string(),
  expiresAt: z.string(),
});

/** Logged-in agents, kept in the conversation `Storage` so every server process sees the same sessions. */
export class AgentSessions {
  constructor(
    private readonly storage: Storage,
    private readonly ttlSeconds: number,
    private readonly clock: () => number = Date.now,
  ) {
    if (!(ttlSeconds > 0)) throw new RangeError('session time to live must be positive');
  }

  /** A new session: `token` (32 random bytes, base64url) goes in the cookie; only its SHA-256 is a storage key (`agent-session:<hex>`), so a store dump opens nothing. */
  async create(account: AgentAccount): Promise<{ token: string; session: AgentSession }> {
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const now = this.clock();
    const session: AgentSession = {
      username: account.username,
      role: account.role,
      displayName: account.displayName,
      csrfToken: randomBytes(TOKEN_BYTES).toString('base64url'),
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.ttlSeconds * 1000).toISOString(),
    };
    await this.storage.write({ [sessionKey(token)]: { ...session, eTag: CREATE_ONLY } });
    return { token, session };
  }

  /** The live session for a token, or null (unknown, malformed, expired — an expired one is deleted). */
  async get(token: string | undefined): Promise<AgentSession | null> {
    if (!isToken(token)) return null;
    const key = sessionKey(token);
    const item = (await this.storage.read([key]))[key];
    if (item === undefined) return null;
    const parsed = StoredSession.safeParse(item);
    const expiresAt = parsed.success ? Date.parse(parsed.data.expiresAt) : Number.NaN;
    // A record that cannot be read is as good as expired: no one may log in with it.
    if (!parsed.success || !(expiresAt > this.clock())) {
      await this.storage.delete([key]);
      return null;
    }
    const { username, role, displayName, csrfToken, createdAt } = parsed.data;
    return { username, role, displayName, csrfToken, createdAt, expiresAt: parsed.data.expiresAt };
  }

  async destroy(token: string | undefined): Promise<void> {
    if (isToken(token)) await this.storage.delete([sessionKey(token)]);
  }
}

/** Constant-time check of a request's CSRF header against the session's token. */
export function csrfMatches(session: AgentSession, header: unknown): boolean {
  if (typeof header !== 'string' || header === '' || session.csrfToken === '') return false;
  return sameSecret(header, session.csrfToken);
}

function isToken(token: unknown): token is string {
  return typeof token === 'string' && TOKEN_SHAPE.test(token);
}

function sessionKey(token: string): string {
  return `agent-session:${sha256(token).toString('hex')}`;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
