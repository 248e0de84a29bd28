/** A bounded, newest-first list: what the dashboard shows as "recent log records" and "recent spans". */
export class Recent<T> {
  private items: T[] = [];

  /** @param cap most items listed; older ones fall off (the array briefly holds up to twice that, to trim in batches). */
  constructor(private readonly cap: number) {}

  /** Adds an item, dropping the oldest one past the cap. */
  push(item: T): void {
    if (this.cap <= 0) return;
    this.items.push(item);
    // Trim in batches so a busy stream does not shift the array on every push.
    if (this.items.length >= this.cap * 2) this.items = this.items.slice(-this.cap);
  }

  /** The newest `cap` items, newest first. */
  list(): T[] {
    return this.items.slice(-this.cap).reverse();
  }

  /** How many items the list holds (at most the cap). */
  get size(): number {
    return Math.min(this.items.length, this.cap);
  }

  /** Forgets everything. */
  clear(): void {
    this.items = [];
  }
}
