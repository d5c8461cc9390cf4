/**
 * A bounded map that evicts the least recently used entry. A JS Map iterates in insertion order,
 * so "touch" is delete + set and the oldest key is the first one: O(1) per operation, no timers.
 *
 * @internal
 */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();
  /** Entries evicted since creation (or the last clear). */
  evictions = 0;

  constructor(readonly capacity: number, private readonly onEvict?: (key: K, value: V) => void) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`LRU capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.map.size;
  }

  /** Reads without changing recency. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  /** Reads and marks the entry most recently used. */
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  /** Inserts or replaces (most recently used), evicting the least recently used beyond capacity. */
  set(key: K, value: V): void {
    if (this.map.has(key)) this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value as K;
      const evicted = this.map.get(oldest) as V;
      this.map.delete(oldest);
      this.evictions++;
      this.onEvict?.(oldest, evicted);
    }
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }

  clear(): void {
    this.map.clear();
    this.evictions = 0;
  }
}
