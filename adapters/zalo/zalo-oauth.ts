import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from '../../src/shared/logger.ts';
import type { TokenPair, TokenStore } from './zalo-tokens.ts';

/** Refresh this long before the access token expires: a send never races its expiry. */
const REFRESH_MARGIN_MS = 10 * 60_000;

const TokenAnswer = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.union([z.string(), z.number()]).transform(Number),
});

export interface OAuthOptions {
  oauthUrl: string;
  appId: string;
  appSecret: string;
}

/** PKCE (S256): the verifier stays with us, its challenge goes in the permission URL. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The page where an OA admin grants the app access (spec §3.1). */
export function permissionUrl(options: OAuthOptions, redirectUri: string, challenge: string, state: string): string {
  const url = new URL('/v4/oa/permission', options.oauthUrl);
  url.search = new URLSearchParams({
    app_id: options.appId,
    redirect_uri: redirectUri,
    code_challenge: challenge,
    state,
  }).toString();
  return url.toString();
}

/** POST /v4/oa/access_token: the authorization code (with its verifier) or a refresh token for a new pair. */
export async function requestTokens(
  options: OAuthOptions,
  grant: Record<string, string>,
  version: number,
  clock: () => number = Date.now,
): Promise<TokenPair> {
  const res = await fetch(new URL('/v4/oa/access_token', options.oauthUrl), {
    method: 'POST',
    headers: { secret_key: options.appSecret, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ app_id: options.appId, ...grant }).toString(),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`zalo oauth: HTTP ${res.status}, not JSON`);
  }
  const answer = TokenAnswer.safeParse(json);
  if (!res.ok || !answer.success) {
    const e = json as { error?: unknown; error_name?: unknown; error_description?: unknown; message?: unknown };
    throw new Error(
      `zalo oauth: HTTP ${res.status}, error ${String(e.error ?? '?')} ${String(e.error_description ?? e.error_name ?? e.message ?? '')}`.trim(),
    );
  }
  return {
    accessToken: answer.data.access_token,
    refreshToken: answer.data.refresh_token,
    expiresAt: clock() + answer.data.expires_in * 1000,
    version,
  };
}

/**
 * The OA's access token, always usable: refreshed before it expires, and again (once) when Zalo
 * says it is invalid. Refresh tokens are single-use, so every refresh runs under the store's lock,
 * re-reads the pair first (another process may have refreshed already), and saves the new pair
 * before anything uses it.
 */
export class ZaloTokenManager {
  constructor(
    private readonly options: OAuthOptions,
    private readonly store: TokenStore,
    private readonly log: Logger,
    private readonly clock: () => number = Date.now,
  ) {}

  /** A token to call the OpenAPI with; throws when the OA was never connected (`npm run cli -- zalo connect`). */
  async accessToken(): Promise<string> {
    const pair = await this.store.read();
    if (pair === null) throw new Error('zalo: no token pair: connect the OA with `npm run cli -- zalo connect`');
    if (pair.expiresAt - this.clock() > REFRESH_MARGIN_MS) return pair.accessToken;
    return (await this.refresh(pair.version)).accessToken;
  }

  /** Zalo refused `rejected` (-216): refresh, unless someone already did since that token was read. */
  async afterRejection(rejected: string): Promise<string> {
    const pair = await this.store.read();
    if (pair === null) throw new Error('zalo: no token pair');
    if (pair.accessToken !== rejected) return pair.accessToken;
    return (await this.refresh(pair.version)).accessToken;
  }

  private refresh(seenVersion: number): Promise<TokenPair> {
    return this.store.withLock(async () => {
      const current = await this.store.read();
      if (current === null) throw new Error('zalo: no token pair');
      // Someone refreshed while we waited for the lock: theirs is the live pair.
      if (current.version !== seenVersion) return current;
      const next = await requestTokens(
        this.options,
        { grant_type: 'refresh_token', refresh_token: current.refreshToken },
        current.version + 1,
        this.clock,
      );
      await this.store.write(next);
      this.log.info(
        { version: next.version, expiresAt: new Date(next.expiresAt).toISOString() },
        'zalo.token.refreshed',
      );
      return next;
    });
  }
}
