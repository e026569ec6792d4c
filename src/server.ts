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
  } = {},
): Promise<RunningServer> {
  const knowledge = options.knowledge ?? loadKnowledgeBase(config.knowledgeDir);
  const assistant = await createAssistant(
    { ...config, limitOverrides: options.limitOverrides },
    logger,
    knowledge,
    options.clock,
  );
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
    async close() {
      ready = false;
      agentConsole.close();
      assistant.dossier.watch.stop();
      await webchat.close();
      await stopHttp(server, config.shutdownTimeoutMs, logger);
      await facebook?.idle();
      await zalo?.idle();
      await assistant.close();
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
