import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isStateConflict, CREATE_ONLY, type Storage } from '../../src/state/storage-contract.ts';

const VERSION = 'v1';
const SECRET_KEY = 'webchat:token-secret';

/**
 * The webchat's conversation identity: a random conversation id, signed with the server's secret,
 * which the widget keeps. Nobody can read or write a conversation by guessing its id: the id alone
 * opens nothing, and a token cannot be forged or altered without the secret.
 */
export class WebchatTokens {
  constructor(
    private readonly secret: Buffer,
    /** Tokens older than this are refused: the conversation has expired from the store too. */
    private readonly ttlSeconds: number,
    private readonly clock: () => number = Date.now,
  ) {
    if (secret.length < 32) throw new Error('webchat token secret: at least 32 bytes are needed');
  }

  /**
   * The secret from `WEBCHAT_TOKEN_SECRET` when set; otherwise one made once and kept in the state
   * store, so every server process sharing a Redis signs alike (and, in memory, until a restart).
   */
  static async open(storage: Storage, configured: string | undefined, ttlSeconds: number): Promise<WebchatTokens> {
    if (configured !== undefined) return new WebchatTokens(Buffer.from(configured, 'utf8'), ttlSeconds);
    const made = randomBytes(32).toString('base64url');
    try {
      await storage.write({ [SECRET_KEY]: { secret: made, eTag: CREATE_ONLY } });
    } catch (err) {
      if (!isStateConflict(err)) throw err;
    }
    const stored = (await storage.read([SECRET_KEY]))[SECRET_KEY] as { secret?: unknown } | undefined;
    if (typeof stored?.secret !== 'string') throw new Error('webchat token secret: the state store did not keep it');
    return new WebchatTokens(Buffer.from(stored.secret, 'utf8'), ttlSeconds);
  }

  /** A new conversation and its token. */
  issue(): { conversationId: string; token: string } {
    const conversationId = randomBytes(16).toString('base64url');
    const issuedAt = Math.floor(this.clock() / 1000);
    const body = `${VERSION}.${conversationId}.${issuedAt}`;
    return { conversationId, token: `${body}.${this.mac(body)}` };
  }

  /** The conversation a token opens, or null for anything forged, altered, malformed or expired. */
  verify(token: unknown): string | null {
    if (typeof token !== 'string' || token.length > 200) return null;
    const parts = token.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) return null;
    const [, conversationId, issued, mac] = parts as [string, string, string, string];
    const expected = Buffer.from(this.mac(`${VERSION}.${conversationId}.${issued}`));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const issuedAt = Number(issued);
    if (!Number.isInteger(issuedAt) || this.clock() / 1000 - issuedAt > this.ttlSeconds) return null;
    return conversationId;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
