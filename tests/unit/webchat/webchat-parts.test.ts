import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WebchatTokens } from '../../../adapters/webchat/webchat-tokens.ts';
import { MemoryStorage } from '../../../src/state/memory-storage.ts';
import { TokenBucket } from '../../../src/shared/token-bucket.ts';

const SECRET = Buffer.from('a-test-secret-that-is-long-enough-for-hmac');

describe('WebchatTokens', () => {
  it('opens the conversation it was issued for, and nothing altered, forged or expired', () => {
    let now = Date.parse('2026-11-26T08:00:00Z');
    const tokens = new WebchatTokens(SECRET, 3600, () => now);
    const { conversationId, token } = tokens.issue();
    expect(conversationId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(tokens.verify(token)).toBe(conversationId);
    const [v, , issued, mac] = token.split('.');
    const other = tokens.issue().conversationId;
    expect(tokens.verify(`${v}.${other}.${issued}.${mac}`)).toBeNull();
    expect(tokens.verify(`${v}.${conversationId}.${Number(issued) + 1}.${mac}`)).toBeNull();
    expect(
      new WebchatTokens(Buffer.from('another-secret-that-is-long-enough-too!!'), 3600, () => now).verify(token),
    ).toBeNull();
    for (const junk of [undefined, 42, '', 'v1', 'v1...', `${token}.x`, 'x'.repeat(500), conversationId])
      expect(tokens.verify(junk)).toBeNull();
    now += 3601_000;
    expect(tokens.verify(token)).toBeNull();
  });

  it('never accepts a random string', () => {
    const tokens = new WebchatTokens(SECRET, 3600);
    fc.assert(fc.property(fc.string({ maxLength: 120 }), (s) => tokens.verify(s) === null));
  });

  it('keep one secret per store when none is configured, so every process signs alike', async () => {
    const storage = new MemoryStorage();
    const [a, b] = await Promise.all([
      WebchatTokens.open(storage, undefined, 3600),
      WebchatTokens.open(storage, undefined, 3600),
    ]);
    expect(b.verify(a.issue().token)).not.toBeNull();
    const elsewhere = await WebchatTokens.open(new MemoryStorage(), undefined, 3600);
    expect(elsewhere.verify(a.issue().token)).toBeNull();
    const configured = await WebchatTokens.open(storage, randomUUID() + randomUUID(), 3600);
    expect(configured.verify(a.issue().token)).toBeNull();
  });
});

describe('TokenBucket', () => {
  it('lets a burst through, then one per refill interval, and says how long to wait', () => {
    let now = 0;
    const bucket = new TokenBucket(3, 2, () => now);
    expect([bucket.take(), bucket.take(), bucket.take()].every((r) => r.ok)).toBe(true);
    const refused = bucket.take();
    expect(refused).toEqual({ ok: false, retryAfterMs: 500 });
    now += 500;
    expect(bucket.take().ok).toBe(true);
    expect(bucket.take().ok).toBe(false);
    now += 10_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()].map((r) => r.ok)).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});
