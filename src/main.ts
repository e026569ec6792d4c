import { loadKnowledgeBase } from './knowledge/knowledge-base.ts';
import { startServer } from './server.ts';
import { ConfigError, loadConfig } from './shared/config.ts';
import { DependencyUnavailable } from './shared/errors.ts';
import { createLogger } from './shared/logger.ts';
import { Metrics } from './http/metrics.ts';

/** `npm start`: configuration from the environment, the server, and a clean stop on SIGTERM/SIGINT. */
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
  // Metrics count the service's log events (see Metrics), so they exist before the logger.
  const metrics = config.metricsPort === undefined ? undefined : new Metrics();
  const logger = createLogger(config.logLevel, undefined, metrics?.observeLog.bind(metrics));
  const started = performance.now();
  const knowledge = loadKnowledgeBase(config.knowledgeDir);
  logger.info(
    { procedures: knowledge.catalog.size, loadMs: Math.round(performance.now() - started) },
    'knowledge.loaded',
  );
  const samples = knowledge.center.samplePaths();
  if (samples.length > 0) logger.warn({ samplePaths: samples }, 'knowledge.center.sample_values_in_use');

  const running = await startServer(config, logger, { knowledge, metrics });
  logger.info({ port: Number(new URL(running.url).port), url: running.url }, 'server.started');
  void running.assistant.warmUp().then(
    ({ messages, milliseconds }) => logger.info({ messages, ms: Math.round(milliseconds) }, 'nlu.warmed'),
    (err: unknown) => logger.warn({ err }, 'nlu.warm_up.failed'),
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'server.stopping');
    void running.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof DependencyUnavailable) {
    createLogger('fatal').fatal({ dependency: err.dependency }, 'server.start.failed');
    process.stderr.write(
      `Cannot start: ${err.dependency} does not answer at ${err.where}. Start it, or unset REDIS_URL to run on the embedded default.\n`,
    );
  } else {
    createLogger('fatal').fatal({ err }, 'server.start.failed');
  }
  process.exit(1);
});
