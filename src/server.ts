import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebchatChannel } from '../adapters/webchat/webchat-channel.ts';
import type { WebchatLimits } from '../adapters/webchat/webchat-options.ts';
import { WebchatTokens } from '../adapters/webchat/webchat-tokens.ts';
import { FacebookWebhook } from '../adapters/facebook/facebook-webhook.ts';
import { MessengerSendApi } from '../adapters/facebook/messenger-send-api.ts';
import { MessengerWindow } from '../adapters/facebook/messenger-window.ts';
import { ZaloTokenManager } from '../adapters/zalo/zalo-oauth.ts';
import { ZaloOpenApi } from '../adapters/zalo/zalo-openapi.ts';
import { FileTokenStore, RedisTokenStore } from '../adapters/zalo/zalo-tokens.ts';
import { ZaloWebhook } from '../adapters/zalo/zalo-webhook.ts';
import { ZaloWindow } from '../adapters/zalo/zalo-window.ts';
import { windowPolicy } from '../adapters/shared/windowed-adapter.ts';
import { buildWidget, widgetRoutes } from '../adapters/webchat/widget-bundle.ts';
import type { Redis } from 'ioredis';
import { AgentConsole } from './agent-console/agent-console.ts';
import { openAccountStore } from './staff/agent-accounts.ts';
import { ensureDemoAccount } from './staff/demo-account.ts';
import { AgentSessions } from './staff/agent-sessions.ts';
import { createAssistant, type Assistant } from './assistant.ts';
import { openRecordsDatabase, type RecordsDatabase } from './records/records-database.ts';
import { RecordsWriter } from './records/records-writer.ts';
import { RetentionJob } from './records/retention.ts';
import { InProcessLock, RedisLock } from './state/cross-process-lock.ts';
import { Metrics } from './http/metrics.ts';
import { recordsApi } from './agent-console/records-api.ts';
import { loadReportLabels } from './records/report-labels.ts';
import { clientAddressOf } from './http/client-address.ts';
import { createApp } from './http/create-app.ts';
import { loadKnowledgeBase, type KnowledgeBase } from './knowledge/knowledge-base.ts';
import { FirstDeliveries } from './state/first-deliveries.ts';
import type { LimitOverrides } from './state/shared-limits.ts';
import type { AppConfig, FacebookConfig, ZaloConfig } from './shared/config.ts';
import type { Logger } from './shared/logger.ts';

export interface RunningServer {
  server: Server;
  /** http://host:port, the port the OS gave when PORT=0. */
  url: string;
  assistant: Assistant;
  webchat: WebchatChannel;
  /** The Messenger channel, when configured. */
  facebook: FacebookWebhook | null;
  /** The Zalo OA channel, when configured. */
  zalo: ZaloWebhook | null;
  console: AgentConsole;
  /** The system of record and the writer that fills it from the outbox. */
  records: { database: RecordsDatabase; writer: RecordsWriter; retention: RetentionJob };
  /** The operators' /metrics server, when METRICS_PORT is set. */
  metrics: Server | null;
  /** Stops accepting, tells sockets to reconnect elsewhere, finishes requests in flight, closes the store. */
  close(): Promise<void>;
}

/**
 * The composition root: the assistant, the HTTP API, and the channels around it. main.ts runs it;
 * tests and the bench start the very same thing on a free port.
 */
export async function startServer(
  config: AppConfig,
  logger: Logger,
  options: {
    knowledge?: KnowledgeBase;
    webchatLimits?: WebchatLimits;
    limitOverrides?: LimitOverrides;
    clock?: () => number;
    /** Served on METRICS_PORT when set (main.ts makes it, observing the logger). */
    metrics?: Metrics;
  } = {},
): Promise<RunningServer> {
  const knowledge = options.knowledge ?? loadKnowledgeBase(config.knowledgeDir);
  // The records first: a database that cannot be opened stops the start with its reason.
  const records = await openRecordsDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.recordsDir,
    onConnectionError: (err) => logger.warn({ err }, 'records.database.connection_lost'),
  });
  logger.info({ kind: records.kind }, 'records.database.open');
  const assistant = await createAssistant(
    { ...config, limitOverrides: options.limitOverrides, records: true },
    logger,
    knowledge,
    options.clock,
  );
  const writer = new RecordsWriter(assistant.outbox!, records.db, logger);
  writer.start();
  // One process at a time purges (the lease); with Redis, any process may be the one.
  const retention = new RetentionJob(
    records.db,
    assistant.redis === undefined
      ? new InProcessLock('records.retention')
      : new RedisLock(assistant.redis, `${config.redisKeyPrefix}records:retention:lease`, 10 * 60_000),
    config.retentionDays,
    logger,
    options.clock,
  );
  retention.start();
  const tokens = await WebchatTokens.open(assistant.storage, config.webchatTokenSecret, config.stateTtlSeconds);
  const webchat = new WebchatChannel(assistant, tokens, logger, {
    limits: options.webchatLimits,
    shared: assistant.limits,
    clientAddress: clientAddressOf(config.trustProxy),
    allowedOrigins: config.webchatAllowedOrigins,
  });
  assistant.handoff.desk.connect('webchat', webchat.adapter);
  const clock = options.clock ?? Date.now;
  // Agent accounts and the Zalo tokens: in Redis when there is one (every process sees them), else in files the CLI writes.
  const redis = assistant.redis;
  const facebook = config.facebook === null ? null : openFacebook(config.facebook, assistant, logger, clock);
  const zalo =
    config.zalo === null ? null : openZalo(config.zalo, assistant, logger, clock, redis, config.redisKeyPrefix);
  const accounts = openAccountStore(config, redis);
  if (redis === undefined) {
    const demo = await ensureDemoAccount(accounts, config.agentAccountsFile);
    if (demo !== null) logger.warn({ username: 'demo', passwordFile: demo }, 'agent.demo_account.created');
  }
  assistant.dossier.watch.start(config.dossier.pollSeconds * 1000);
  const agentConsole = new AgentConsole({
    accounts,
    sessions: new AgentSessions(assistant.storage, config.agentSessionSeconds),
    sessionSeconds: config.agentSessionSeconds,
    handoff: assistant.handoff,
    transcript: assistant.transcript,
    log: logger,
    limits: assistant.limits,
    records: assistant.outbox!,
    moreApi: (audit) =>
      recordsApi({
        db: records.db,
        labels: loadReportLabels(config.knowledgeDir),
        shortName: (code) => knowledge.shortNames.get(code) ?? code,
        forget: (conversation) => assistant.forget(conversation),
        audit,
      }),
  });
  let ready = true;
  const app = createApp({
    knowledge,
    logger,
    parser: assistant.parser,
    isReady: () => ready,
    storeReachable: () => assistant.storeReachable(),
    routers: [webchat.router(), widgetRoutes(buildWidget()), agentConsole.router()],
    webhooks: [facebook?.router(), zalo?.router()].filter((r) => r !== undefined),
    trustProxy: config.trustProxy,
  });
  const metricsServer =
    options.metrics !== undefined && config.metricsPort !== undefined
      ? await startMetrics(options.metrics, config.metricsPort, config.metricsHost, assistant, writer)
      : null;
  if (metricsServer !== null)
    logger.info({ port: (metricsServer.address() as AddressInfo).port, host: config.metricsHost }, 'metrics.listening');
  const server = app.listen(config.port, config.host);
  await once(server, 'listening');
  webchat.listen(server);
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return {
    server,
    url: `http://${host}:${port}`,
    assistant,
    webchat,
    facebook,
    zalo,
    console: agentConsole,
    records: { database: records, writer, retention },
    metrics: metricsServer,
    async close() {
      ready = false;
      agentConsole.close();
      assistant.dossier.watch.stop();
      await webchat.close();
      await stopHttp(server, config.shutdownTimeoutMs, logger);
      await facebook?.idle();
      await zalo?.idle();
      // What is still in the outbox: written now when it can be (in memory it would be lost), else left in Redis.
      await writer
        .flushed(config.shutdownTimeoutMs)
        .catch((err: unknown) => logger.warn({ err }, 'records.flush_failed'));
      await writer.stop();
      await retention.stop();
      metricsServer?.close();
      await assistant.close();
      await records.close();
    },
  };
}

/** Messenger: the webhook, the Send API client, the 24-hour window; agents' replies go out through its adapter. */
function openFacebook(
  facebook: FacebookConfig,
  assistant: Assistant,
  logger: Logger,
  clock: () => number,
): FacebookWebhook {
  const sendApi = new MessengerSendApi({ ...facebook, log: logger });
  const window = new MessengerWindow(assistant.storage, facebook.humanAgentTag, clock);
  const webhook = new FacebookWebhook({
    appSecret: facebook.appSecret,
    verifyToken: facebook.verifyToken,
    bot: assistant.bot,
    attach: assistant.attach,
    transcript: assistant.transcript,
    desk: assistant.handoff.desk,
    sendApi,
    window,
    log: logger,
    clock,
  });
  assistant.handoff.desk.connect('facebook', webhook.adapter, windowPolicy(window));
  logger.info({ graphUrl: facebook.graphUrl, humanAgentTag: facebook.humanAgentTag }, 'facebook.channel.on');
  return webhook;
}

/** Zalo OA: the webhook, the OpenAPI client, the token manager (Redis or a file), the interaction window. */
function openZalo(
  zalo: ZaloConfig,
  assistant: Assistant,
  logger: Logger,
  clock: () => number,
  redis: Redis | undefined,
  prefix: string,
): ZaloWebhook {
  const store = redis === undefined ? new FileTokenStore(zalo.tokensFile) : new RedisTokenStore(redis, prefix);
  const tokens = new ZaloTokenManager(zalo, store, logger, clock);
  const api = new ZaloOpenApi({ openapiUrl: zalo.openapiUrl, tokens, log: logger });
  const window = new ZaloWindow(assistant.storage, clock);
  const webhook = new ZaloWebhook({
    appId: zalo.appId,
    oaSecretKey: zalo.oaSecretKey,
    bot: assistant.bot,
    attach: assistant.attach,
    transcript: assistant.transcript,
    desk: assistant.handoff.desk,
    api,
    window,
    follows: new FirstDeliveries(assistant.storage, 'zalo-follow', clock),
    log: logger,
    clock,
  });
  assistant.handoff.desk.connect('zalo', webhook.adapter, windowPolicy(window));
  logger.info({ openapiUrl: zalo.openapiUrl }, 'zalo.channel.on');
  return webhook;
}

/** Stops accepting connections, lets requests in flight finish, and gives up after the timeout. */
async function stopHttp(server: Server, timeoutMs: number, logger: Logger): Promise<void> {
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

/** The operators' metrics: gauges read from the queue and the records' outbox at each scrape. */
async function startMetrics(
  metrics: Metrics,
  port: number,
  host: string,
  assistant: Assistant,
  writer: RecordsWriter,
): Promise<Server> {
  metrics.watch({
    queueLength: async () => (await assistant.handoff.queue.list()).length,
    oldestWaitSeconds: async () => {
      const waiting = (await assistant.handoff.queue.list()).filter((r) => r.status === 'waiting');
      const oldest = Math.min(...waiting.map((r) => Date.parse(r.waitingSince)));
      return waiting.length === 0 ? 0 : Math.round((Date.now() - oldest) / 1000);
    },
    outboxBacklog: () => assistant.outbox?.backlog() ?? Promise.resolve(0),
    recordsWritten: () => writer.count,
  });
  return metrics.listen(port, host);
}
