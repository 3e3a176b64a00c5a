// A least-recently-used map: the server's compile cache. A Map keeps insertion order, so
// re-inserting on every hit makes its first key the least recently used one.

export class Lru<K, V> {
  private readonly map = new Map<K, V>();

  /** capacity 0 disables caching (every get misses, set stores nothing). */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`LRU capacity must be an integer ≥ 0, got ${capacity}`);
  }

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    if (this.capacity === 0) return;
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }
}
