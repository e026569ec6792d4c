import { CREATE_ONLY, isStateConflict, type Storage } from './storage-contract.ts';

/**
 * Deliveries that carry no message id (a Zalo `follow`), remembered by a key of their own in the
 * shared store: the first process to write a key gets true, every later delivery of it false, in
 * any process. In Redis the keys expire with the store's other state.
 */
export class FirstDeliveries {
  constructor(
    private readonly storage: Storage,
    /** What is delivered ("zalo-follow"): the keys' namespace. */
    private readonly kind: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** True the first time `key` is delivered; false for a redelivery. */
  async first(key: string): Promise<boolean> {
    try {
      // Create-only: of two processes writing at once, exactly one succeeds.
      await this.storage.write({ [`delivery:${this.kind}:${key}`]: { at: this.clock(), eTag: CREATE_ONLY } });
      return true;
    } catch (error) {
      if (isStateConflict(error)) return false;
      throw error;
    }
  }
}
