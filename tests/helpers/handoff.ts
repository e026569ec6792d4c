import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileAccountStore } from '../../src/staff/agent-accounts.ts';

/** A clock starting at `iso` and moving on in real time (business hours are judged by it); `advance` jumps it ahead. */
export interface TestClock {
  (): number;
  /** Moves the clock by `ms` (negative: back), as if that much time had passed. */
  advance(ms: number): void;
}

function clockFrom(iso: string): TestClock {
  const start = Date.now();
  let offset = 0;
  return Object.assign(() => Date.parse(iso) + (Date.now() - start) + offset, {
    advance(ms: number) {
      offset += ms;
    },
  });
}

/** A working morning in Khánh Hòa: Monday 30/11/2026, 09:00 local. */
export const workingMorning = () => clockFrom('2026-11-30T02:00:00Z');
/** Sunday 29/11/2026, 10:00 local: the center is closed. */
export const sunday = () => clockFrom('2026-11-29T03:00:00Z');

/** A fresh accounts file: agents lan and minh, supervisor hoa (password: mat-khau-cua-<name>). */
export async function accountsFile(): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'agents-')), 'accounts.json');
  const store = new FileAccountStore(file);
  await store.put('lan', 'agent', 'mat-khau-cua-lan', 'Nguyễn Thị Lan');
  await store.put('minh', 'agent', 'mat-khau-cua-minh', 'Trần Văn Minh');
  await store.put('hoa', 'supervisor', 'mat-khau-cua-hoa', 'Lê Thị Hoa');
  return file;
}
