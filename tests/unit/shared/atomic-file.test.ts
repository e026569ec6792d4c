import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/shared/atomic-file.ts';

describe('writeFileAtomic', () => {
  it('replaces a file whole, with the mode asked for, and leaves no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const path = join(dir, 'nested', 'secret.json');
    writeFileAtomic(path, '{"a":1}', 0o600);
    writeFileAtomic(path, '{"a":2}', 0o600);
    expect(readFileSync(path, 'utf8')).toBe('{"a":2}');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['secret.json']);
  });

  it('leaves the old content and no temporary file when the write cannot happen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const path = join(dir, 'cache.json');
    writeFileAtomic(path, 'old');
    // A folder with a file in it where the file should go: the rename fails, the temporary file is removed.
    const blocked = join(dir, 'blocked');
    writeFileAtomic(join(blocked, 'inside'), 'x');
    expect(() => writeFileAtomic(blocked, 'new')).toThrow();
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir).sort()).toEqual(['blocked', 'cache.json']);
  });
});
