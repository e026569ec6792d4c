/**
 * A max-heap of procedure numbers keyed by a per-procedure value, in arrays allocated once and
 * reused search after search: ranking visits candidates best ceiling first and usually stops after
 * a few dozen of hundreds, so a full sort (and an object per candidate) would be wasted.
 */
export class DocHeap {
  private readonly docs: Int32Array;
  private readonly keys: Float64Array;
  private size = 0;

  constructor(capacity: number) {
    this.docs = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
  }

  /** Empties the heap for a new search. */
  clear(): void {
    this.size = 0;
  }

  /** Adds a procedure with its key; call {@link build} once all are added. */
  add(doc: number, key: number): void {
    this.keys[doc] = key;
    this.docs[this.size] = doc;
    this.size += 1;
  }

  /** Orders what was added (linear time). */
  build(): void {
    for (let i = (this.size >> 1) - 1; i >= 0; i -= 1) this.siftDown(i);
  }

  get length(): number {
    return this.size;
  }

  /** The key of the procedure {@link pop} would return; -Infinity when empty. */
  peekKey(): number {
    return this.size === 0 ? -Infinity : this.keys[this.docs[0]!]!;
  }

  /** Removes and returns the procedure with the largest key, or -1 when empty. */
  pop(): number {
    if (this.size === 0) return -1;
    const top = this.docs[0]!;
    this.size -= 1;
    this.docs[0] = this.docs[this.size]!;
    this.siftDown(0);
    return top;
  }

  private siftDown(start: number): void {
    const { docs, keys, size } = this;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) return;
      const right = left + 1;
      const child = right < size && keys[docs[right]!]! > keys[docs[left]!]! ? right : left;
      if (keys[docs[child]!]! <= keys[docs[i]!]!) return;
      const swap = docs[i]!;
      docs[i] = docs[child]!;
      docs[child] = swap;
      i = child;
    }
  }
}
