/**
 * One server process's token manager, alone in its process: told the current access token was
 * refused (-216), it refreshes — the test runs two at once against one store and one fake OAuth.
 * Prints the access token it ends up with.
 */
import { Redis } from 'ioredis';
import { ZaloTokenManager } from '../../adapters/zalo/zalo-oauth.ts';
import { FileTokenStore, RedisTokenStore } from '../../adapters/zalo/zalo-tokens.ts';
import { createLogger } from '../../src/shared/logger.ts';

const [oauthUrl, appId, appSecret, rejected, where, location] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const redis = where === 'redis' ? new Redis(location) : undefined;
const store = redis === undefined ? new FileTokenStore(location) : new RedisTokenStore(redis, process.env.PREFIX ?? '');
const manager = new ZaloTokenManager({ oauthUrl, appId, appSecret }, store, createLogger('silent'));
const token = await manager.afterRejection(rejected);
process.stdout.write(`${token}\n`);
await redis?.quit();
