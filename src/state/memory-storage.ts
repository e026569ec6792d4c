import { randomUUID } from 'node:crypto';
import {
  requireKeys,
  stateConflict,
  withoutETag,
  writeCondition,
  type Storage,
  type StoreItem,
} from './storage-contract.ts';

interface Stored {
  json: string;
  eTag: string;
}

/**
 * The default store: state in this process's memory, lost on restart. Implements the Agents SDK
 * `Storage` interface with the eTag rules of `storage-contract.ts` (the SDK's own MemoryStorage
 * cannot express "create only if absent").
 */
export class MemoryStorage implements Storage {
  private readonly items = new Map<string, Stored>();

  async read(keys: string[]): Promise<StoreItem> {
    requireKeys(keys);
    const found: StoreItem = {};
    for (const key of keys) {
      const stored = this.items.get(key);
      if (stored) found[key] = { ...JSON.parse(stored.json), eTag: stored.eTag };
    }
    return found;
  }

  async write(changes: StoreItem): Promise<void> {
    const entries = Object.entries(changes) as [string, StoreItem][];
    requireKeys(entries.map(([key]) => key));
    for (const [key, item] of entries) {
      const condition = writeCondition(item);
      const current = this.items.get(key);
      if (condition.kind === 'create' && current !== undefined) throw stateConflict(key);
      if (condition.kind === 'match' && current?.eTag !== condition.eTag) throw stateConflict(key);
    }
    for (const [key, item] of entries) {
      this.items.set(key, { json: JSON.stringify(withoutETag(item)), eTag: randomUUID() });
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.items.delete(key);
  }
}
