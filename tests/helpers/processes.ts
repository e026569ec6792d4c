import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

const REPO_DIR = fileURLToPath(new URL('../..', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

/**
 * This process's environment without the store settings: a child writes to Redis or PostgreSQL only
 * when its test says where (REDIS_URL and a prefix of its own, DATABASE_URL), never into a store the
 * shell running the tests names.
 */
function inherited(): NodeJS.ProcessEnv {
  const { REDIS_URL: _url, REDIS_KEY_PREFIX: _prefix, DATABASE_URL: _db, ...rest } = process.env;
  // Records in memory unless the test says where: never in the repository's own .data/.
  return { ...rest, RECORDS_DIR: 'memory://' };
}

/** Starts one of the project's entry points the way npm scripts do (tsx), in the repo folder. */
export function startTs(script: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcessWithoutNullStreams {
  return spawn(TSX, [script, ...args], { cwd: REPO_DIR, env: { ...inherited(), ...env }, stdio: 'pipe' });
}

/** Starts the server exactly as `npm start` does (its script from package.json), minus npm itself. */
export function startServer(env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  const pkg = JSON.parse(readFileSync(`${REPO_DIR}/package.json`, 'utf8')) as { scripts: { start: string } };
  // exec: the server replaces the shell, so it gets the signals the test sends.
  return spawn('sh', ['-c', `exec ${pkg.scripts.start}`], {
    cwd: REPO_DIR,
    env: { ...inherited(), ...env },
    stdio: 'pipe',
  });
}

/** Runs a process to completion with `input` on stdin; resolves with its output and exit code. */
export function runTs(
  script: string,
  args: string[],
  input = '',
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = startTs(script, args, env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Resolves with the first stdout line (a pino JSON line) whose `msg` is `event`. */
export function waitForLogEvent(
  child: ChildProcessWithoutNullStreams,
  event: string,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (d: Buffer) => {
      buffer += d.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          if (entry.msg === event) {
            child.stdout.off('data', onData);
            resolve(entry);
            return;
          }
        } catch {
          // not a log line
        }
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before ${event}`)));
  });
}

/**
 * `count` server processes started as `npm start` does, on the same environment (one Redis, say),
 * for the test file: their URLs once each said it started, stopped with SIGTERM after the file.
 */
export function serverProcesses(count: number, env: () => NodeJS.ProcessEnv | Promise<NodeJS.ProcessEnv>): string[] {
  const children: ChildProcessWithoutNullStreams[] = [];
  const urls: string[] = [];
  beforeAll(async () => {
    const shared = await env();
    for (let i = 0; i < count; i += 1) {
      const child = startServer({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...shared });
      children.push(child);
      urls.push(String((await waitForLogEvent(child, 'server.started')).url));
    }
  });
  afterAll(async () => {
    for (const child of children) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
  return urls;
}
