import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { fmt, mb, percentile } from './stats.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CHAT_DEV = fileURLToPath(new URL('../tests/dev-sets/chat-dev.jsonl', import.meta.url));
const ECHO = fileURLToPath(new URL('./ws-echo-server.ts', import.meta.url));

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 500);
const MESSAGES_EACH = 6;
/** A citizen reads the answer and types the next question: 1–3 s here (people take longer). */
const THINK_MS: [number, number] = [1000, 3000];

interface Phase {
  rtts: number[];
  seconds: number;
  messages: number;
  failures: number;
}

/** One citizen: a socket, a hello, then questions one at a time, timing each until the first answer. */
class Citizen {
  private socket!: WebSocket;
  private waiting: { id: string; sent: number; resolve: (rtt: number) => void } | null = null;
  private mySeq = new Map<string, number>();

  async connect(url: string): Promise<void> {
    // Each citizen from an address of their own (127.0.0.0/8 all reaches this machine), as the per-address limits expect.
    const byte = () => 1 + Math.floor(Math.random() * 254);
    this.socket = new WebSocket(`${url.replace(/^http/, 'ws')}/webchat/v1/socket`, {
      localAddress: `127.${byte()}.${byte()}.${byte()}`,
    });
    await new Promise<void>((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    const welcomed = new Promise<void>((resolve) => {
      this.socket.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as {
          type: string;
          entry?: { seq: number; from: string; messageId?: string };
        };
        if (frame.type === 'welcome') resolve();
        if (frame.type !== 'message' || this.waiting === null) return;
        const entry = frame.entry!;
        if (entry.messageId === this.waiting.id) this.mySeq.set(entry.messageId, entry.seq);
        const mine = this.mySeq.get(this.waiting.id);
        // The echo server answers without recording the question: its answer is the first message back.
        if (entry.from === 'bot' && (mine === undefined ? entry.messageId === undefined : entry.seq > mine)) {
          const { sent, resolve: done } = this.waiting;
          this.waiting = null;
          done(performance.now() - sent);
        }
      });
    });
    this.socket.send(JSON.stringify({ type: 'hello', after: 0 }));
    await welcomed;
  }

  ask(id: string, text: string, timeoutMs = 30_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer')), timeoutMs);
      this.waiting = { id, sent: performance.now(), resolve: (rtt) => (clearTimeout(timer), resolve(rtt)) };
      this.socket.send(JSON.stringify({ type: 'message', id, text }));
    });
  }

  close(): void {
    this.socket.close();
  }
}

async function startChild(args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      for (const line of buffer.split('\n')) {
        if (!line.includes('"server.started"')) continue;
        resolve((JSON.parse(line) as { url: string }).url);
      }
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  // The server logs a line per event: keep reading them, as a log shipper would.
  child.stdout!.resume();
  return { child, url };
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) * 1024;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** N citizens, each asking `MESSAGES_EACH` questions with think time in between (paced), or none (flat out). */
async function drive(url: string, questions: readonly string[], thinkMs: [number, number]): Promise<Phase> {
  const citizens = Array.from({ length: CONVERSATIONS }, () => new Citizen());
  for (let i = 0; i < citizens.length; i += 50) await Promise.all(citizens.slice(i, i + 50).map((c) => c.connect(url)));
  const rtts: number[] = [];
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    citizens.map(async (citizen, n) => {
      await sleep(Math.random() * thinkMs[1]);
      for (let k = 0; k < MESSAGES_EACH; k += 1) {
        try {
          rtts.push(await citizen.ask(`b${n}-${k}`, questions[(n * MESSAGES_EACH + k) % questions.length]!));
        } catch {
          failures += 1;
        }
        await sleep(thinkMs[0] + Math.random() * (thinkMs[1] - thinkMs[0]));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const c of citizens) c.close();
  return { rtts: rtts.sort((a, b) => a - b), seconds, messages: rtts.length, failures };
}

const line = (name: string, p: Phase) =>
  `${name}: ${p.messages} messages in ${p.seconds.toFixed(1)} s = ${(p.messages / p.seconds).toFixed(0)} msg/s; round trip p50 ${fmt(percentile(p.rtts, 50))}, p99 ${fmt(percentile(p.rtts, 99))}, max ${fmt(p.rtts.at(-1) ?? NaN)}; unanswered ${p.failures}`;

/**
 * The webchat under load: the real server (`src/main.ts`, in-memory state) in one process, this
 * process as the load generator, and a bare `ws` echo server measured with the same clients.
 */
export async function runWebchatBench(): Promise<string> {
  const questions = readFileSync(CHAT_DEV, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => (JSON.parse(l) as { turns: { text: string }[] }).turns.map((t) => t.text));
  const env = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', REDIS_URL: '' };
  const assistant = await startChild(['src/main.ts'], env);
  await sleep(1500); // the start-up warm-up runs in the background; let it finish first
  const rssBefore = rssOf(assistant.child.pid!);
  const ours = await drive(assistant.url, questions, THINK_MS);
  const rssAfter = rssOf(assistant.child.pid!);
  const oursFlat = await drive(assistant.url, questions, [0, 0]);
  assistant.child.kill('SIGTERM');
  const echo = await startChild([ECHO], {});
  const base = await drive(echo.url, questions, THINK_MS);
  const baseFlat = await drive(echo.url, questions, [0, 0]);
  echo.child.kill('SIGTERM');
  const p99 = (p: Phase) => percentile(p.rtts, 99);
  return [
    '## Webchat',
    `${CONVERSATIONS} concurrent conversations over WebSocket, ${MESSAGES_EACH} questions each from the chat dev set; load generator in this process, server in another (in-memory state, logging at info)`,
    line(`assistant, citizens think ${THINK_MS[0] / 1000}–${THINK_MS[1] / 1000} s between questions`, ours),
    line('bare ws echo server, same clients and pacing', base),
    `ratio assistant/echo (paced): p50 ${(percentile(ours.rtts, 50) / percentile(base.rtts, 50)).toFixed(2)}, p99 ${(p99(ours) / p99(base)).toFixed(2)} (target: assistant p99 < 50 ms)`,
    line('assistant, flat out (each citizen asks again as soon as answered)', oursFlat),
    line('bare ws echo, flat out', baseFlat),
    `server RSS: ${mb(rssBefore)} with ${CONVERSATIONS} sockets open before the questions, ${mb(rssAfter)} after ${ours.messages} of them`,
  ].join('\n');
}
