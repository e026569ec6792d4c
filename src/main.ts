import { once } from 'node:events';
import type { Server } from 'node:http';
import { createApp } from './http/create-app.ts';
import { createAssistant } from './assistant.ts';
import { loadKnowledgeBase } from './knowledge/knowledge-base.ts';
import { ConfigError, loadConfig } from './shared/config.ts';
import { createLogger, type Logger } from './shared/logger.ts';

/** Composition root: the only place that wires configuration, knowledge, HTTP and (later) adapters. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const started = performance.now();
  const knowledge = loadKnowledgeBase(config.knowledgeDir);
  logger.info(
    { procedures: knowledge.catalog.size, loadMs: Math.round(performance.now() - started) },
    'knowledge.loaded',
  );
  const samples = knowledge.center.samplePaths();
  if (samples.length > 0) {
    logger.warn({ samplePaths: samples }, 'knowledge.center.sample_values_in_use');
  }
  const assistant = await createAssistant(config, logger, knowledge);

  let ready = true;
  const app = createApp({ knowledge, logger, parser: assistant.parser, isReady: () => ready });
  const server = app.listen(config.port, config.host);
  await once(server, 'listening');
  const address = server.address();
  logger.info({ port: typeof address === 'object' && address ? address.port : config.port }, 'server.started');
  void assistant.warmUp().then(
    ({ messages, milliseconds }) => logger.info({ messages, ms: Math.round(milliseconds) }, 'nlu.warmed'),
    (err: unknown) => logger.warn({ err }, 'nlu.warm_up.failed'),
  );

  const shutdown = (signal: string) => {
    if (!ready) return;
    ready = false;
    logger.info({ signal }, 'server.stopping');
    void stop(server, config.shutdownTimeoutMs, logger)
      .then(() => assistant.close())
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** Stops accepting connections, lets requests in flight finish, and gives up after the timeout. */
async function stop(server: Server, timeoutMs: number, logger: Logger): Promise<void> {
  const timer = setTimeout(() => {
    logger.warn({ timeoutMs }, 'server.stop.timeout');
    server.closeAllConnections();
  }, timeoutMs);
  timer.unref();
  server.closeIdleConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  clearTimeout(timer);
  logger.info('server.stopped');
}

main().catch((err: unknown) => {
  createLogger('fatal').fatal({ err }, 'server.start.failed');
  process.exit(1);
});
