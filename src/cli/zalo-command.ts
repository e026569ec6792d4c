import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { permissionUrl, pkcePair, requestTokens } from '../../adapters/zalo/zalo-oauth.ts';
import { FileTokenStore, RedisTokenStore, type TokenStore } from '../../adapters/zalo/zalo-tokens.ts';
import type { AppConfig } from '../shared/config.ts';
import { firstStdinLine } from './stdin-line.ts';

/**
 * `zalo connect`: the OAuth v4 authorization-code flow with PKCE (S256). An OA admin opens the URL,
 * grants access, and pastes back the redirect URL (or just its `code`); the pair goes where the
 * server reads it (Redis with REDIS_URL, else ZALO_TOKENS_FILE). `zalo status` shows no secret.
 */
export async function runZaloCommand(
  config: Pick<AppConfig, 'zalo' | 'redisUrl' | 'redisKeyPrefix'>,
  args: string[],
): Promise<void> {
  const [action] = args;
  if (config.zalo === null) throw new Error('zalo: set ZALO_APP_ID, ZALO_APP_SECRET and ZALO_OA_SECRET_KEY first');
  const zalo = config.zalo;
  const redis = config.redisUrl === undefined ? undefined : new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  redis?.on('error', () => undefined);
  const store: TokenStore =
    redis === undefined ? new FileTokenStore(zalo.tokensFile) : new RedisTokenStore(redis, config.redisKeyPrefix);
  try {
    if (action === 'status') return await status(store);
    if (action !== 'connect') throw new Error('usage: npm run --silent cli -- zalo connect|status');
    if (zalo.redirectUri === undefined)
      throw new Error('zalo connect: set ZALO_REDIRECT_URI to the callback URL registered in the Zalo app');
    const { verifier, challenge } = pkcePair();
    const state = randomBytes(16).toString('base64url');
    process.stderr.write(
      'Open this address as an admin of the Official Account, grant access, then paste the address Zalo sends you to (or its code) here:\n',
    );
    process.stdout.write(`${permissionUrl(zalo, zalo.redirectUri, challenge, state)}\n`);
    const code = codeFrom(await firstStdinLine(), state);
    const current = await store.read();
    const pair = await requestTokens(
      zalo,
      { grant_type: 'authorization_code', code, code_verifier: verifier },
      (current?.version ?? 0) + 1,
    );
    await store.write(pair);
    process.stdout.write(`zalo OA connected; access token valid until ${new Date(pair.expiresAt).toISOString()}\n`);
  } finally {
    await redis?.quit().catch(() => redis.disconnect());
  }
}

async function status(store: TokenStore): Promise<void> {
  const pair = await store.read();
  if (pair === null) {
    process.stdout.write('zalo: no token pair installed (npm run --silent cli -- zalo connect)\n');
    return;
  }
  process.stdout.write(
    `zalo: token pair installed (version ${pair.version}); access token valid until ${new Date(pair.expiresAt).toISOString()}\n`,
  );
}

/** The code from a pasted redirect URL (whose state must be ours) or a bare code. */
function codeFrom(line: string | undefined, state: string): string {
  const text = (line ?? '').trim();
  if (text.length === 0) throw new Error('zalo connect: no code given');
  if (!/^https?:\/\//.test(text)) return text;
  const url = new URL(text);
  if (url.searchParams.get('state') !== state)
    throw new Error('zalo connect: the state in that address is not this request’s (an old or forged link)');
  const code = url.searchParams.get('code');
  if (code === null || code.length === 0) throw new Error('zalo connect: the address has no code');
  return code;
}
