import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Router } from 'express';
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import type { TrustProxy } from './client-address.ts';
import { parseContract, type MessageParser } from '../nlu/message-parser.ts';
import { validateLimit, validateQuery } from '../search/search-request.ts';
import { ChatbotError, Errors } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';

export interface AppDeps {
  knowledge: KnowledgeBase;
  logger: Logger;
  /** The NLU behind `POST /api/v1/parse`. */
  parser: MessageParser;
  /** Set false while shutting down, so load balancers stop sending traffic. */
  isReady?: () => boolean;
  /** Whether the shared store answers: without it no message can be kept, so the health check fails. */
  storeReachable?: () => Promise<boolean>;
  /** The channels' HTTP routes (webchat, later the webhooks) and the pages, mounted before the 404. */
  routers?: Router[];
  /** Webhooks that read their own raw body (to check its signature), mounted before JSON parsing. */
  webhooks?: Router[];
  /** The proxies whose X-Forwarded-* headers are believed (req.secure, req.ip). */
  trustProxy?: TrustProxy;
}

/** Longest text `POST /api/v1/parse` reads: the same cap as a chat message. */
const MAX_PARSE_CHARS = 2000;

/** The HTTP application, without listening: tests and main.ts both build it here. */
export function createApp({
  knowledge,
  logger,
  parser,
  isReady = () => true,
  storeReachable = async () => true,
  routers = [],
  webhooks = [],
  trustProxy = false,
}: AppDeps): Express {
  const app = express();
  app.set('trust proxy', trustProxy);
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestLog(logger));
  app.use((_req, res, next) => {
    // Browsers take every answer for what its Content-Type says, never for what it looks like.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  for (const webhook of webhooks) app.use(webhook);
  app.use(express.json({ limit: '64kb' }));

  app.get('/healthz', async (_req, res) => {
    const ready = isReady();
    const store = ready && (await storeReachable()) ? 'ok' : ready ? 'unreachable' : 'unknown';
    const status = !ready ? 'shutting_down' : store === 'ok' ? 'ok' : 'store_unreachable';
    res.setHeader('Cache-Control', 'no-store');
    res.status(status === 'ok' ? 200 : 503).json({
      status,
      store,
      procedures: knowledge.catalog.size,
      uptimeSeconds: Math.round(process.uptime()),
    });
  });

  app.get('/api/v1/procedures/search', (req, res) => {
    const query = validateQuery(req.query.q);
    const limit = validateLimit(req.query.limit);
    res.json({ query, results: knowledge.search.search(query, limit) });
  });

  app.get('/api/v1/procedures/:code', (req, res) => {
    const record = knowledge.catalog.get(req.params.code);
    if (!record) throw Errors.procedureNotFound(req.params.code.slice(0, 40));
    res.json(record);
  });

  app.post('/api/v1/parse', async (req, res) => {
    const text = (req.body as { text?: unknown } | undefined)?.text;
    if (typeof text !== 'string' || text.trim().length === 0) throw Errors.textMissing();
    if (text.length > MAX_PARSE_CHARS) throw Errors.textTooLong(MAX_PARSE_CHARS);
    res.json(parseContract(await parser.parse(text)));
  });

  for (const router of routers) app.use(router);

  app.use((_req, _res, next) => next(Errors.routeNotFound()));
  app.use(errorHandler(logger));
  return app;
}

/** One log line per request. The query string is left out: it holds what citizens typed. */
function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        { method: req.method, path: req.path, status: res.statusCode, durationMs: Math.round(durationMs * 100) / 100 },
        'http.request.completed',
      );
    });
    next();
  };
}

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const error = toChatbotError(err);
    if (error.httpStatus >= 500) logger.error({ err, code: error.code }, 'http.request.failed');
    if (error.httpStatus === 503) res.setHeader('Retry-After', '5');
    res.status(error.httpStatus).json({ error: { ...error.details, code: error.code, message: error.publicMessage } });
  };
}

function toChatbotError(err: unknown): ChatbotError {
  if (err instanceof ChatbotError) return err;
  const status = (err as { status?: unknown; type?: unknown }).status;
  const type = (err as { type?: unknown }).type;
  if (type === 'entity.parse.failed') return Errors.malformedJson();
  if (type === 'entity.too.large') return Errors.bodyTooLarge();
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return Errors.httpBadRequest(status);
  }
  return Errors.internal(err);
}
