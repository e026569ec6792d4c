import { createInterface } from 'node:readline';

/** The first line of stdin (a pasted code, a password piped in by a provisioning script), or undefined at end of input. */
export async function firstStdinLine(): Promise<string | undefined> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  try {
    for await (const line of rl) return line;
    return undefined;
  } finally {
    rl.close();
  }
}
