import { randomUUID } from 'node:crypto';
import { readJsonFile } from '../shared/line-files.ts';
import { join } from 'node:path';
import { z } from 'zod';
import type { Storage } from '../state/storage-contract.ts';
import { VersionedStore } from '../state/versioned-store.ts';

const CannedResponse = z.object({
  id: z.string(),
  title: z.string().min(1).max(80),
  text: z.string().min(1).max(2000),
});
export type CannedResponse = z.infer<typeof CannedResponse>;

const Responses = z.object({ responses: z.array(CannedResponse).nullable().default(null) });
type Responses = z.infer<typeof Responses>;

const SeedFile = z.object({
  responses: z.array(z.object({ title: z.string().min(1).max(80), text: z.string().min(1).max(2000) })),
});

const KEY = 'canned-responses';

/**
 * Replies agents insert with one click, kept by supervisors in the shared store; the first set
 * comes from knowledge/canned-responses.json.
 */
export class CannedResponses {
  private readonly store: VersionedStore<Responses>;
  private readonly seed: CannedResponse[];

  constructor(storage: Storage, knowledgeDir: string) {
    this.store = new VersionedStore(storage, Responses, () => Responses.parse({}));
    const file = readJsonFile(join(knowledgeDir, 'canned-responses.json'), SeedFile);
    this.seed = file.responses.map((r, i) => ({ id: `seed-${i + 1}`, ...r }));
  }

  async list(): Promise<CannedResponse[]> {
    return (await this.store.load(KEY)).responses ?? this.seed;
  }

  async add(title: string, text: string): Promise<CannedResponse> {
    const added = CannedResponse.parse({ id: randomUUID(), title: title.trim(), text: text.trim() });
    await this.store.update(KEY, (state) => ({
      state: { responses: [...(state.responses ?? this.seed), added] },
      result: undefined,
    }));
    return added;
  }

  async remove(id: string): Promise<boolean> {
    return this.store.update(KEY, (state) => {
      const current = state.responses ?? this.seed;
      const kept = current.filter((r) => r.id !== id);
      return { state: { responses: kept }, result: kept.length !== current.length };
    });
  }
}
