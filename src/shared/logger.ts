import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Paths redacted from every log line. Fixed in code: pino warns never to let input choose them.
 * Citizen text itself is logged only at debug level by the callers.
 */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-zevent-signature"]',
  '*.accessToken',
  '*.refreshToken',
  '*.password',
  '*.phone',
  '*.citizenId',
  '*.ownerName',
];

/** Sees every log line written (its fields and event name): how the metrics count events. */
export type LogObserver = (fields: Record<string, unknown>, event: string) => void;

export function createLogger(level: string, destination?: DestinationStream, observe?: LogObserver): Logger {
  return pino(
    {
      level,
      ...(observe === undefined
        ? {}
        : {
            hooks: {
              logMethod(args, method) {
                const [first, second] = args as unknown[];
                if (typeof first === 'object' && first !== null && typeof second === 'string')
                  observe(first as Record<string, unknown>, second);
                else if (typeof first === 'string') observe({}, first);
                method.apply(this, args);
              },
            },
          }),
      redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
      base: { service: 'citizen-assistant' },
      serializers: { err: loggedError },
    },
    destination,
  );
}

/** Longest error message kept in a log line. */
const MAX_MESSAGE = 300;
/** Causes followed below an error. */
const MAX_DEPTH = 3;

/**
 * What a log line keeps of an error: its type, code, a scrubbed message and the stack's frames,
 * never its other properties. Libraries hang the input on their errors (ioredis puts a failed
 * command's arguments, that is a citizen's message, on `command`), and some quote it in the
 * message (JSON.parse does): quoted parts and long digit runs (phone and ID numbers) are cut out.
 */
function loggedError(err: unknown, depth = 0): Record<string, unknown> {
  if (typeof err !== 'object' || err === null) return { message: scrub(String(err)) };
  const e = err as { name?: unknown; code?: unknown; message?: unknown; stack?: unknown; cause?: unknown };
  const out: Record<string, unknown> = {
    type: typeof e.name === 'string' ? e.name : (err.constructor?.name ?? 'Object'),
  };
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  out.message = scrub(typeof e.message === 'string' ? e.message : '');
  if (typeof e.stack === 'string') {
    out.stack = e.stack
      .split('\n')
      .filter((line) => /^\s+at /.test(line))
      .join('\n');
  }
  if (e.cause !== undefined && depth < MAX_DEPTH) out.cause = loggedError(e.cause, depth + 1);
  return out;
}

/** A message without what may be someone's words or numbers: quoted parts, and runs of 7+ digits. */
function scrub(message: string): string {
  const cut = message
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|“[^”]*”/g, '"…"')
    .replace(/\+?\d(?:[\d .-]{5,}\d)/g, (run) => (run.replace(/\D/g, '').length >= 7 ? '[number]' : run));
  return cut.length > MAX_MESSAGE ? `${cut.slice(0, MAX_MESSAGE)}…` : cut;
}
