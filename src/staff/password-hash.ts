import { randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { sameSecret } from '../shared/constant-time.ts';

const N = 2 ** 15;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 64;
// scrypt needs 128·N·r bytes; Node's default limit (32 MiB) is exactly that for N=2^15, r=8, and
// OpenSSL counts a little more, so the limit is raised.
const MAX_MEM = 128 * 1024 * 1024;
// An encoding asking for more memory than this is refused before hashing: a tampered store must
// not make one login allocate gigabytes.
const MAX_WORK_MEM = 64 * 1024 * 1024;

const B64URL = /^[A-Za-z0-9_-]+$/;

/** scrypt (node:crypto), N=2^15 (use maxmem large enough), r=8, p=1, 16-byte random salt, 64-byte key; encoded "scrypt$<N>$<r>$<p>$<salt b64url>$<hash b64url>". */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time compare (sameSecret); false for a malformed encoding. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parse(encoded);
  if (!parsed) return false;
  try {
    const key = await derive(password, parsed.salt, parsed.hash.length, parsed.params);
    return sameSecret(key, parsed.hash);
  } catch {
    // Parameters OpenSSL refuses are one more kind of malformed encoding.
    return false;
  }
}

interface Parsed {
  params: { N: number; r: number; p: number };
  salt: Buffer;
  hash: Buffer;
}

function parse(encoded: unknown): Parsed | null {
  if (typeof encoded !== 'string') return null;
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const cost = integer(n);
  const blockSize = integer(r);
  const parallel = integer(p);
  if (cost === null || blockSize === null || parallel === null) return null;
  if (128 * cost * blockSize > MAX_WORK_MEM || parallel > 16) return null;
  const powerOfTwo = cost > 1 && (cost & (cost - 1)) === 0;
  if (!powerOfTwo) return null;
  if (!B64URL.test(salt) || !B64URL.test(hash)) return null;
  const saltBytes = Buffer.from(salt, 'base64url');
  const hashBytes = Buffer.from(hash, 'base64url');
  if (saltBytes.length < 8 || hashBytes.length < 16 || hashBytes.length > 1024) return null;
  return { params: { N: cost, r: blockSize, p: parallel }, salt: saltBytes, hash: hashBytes };
}

function integer(text: string): number | null {
  if (!/^[1-9][0-9]{0,9}$/.test(text)) return null;
  return Number(text);
}

function derive(
  password: string,
  salt: Buffer,
  keylen: number,
  params: { N: number; r: number; p: number },
): Promise<Buffer> {
  // One Vietnamese password typed on two keyboards can arrive as NFC or NFD: the same text must
  // give the same key.
  const normalized = password.normalize('NFC');
  const options: ScryptOptions = { ...params, maxmem: MAX_MEM };
  return new Promise((resolve, reject) => {
    scrypt(normalized, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
