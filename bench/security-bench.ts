import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, percentile } from './stats.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BODIES = 100;
const CONCURRENCY = 4;
/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS = 100;

async function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      for (const line of buffer.split('\n'))
        if (line.includes('"server.started"')) resolve((JSON.parse(line) as { url: string }).url);
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  child.stdout!.resume();
  return { child, url };
}

/** The process's user + system CPU time so far, in milliseconds. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}

/** POSTs `count` copies of `body` to `url`, `CONCURRENCY` at a time; returns the statuses. */
async function flood(url: string, body: Buffer, headers: Record<string, string>, count: number): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next += 1;
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: new Uint8Array(body),
        });
        await res.arrayBuffer();
        statuses.push(res.status);
      }
    }),
  );
  return statuses;
}

/** /healthz round trips, every 20 ms, while `during` runs. */
async function healthDuring(url: string, during: Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  let done = false;
  void during.finally(() => (done = true));
  while (!done) {
    const started = performance.now();
    await (await fetch(`${url}/healthz`)).arrayBuffer();
    samples.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return samples.sort((a, b) => a - b);
}

/**
 * What an unsigned 1 MB webhook body costs the server before it is refused: CPU per body, in the
 * server process, for the Zalo webhook, next to the Messenger webhook (an HMAC over the raw bytes,
 * then 403) measured the same way in the same run; and /healthz while the bodies arrive.
 */
export async function runSecurityBench(): Promise<string> {
  const data = mkdtempSync(join(tmpdir(), 'bench-security-'));
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    REDIS_URL: '',
    AGENT_ACCOUNTS_FILE: join(data, 'accounts.json'),
    ZALO_APP_ID: '3104000000000000001',
    ZALO_APP_SECRET: 'bench-zalo-app-secret',
    ZALO_OA_SECRET_KEY: 'bench-zalo-oa-secret',
    ZALO_TOKENS_FILE: join(data, 'zalo-tokens.json'),
    FACEBOOK_APP_SECRET: 'bench-facebook-secret',
    FACEBOOK_VERIFY_TOKEN: 'bench-verify-token',
    FACEBOOK_PAGE_ACCESS_TOKEN: 'bench-page-token',
  };
  const server = await startServer(env);
  await new Promise((resolve) => setTimeout(resolve, 1500)); // the start-up warm-up runs in the background
  // A JSON event of 1 MB, long ids and all (the worst case for the exact-id reader), unsigned.
  const text = JSON.stringify({
    app_id: env.ZALO_APP_ID,
    event_name: 'user_send_text',
    timestamp: String(Date.now()),
    sender: { id: 'x' },
    message: { text: 'a'.repeat(100) },
  });
  const pad = Array.from({ length: 40_000 }, (_, i) => `${2468458835291979221n + BigInt(i)}`).join(',');
  const body = Buffer.from(`${text.slice(0, -1)},"pad":[${pad}]}`.padEnd(1024 * 1024, ' '));
  const measure = async (path: string, headers: Record<string, string>) => {
    const before = cpuMs(server.child.pid!);
    const statuses = await flood(`${server.url}${path}`, body, headers, BODIES);
    return { perBody: (cpuMs(server.child.pid!) - before) / BODIES, statuses: [...new Set(statuses)].join(',') };
  };
  await measure('/webhooks/zalo', { 'x-zevent-signature': `mac=${'0'.repeat(64)}` });
  const zalo = await measure('/webhooks/zalo', { 'x-zevent-signature': `mac=${'0'.repeat(64)}` });
  const messenger = await measure('/webhooks/facebook', { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` });
  const health = await healthDuring(
    server.url,
    flood(`${server.url}/webhooks/zalo`, body, { 'x-zevent-signature': 'mac=00' }, 20),
  );
  const idle = await healthDuring(server.url, new Promise((resolve) => setTimeout(resolve, 400)));
  server.child.kill('SIGTERM');
  return [
    '## Unsigned webhook bodies',
    `${BODIES} unsigned 1 MB bodies at concurrency ${CONCURRENCY}, server in another process (CPU from /proc, 10 ms ticks)`,
    `Zalo webhook: ${zalo.perBody.toFixed(2)} ms of server CPU per body (status ${zalo.statuses}) (target: under 5 ms, refused before parsing)`,
    `Messenger webhook, same bodies (HMAC over the raw bytes, then 403): ${messenger.perBody.toFixed(2)} ms per body (status ${messenger.statuses})`,
    `ratio Zalo/Messenger: ${(zalo.perBody / messenger.perBody).toFixed(2)}`,
    `/healthz while 20 unsigned bodies arrive: p50 ${fmt(percentile(health, 50))}, max ${fmt(health.at(-1) ?? NaN)} (${health.length} samples); idle: p50 ${fmt(percentile(idle, 50))}, max ${fmt(idle.at(-1) ?? NaN)}`,
  ].join('\n');
}
