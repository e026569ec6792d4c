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

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[Redacted]' }, base: { service: 'citizen-assistant' } }, destination);
}
