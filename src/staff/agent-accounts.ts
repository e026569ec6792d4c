import { randomUUID } from 'node:crypto';
import { writeFileAtomic } from '../shared/atomic-file.ts';
import { chmod, readFile } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { hashPassword, verifyPassword } from './password-hash.ts';

export const AGENT_ROLES = ['agent', 'supervisor'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

export interface AgentAccount {
  username: string;
  role: AgentRole;
  displayName: string;
  createdAt: string;
}

export interface AccountStore {
  /** Creates or replaces (password and role) an account. Username /^[a-z0-9._-]{3,32}$/ (lower-cased first); password at least 10 characters; else throws an Error with a clear English message. */
  put(username: string, role: AgentRole, password: string, displayName?: string): Promise<AgentAccount>;
  /** The account when the password is right; null otherwise. For an unknown username, still spends the time of one hash check (no timing oracle). */
  verify(username: string, password: string): Promise<AgentAccount | null>;
  get(username: string): Promise<AgentAccount | null>;
  list(): Promise<AgentAccount[]>;
  remove(username: string): Promise<boolean>;
}

const USERNAME = /^[a-z0-9._-]{3,32}$/;
const MIN_PASSWORD_LENGTH = 10;
const MAX_DISPLAY_NAME_LENGTH = 100;

const StoredAccount = z.object({
  username: z.string().regex(USERNAME),
  role: z.enum(AGENT_ROLES),
  displayName: z.string(),
  createdAt: z.string(),
  passwordHash: z.string().min(1),
});
type StoredAccount = z.infer<typeof StoredAccount>;

// A list rather than an object keyed by username: "__proto__" is a valid username.
const AccountsFile = z.object({
  version: z.literal(1),
  accounts: z.array(StoredAccount),
});

/** The storage half of an account store; the shared rules (validation, hashing, timing) sit above it. */
interface AccountRecords {
  read(username: string): Promise<StoredAccount | null>;
  readAll(): Promise<StoredAccount[]>;
  /** `update` gets the current record (or null) and returns the one to store. */
  upsert(username: string, update: (current: StoredAccount | null) => StoredAccount): Promise<StoredAccount>;
  delete(username: string): Promise<boolean>;
}

/** The rules every store shares; the subclasses only say where records live. */
abstract class BaseAccountStore implements AccountStore {
  protected abstract readonly records: AccountRecords;

  constructor() {
    // Made now rather than at the first unknown username, whose check would otherwise take twice as long.
    void dummyHash().catch(() => undefined);
  }

  async put(username: string, role: AgentRole, password: string, displayName?: string): Promise<AgentAccount> {
    const name = checkUsername(username);
    checkRole(role);
    checkPassword(password);
    const shownName = displayName === undefined ? undefined : checkDisplayName(displayName);
    // Hashed before touching the store: the slow part must not hold up the write queue.
    const passwordHash = await hashPassword(password);
    const stored = await this.records.upsert(name, (current) => ({
      username: name,
      role,
      displayName: shownName ?? current?.displayName ?? name,
      // Replacing a password keeps the account's history: it is still the same person.
      createdAt: current?.createdAt ?? new Date().toISOString(),
      passwordHash,
    }));
    return publicAccount(stored);
  }

  async verify(username: string, password: string): Promise<AgentAccount | null> {
    const name = typeof username === 'string' ? username.toLowerCase() : '';
    const stored = USERNAME.test(name) ? await this.records.read(name) : null;
    if (stored === null || typeof password !== 'string') {
      // Same work as a real check, so response times do not tell which usernames exist.
      await verifyPassword(typeof password === 'string' ? password : '', await dummyHash());
      return null;
    }
    return (await verifyPassword(password, stored.passwordHash)) ? publicAccount(stored) : null;
  }

  async get(username: string): Promise<AgentAccount | null> {
    const name = typeof username === 'string' ? username.toLowerCase() : '';
    if (!USERNAME.test(name)) return null;
    const stored = await this.records.read(name);
    return stored === null ? null : publicAccount(stored);
  }

  async list(): Promise<AgentAccount[]> {
    const all = await this.records.readAll();
    return all.map(publicAccount).sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
  }

  async remove(username: string): Promise<boolean> {
    const name = typeof username === 'string' ? username.toLowerCase() : '';
    if (!USERNAME.test(name)) return false;
    return this.records.delete(name);
  }
}

/**
 * Accounts in one JSON file, for a single server without Redis. Re-read on every call because the
 * CLI, another process, edits it while the server runs; replaced by rename so a reader never sees
 * half a file.
 */
export class FileAccountStore extends BaseAccountStore {
  protected readonly records: AccountRecords;

  constructor(path: string) {
    super();
    this.records = new FileRecords(path);
  }
}

/** Accounts in Redis, shared by every server process: `${prefix}agent:account:<username>` + the set `${prefix}agent:accounts`. */
export class RedisAccountStore extends BaseAccountStore {
  protected readonly records: AccountRecords;

  constructor(redis: Redis, prefix: string) {
    super();
    this.records = new RedisRecords(redis, prefix);
  }
}

/** Redis when the config has REDIS_URL (the caller passes its ioredis connection), else the file. */
export function openAccountStore(
  config: { agentAccountsFile: string; redisKeyPrefix: string },
  redis?: Redis,
): AccountStore {
  return redis ? new RedisAccountStore(redis, config.redisKeyPrefix) : new FileAccountStore(config.agentAccountsFile);
}

class FileRecords implements AccountRecords {
  /** Read-modify-write cycles of this process, one at a time, so two puts never lose each other. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly path: string) {}

  async read(username: string): Promise<StoredAccount | null> {
    return (await this.load()).get(username) ?? null;
  }

  async readAll(): Promise<StoredAccount[]> {
    return [...(await this.load()).values()];
  }

  upsert(username: string, update: (current: StoredAccount | null) => StoredAccount): Promise<StoredAccount> {
    return this.exclusive(async () => {
      const accounts = await this.load();
      const next = update(accounts.get(username) ?? null);
      accounts.set(username, next);
      await this.save(accounts);
      return next;
    });
  }

  delete(username: string): Promise<boolean> {
    return this.exclusive(async () => {
      const accounts = await this.load();
      if (!accounts.delete(username)) return false;
      await this.save(accounts);
      return true;
    });
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<Map<string, StoredAccount>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw err;
    }
    // A damaged file is an error, never "no accounts": treating it as empty would let the next
    // put overwrite every account.
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`agent accounts file ${this.path} is not valid JSON`);
    }
    const parsed = AccountsFile.safeParse(json);
    if (!parsed.success)
      throw new Error(`agent accounts file ${this.path} is malformed: ${z.prettifyError(parsed.error)}`);
    const accounts = new Map<string, StoredAccount>();
    for (const account of parsed.data.accounts) {
      if (accounts.has(account.username))
        throw new Error(`agent accounts file ${this.path} has ${account.username} twice`);
      accounts.set(account.username, account);
    }
    return accounts;
  }

  private async save(accounts: Map<string, StoredAccount>): Promise<void> {
    const file = { version: 1, accounts: [...accounts.values()].sort((a, b) => (a.username < b.username ? -1 : 1)) };
    // The file holds password hashes: 0o600 from the first byte, in a folder nobody else lists.
    writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`, 0o600);
    await chmod(this.path, 0o600);
  }
}

class RedisRecords implements AccountRecords {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async read(username: string): Promise<StoredAccount | null> {
    return this.parse(username, await this.redis.get(this.key(username)));
  }

  async readAll(): Promise<StoredAccount[]> {
    const names = await this.redis.smembers(this.setKey());
    if (names.length === 0) return [];
    const values = await this.redis.mget(...names.map((name) => this.key(name)));
    // A name whose key is gone (removed by hand) is skipped rather than failing the whole list.
    return names.flatMap((name, i) => this.parse(name, values[i] ?? null) ?? []);
  }

  async upsert(username: string, update: (current: StoredAccount | null) => StoredAccount): Promise<StoredAccount> {
    const next = update(await this.read(username));
    await this.redis.multi().set(this.key(username), JSON.stringify(next)).sadd(this.setKey(), username).exec();
    return next;
  }

  async delete(username: string): Promise<boolean> {
    const replies = await this.redis.multi().del(this.key(username)).srem(this.setKey(), username).exec();
    const [error, deleted] = replies?.[0] ?? [null, 0];
    if (error) throw error;
    return deleted === 1;
  }

  private parse(username: string, json: string | null): StoredAccount | null {
    if (json === null) return null;
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      throw new Error(`agent account ${username} in Redis is not valid JSON`);
    }
    const parsed = StoredAccount.safeParse(value);
    if (!parsed.success || parsed.data.username !== username)
      throw new Error(`agent account ${username} in Redis is malformed`);
    return parsed.data;
  }

  private key(username: string): string {
    return `${this.prefix}agent:account:${username}`;
  }

  private setKey(): string {
    return `${this.prefix}agent:accounts`;
  }
}

/** The username as stored (lower-cased); throws when it breaks the rules, so a CLI can check before asking for a password. */
export function checkUsername(username: string): string {
  const name = typeof username === 'string' ? username.toLowerCase() : '';
  if (!USERNAME.test(name)) {
    throw new Error('username must be 3 to 32 characters: lower-case letters a-z, digits, dot, underscore or hyphen');
  }
  return name;
}

export function isAgentRole(role: unknown): role is AgentRole {
  return (AGENT_ROLES as readonly unknown[]).includes(role);
}

function checkRole(role: string): asserts role is AgentRole {
  if (!isAgentRole(role)) {
    throw new Error(`role must be one of: ${AGENT_ROLES.join(', ')} (got ${JSON.stringify(role)})`);
  }
}

function checkPassword(password: string): void {
  // Counted in characters, not UTF-16 units, so accented letters count once.
  if (typeof password !== 'string' || [...password].length < MIN_PASSWORD_LENGTH) {
    throw new Error(`password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
}

function checkDisplayName(displayName: string): string {
  const name = typeof displayName === 'string' ? displayName.normalize('NFC').trim() : '';
  // eslint-disable-next-line no-control-regex
  if (name === '' || [...name].length > MAX_DISPLAY_NAME_LENGTH || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new Error(`display name must be 1 to ${MAX_DISPLAY_NAME_LENGTH} characters, on one line`);
  }
  return name;
}

/** The account without its password hash, which never leaves the store. */
function publicAccount(stored: StoredAccount): AgentAccount {
  return { username: stored.username, role: stored.role, displayName: stored.displayName, createdAt: stored.createdAt };
}

let dummy: Promise<string> | undefined;
/** A real hash with the current parameters, made once, so an unknown user costs one full check. */
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomUUID());
  return dummy;
}
