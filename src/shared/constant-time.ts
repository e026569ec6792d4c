import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether two secrets (a signature, a token, a derived key) are equal, in time that depends on
 * neither: both are hashed to one length first, so the comparison neither throws on different
 * lengths nor tells the expected one's length.
 */
export function sameSecret(given: string | Buffer, expected: string | Buffer): boolean {
  const digest = (value: string | Buffer) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
