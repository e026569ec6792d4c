import type { Storage, StoreItem } from '@microsoft/agents-hosting';
import { ChatbotError, Errors } from '../shared/errors.ts';

export type { Storage, StoreItem };

/**
 * How our two stores read the `eTag` of an item given to `write`, so concurrent writers never lose
 * an update silently:
 * - absent or `"*"`: write unconditionally (the Agents SDK's meaning);
 * - `""` (empty): create — only when the key does not exist yet;
 * - any other value: replace — only when the stored item still has that eTag.
 * A write that fails a condition changes none of its keys and throws `CHAT_ERR_STATE_CONFLICT`.
 * `read` returns each item with its current eTag; an eTag is never reused for a key.
 */
export const CREATE_ONLY = '';

export type WriteCondition = { kind: 'any' } | { kind: 'create' } | { kind: 'match'; eTag: string };

export function writeCondition(item: StoreItem): WriteCondition {
  const { eTag } = item;
  if (eTag === undefined || eTag === '*') return { kind: 'any' };
  if (eTag === CREATE_ONLY) return { kind: 'create' };
  return { kind: 'match', eTag };
}

export function isStateConflict(error: unknown): error is ChatbotError {
  return error instanceof ChatbotError && error.code === 'CHAT_ERR_STATE_CONFLICT';
}

export const stateConflict = Errors.stateConflict;

/** The item as stored: without its eTag, which the store keeps next to it. */
export function withoutETag(item: StoreItem): Record<string, unknown> {
  const { eTag: _eTag, ...data } = item;
  return data;
}

export function requireKeys(keys: readonly string[]): void {
  if (keys.length === 0) throw new TypeError('storage: at least one key is needed');
}
