/**
 * Run by `npm test` before the suite: the tests talk to a real Redis and a real PostgreSQL and drive
 * Debian's Chromium. Starts Redis or PostgreSQL when installed but not running; otherwise stops at
 * once with one line saying what is missing and how to get it (instead of a wall of connection
 * errors minutes later).
 * `npm run test:unit` needs neither.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

const redisUrl = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 }, () => {
      socket.write('PING\r\n');
    });
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function fail(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

const host = redisUrl.hostname;
const port = Number(redisUrl.port || 6379);
if (!(await answers(host, port))) {
  const local = host === '127.0.0.1' || host === 'localhost';
  const installed = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!local || !installed) {
    fail(
      `npm test needs Redis at ${host}:${port}: install it (Debian: apt-get install redis-server) or set TEST_REDIS_URL; npm run test:unit runs the tests that need no service.`,
    );
  }
  spawnSync(
    'redis-server',
    ['--daemonize', 'yes', '--bind', host, '--port', String(port), '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  let up = false;
  for (let i = 0; i < 50 && !up; i += 1) {
    up = await answers(host, port);
    if (!up) await new Promise((r) => setTimeout(r, 100));
  }
  if (!up)
    fail(
      `npm test needs Redis at ${host}:${port}, and redis-server did not start there; npm run test:unit runs the tests that need no service.`,
    );
  process.stdout.write(`preflight: started redis-server on ${host}:${port}\n`);
}
const postgresUrl = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const pgHost = postgresUrl.hostname;
const pgPort = Number(postgresUrl.port || 5432);
const pgAnswers = () =>
  spawnSync('pg_isready', ['-q', '-h', pgHost, '-p', String(pgPort)], { stdio: 'ignore' }).status === 0;
if (!pgAnswers()) {
  // Debian's cluster tools start the installed server (the machines run PostgreSQL 15).
  spawnSync(
    'sh',
    ['-c', 'pg_ctlcluster --skip-systemctl-redirect $(pg_lsclusters -h | head -1 | cut -d" " -f1,2) start'],
    {
      stdio: 'ignore',
    },
  );
  let up = false;
  for (let i = 0; i < 50 && !up; i += 1) {
    up = pgAnswers();
    if (!up) await new Promise((r) => setTimeout(r, 100));
  }
  if (!up)
    fail(
      `npm test needs PostgreSQL at ${pgHost}:${pgPort}: install it (Debian: apt-get install postgresql) or set TEST_DATABASE_URL; npm run test:unit runs the tests that need no service.`,
    );
  process.stdout.write(`preflight: started PostgreSQL on ${pgHost}:${pgPort}\n`);
}
if (!existsSync(chromium)) {
  fail(
    `npm test needs Chromium at ${chromium}: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH; npm run test:unit runs the tests that need no service.`,
  );
}
