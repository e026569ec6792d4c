import { afterAll, describe, expect, it } from 'vitest';
import { startServer, waitForLogEvent } from '../helpers/processes.ts';

/** The operators' metrics, from the server as `npm start` runs it with METRICS_PORT. */
describe('/metrics', () => {
  const child = startServer({ PORT: '0', HOST: '127.0.0.1', METRICS_PORT: '0', LOG_LEVEL: 'info' });
  afterAll(async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  });

  it('counts turns and their time, the queue and the outbox, on a loopback port of its own', async () => {
    const metricsAt = waitForLogEvent(child, 'metrics.listening');
    const url = String((await waitForLogEvent(child, 'server.started')).url);
    const { port, host } = (await metricsAt) as { port: number; host: string };
    expect(host).toBe('127.0.0.1');
    const { token } = (await (await fetch(`${url}/webchat/v1/conversations`, { method: 'POST' })).json()) as {
      token: string;
    };
    await fetch(`${url}/webchat/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'm1', text: 'lam lai can cuoc mat bao nhieu tien' }),
    });
    // The turn is counted once its reply is in the transcript.
    let text = '';
    for (let i = 0; i < 200 && !/assistant_turns_total\{[^}]*\} 1/u.test(text); i += 1) {
      text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      if (!/assistant_turns_total\{[^}]*\} 1/u.test(text)) await new Promise((r) => setTimeout(r, 25));
    }
    expect(text).toMatch(/assistant_turns_total\{outcome="answered",with_people="false"\} 1/u);
    expect(text).toMatch(/assistant_turn_duration_seconds_count 1/u);
    expect(text).toMatch(/^handoff_queue_length 0$/mu);
    expect(text).toMatch(/^records_outbox_lag \d+$/mu);
    // Not on the public port.
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
  }, 60_000);
});
