import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../src/staff/password-hash.ts';

describe('hashPassword / verifyPassword', () => {
  it('encodes scrypt with its parameters, a 16-byte salt and a 64-byte key', async () => {
    const encoded = await hashPassword('mật khẩu an toàn');
    expect(encoded).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{86}$/);
    const [, , , , salt, hash] = encoded.split('$');
    expect(Buffer.from(salt!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(hash!, 'base64url')).toHaveLength(64);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const encoded = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', encoded)).toBe(true);
    expect(await verifyPassword('correct horse batterY', encoded)).toBe(false);
    expect(await verifyPassword('', encoded)).toBe(false);
  });

  it('salts: two hashes of one password differ, and both verify', async () => {
    const a = await hashPassword('same password');
    const b = await hashPassword('same password');
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password', a)).toBe(true);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('treats composed and decomposed Vietnamese letters as the same password', async () => {
    const composed = 'Khánh Hòa 2024'.normalize('NFC');
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(await verifyPassword(decomposed, await hashPassword(composed))).toBe(true);
  });

  it('returns false, without throwing, for malformed encodings', async () => {
    const good = await hashPassword('a good password');
    const [, n, r, p, salt, hash] = good.split('$') as [string, string, string, string, string, string];
    const flipped = `${hash.slice(0, -2)}${hash.at(-2) === 'A' ? 'B' : 'A'}${hash.at(-1)}`;
    const malformed = [
      '',
      'not a hash',
      `bcrypt$${n}$${r}$${p}$${salt}$${hash}`,
      `scrypt$${n}$${r}$${p}$${salt}`,
      `scrypt$${n}$${r}$${p}$${salt}$${hash}$extra`,
      `scrypt$abc$${r}$${p}$${salt}$${hash}`,
      `scrypt$32767$${r}$${p}$${salt}$${hash}`, // N not a power of two
      `scrypt$1073741824$${r}$${p}$${salt}$${hash}`, // would need gigabytes
      `scrypt$${n}$0$${p}$${salt}$${hash}`,
      `scrypt$${n}$${r}$${p}$${salt}$${hash.slice(0, 10)}`, // key too short
      `scrypt$${n}$${r}$${p}$$${hash}`,
      `scrypt$${n}$${r}$${p}$${salt}$${hash.replace(/.$/, '=')}`,
      `scrypt$${n}$${r}$${p}$${salt}$${hash.slice(0, 40)}+/${hash.slice(42)}`,
    ];
    for (const encoded of malformed) expect(await verifyPassword('a good password', encoded), encoded).toBe(false);
    // A tampered key with valid syntax is a wrong password, not a crash.
    expect(await verifyPassword('a good password', `scrypt$${n}$${r}$${p}$${salt}$${flipped}`)).toBe(false);
    expect(await verifyPassword('a good password', good)).toBe(true);
  });
});
