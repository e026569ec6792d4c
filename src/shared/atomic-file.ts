import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that a reader (another process, or this one after a crash) sees the old content
 * or the new, never half of it: a temporary file next to it, flushed to disk, then renamed over it.
 * `mode` applies from the first byte (secrets: 0o600), the folder is made if needed (0o700 with a
 * secret, so nobody lists it).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): void {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true, mode: mode === 0o600 ? 0o700 : 0o755 });
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${randomUUID()}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'wx', mode);
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    throw err;
  }
}
