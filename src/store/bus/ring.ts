// A bounded FIFO for one project's live buffer: O(1) append, the oldest entry is evicted when full,
// and the backing array grows only as far as it is used (a quiet project costs a few slots, not 10,000).

export class Ring<T> {
  // Invariant: once count reaches capacity, slots.length === capacity (overwrite relies on it).
  private slots: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`ring capacity must be a positive integer, got ${capacity}`);
    this.slots = new Array(Math.min(16, capacity));
  }

  get size(): number {
    return this.count;
  }

  /** Append; when full the oldest entry is overwritten and returned. */
  push(item: T): T | undefined {
    if (this.count === this.capacity) {
      const evicted = this.slots[this.head];
      this.slots[this.head] = item;
      this.head = (this.head + 1) % this.slots.length;
      return evicted;
    }
    if (this.count === this.slots.length) this.grow();
    this.slots[(this.head + this.count) % this.slots.length] = item;
    this.count++;
    return undefined;
  }

  /** The oldest entry, without removing it. */
  peek(): T | undefined {
    return this.count ? this.slots[this.head] : undefined;
  }

  /** Remove and return the oldest entry. */
  shift(): T | undefined {
    if (!this.count) return undefined;
    const item = this.slots[this.head];
    this.slots[this.head] = undefined; // let the event be collected
    this.head = (this.head + 1) % this.slots.length;
    this.count--;
    return item;
  }

  /** Entry i, 0 = oldest. */
  at(i: number): T {
    return this.slots[(this.head + i) % this.slots.length] as T;
  }

  /** Entries oldest first. */
  toArray(): T[] {
    const out = new Array<T>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.at(i);
    return out;
  }

  private grow(): void {
    // Full but under capacity: double (capped at capacity) and unwrap so head is 0 again.
    const next = new Array<T | undefined>(Math.min(this.capacity, this.slots.length * 2));
    for (let i = 0; i < this.count; i++) next[i] = this.at(i);
    this.slots = next;
    this.head = 0;
  }
}
