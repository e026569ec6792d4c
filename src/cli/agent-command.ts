import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import {
  AGENT_ROLES,
  checkUsername,
  isAgentRole,
  openAccountStore,
  type AccountStore,
} from '../staff/agent-accounts.ts';
import type { AppConfig } from '../shared/config.ts';
import { firstStdinLine } from './stdin-line.ts';

const AGENT_USAGE = `agent add <username> --role ${AGENT_ROLES.join('|')} [--name "Display name"]
  agent list
  agent remove <username>`;

/**
 * `agent add|list|remove`: manages the agent console's accounts in the store the server uses
 * (Redis when REDIS_URL is set, else the accounts file). Wrong input throws; main prints it and exits 1.
 */
export async function runAgentCommand(
  config: Pick<AppConfig, 'agentAccountsFile' | 'redisKeyPrefix' | 'redisUrl'>,
  args: string[],
): Promise<void> {
  const [action, ...rest] = args;
  // Everything that can be checked is checked before a password is asked for.
  const run = planAction(action, rest);
  const redis = config.redisUrl === undefined ? undefined : new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  // Connection errors surface as the failed command; without a listener ioredis would also print them.
  redis?.on('error', () => undefined);
  try {
    await run(openAccountStore(config, redis));
  } finally {
    await redis?.quit().catch(() => redis.disconnect());
  }
}

type Action = (store: AccountStore) => Promise<void>;

function planAction(action: string | undefined, args: string[]): Action {
  switch (action) {
    case 'add':
      return planAdd(args);
    case 'list':
      if (args.length > 0) throw usage(`unexpected argument ${JSON.stringify(args[0])}`);
      return async (store) => {
        const accounts = await store.list();
        for (const a of accounts) out(`${a.username}\t${a.role}\t${a.displayName}`);
        if (accounts.length === 0) process.stderr.write('no agent accounts yet\n');
      };
    case 'remove': {
      const [username, ...extra] = args;
      if (username === undefined || username.startsWith('--') || extra.length > 0)
        throw usage('remove takes one username');
      return async (store) => {
        if (!(await store.remove(username)))
          throw new Error(`no agent account ${JSON.stringify(username.toLowerCase())}`);
        out(`agent ${JSON.stringify(username.toLowerCase())} removed`);
      };
    }
    default:
      throw usage(action === undefined ? 'an action is needed' : `unknown action ${JSON.stringify(action)}`);
  }
}

function planAdd(args: string[]): Action {
  let username: string | undefined;
  let role: string | undefined;
  let displayName: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--role' || arg === '--name') {
      const value = args[++i];
      if (value === undefined) throw usage(`${arg} needs a value`);
      if (arg === '--role') role = value;
      else displayName = value;
    } else if (arg.startsWith('--')) {
      throw usage(`unknown option ${arg}`);
    } else if (username === undefined) {
      username = arg;
    } else {
      throw usage(`unexpected argument ${JSON.stringify(arg)}`);
    }
  }
  if (username === undefined) throw usage('add needs a username');
  if (role === undefined) throw usage(`add needs --role ${AGENT_ROLES.join('|')}`);
  if (!isAgentRole(role))
    throw new Error(`role must be one of: ${AGENT_ROLES.join(', ')} (got ${JSON.stringify(role)})`);
  const checkedRole = role;
  const name = checkUsername(username);
  return async (store) => {
    const password = await readPassword();
    const account = await store.put(name, checkedRole, password, displayName);
    out(`agent ${JSON.stringify(account.username)} (${account.role}) saved`);
  };
}

/** Twice with echo off on a terminal; otherwise the first line of stdin (scripts, provisioning). */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const line = await firstStdinLine();
    if (line === undefined || line === '') throw new Error('no password: give it as the first line of stdin');
    return line;
  }
  const first = await askHidden('Password: ');
  const second = await askHidden('Password again: ');
  if (first !== second) throw new Error('the two passwords do not match');
  return first;
}

/** The prompt goes to stderr (stdout carries the result); what is typed goes to a muted output. */
function askHidden(prompt: string): Promise<string> {
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  process.stderr.write(prompt);
  return new Promise<string>((resolve, reject) => {
    let answered = false;
    rl.on('SIGINT', () => {
      rl.close();
    });
    rl.on('close', () => {
      process.stderr.write('\n');
      if (!answered) reject(new Error('cancelled'));
    });
    rl.question('', (answer) => {
      answered = true;
      resolve(answer);
      rl.close();
    });
  });
}

function usage(problem: string): Error {
  return new Error(`${problem}\nusage: npm run --silent cli -- ${AGENT_USAGE}`);
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}
