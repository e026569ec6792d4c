import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebchatChannel, type WebchatLimits } from '../adapters/webchat/webchat-channel.ts';
import { WebchatTokens } from '../adapters/webchat/webchat-tokens.ts';
import { buildWidget, widgetRoutes } from '../adapters/webchat/widget-bundle.ts';
import { createAssistant, type Assistant } from './assistant.ts';
import { createApp } from './http/create-app.ts';
import { loadKnowledgeBase, type KnowledgeBase } from './knowledge/knowledge-base.ts';
import type { AppConfig } from './shared/config.ts';
import type { Logger } from './shared/logger.ts';

export interface RunningServer {
  server: Server;
  /** http://host:port, the port the OS gave when PORT=0. */
  url: string;
  assistant: Assistant;
  webchat: WebchatChannel;
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
  options: { knowledge?: KnowledgeBase; webchatLimits?: WebchatLimits } = {},
): Promise<RunningServer> {
  const knowledge = options.knowledge ?? loadKnowledgeBase(config.knowledgeDir);
  const assistant = await createAssistant(config, logger, knowledge);
  const tokens = await WebchatTokens.open(assistant.storage, config.webchatTokenSecret, config.stateTtlSeconds);
  const webchat = new WebchatChannel(assistant, tokens, logger, options.webchatLimits);
  let ready = true;
  const app = createApp({
    knowledge,
    logger,
    parser: assistant.parser,
    isReady: () => ready,
    routers: [webchat.router(), widgetRoutes(buildWidget())],
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
    async close() {
      ready = false;
      await webchat.close();
      await stopHttp(server, config.shutdownTimeoutMs, logger);
      await assistant.close();
    },
  };
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
