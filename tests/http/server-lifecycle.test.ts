import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runTs, startServer, waitForLogEvent } from '../helpers/processes.ts';

describe('the server process', () => {
  it('starts on the embedded default, serves /healthz, and stops cleanly on SIGTERM', async () => {
    const child = startServer({ PORT: '0', HOST: '127.0.0.1', REDIS_URL: '' });
    const started = await waitForLogEvent(child, 'server.started');
    const port = started.port as number;
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    const stopped = waitForLogEvent(child, 'server.stopped');
    child.kill('SIGTERM');
    await stopped;
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('refuses to start with a clear message per wrong variable', async () => {
    const { code, stderr } = await runTs('src/main.ts', [], '', { PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid configuration');
    expect(stderr).toMatch(/PORT: .*"eighty"/);
    expect(stderr).toMatch(/LOG_LEVEL: .*"loud"/);
  });

  it('names Redis and exits when it does not answer at start, before saying it started', async () => {
    const { code, stdout, stderr } = await runTs('src/main.ts', [], '', {
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: 'redis://:hunter2-secret@127.0.0.1:1',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/redis does not answer at redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
    expect(stderr).not.toContain('hunter2-secret');
    expect(stdout).not.toContain('server.started');
    expect(stdout).toMatch(/"msg":"server.start.failed"/);
    expect(stdout).toMatch(/"dependency":"redis"/);
    expect(stdout + stderr).not.toContain('hunter2-secret');
  }, 30_000);
});
