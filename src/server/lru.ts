// A least-recently-used map bounded by entry count and by total size: the server's compile
// cache. A Map keeps insertion order, so re-inserting on every hit makes its first key the least
// recently used one. Size is whatever the caller says an entry weighs (for compiled graders, the
// length of their JSON: sixty 9 MB graders must not keep 1.3 GB alive).

export class Lru<K, V> {
  private readonly map = new Map<K, { value: V; size: number }>();
  private total = 0;

  /** capacity 0 disables caching (every get misses, set stores nothing). */
  constructor(
    readonly capacity: number,
    readonly maxSize = Infinity,
  ) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`LRU capacity must be an integer ≥ 0, got ${capacity}`);
    if (!(maxSize > 0)) throw new RangeError(`LRU maxSize must be > 0, got ${maxSize}`);
  }

  get size(): number {
    return this.map.size;
  }

  /** The summed sizes of the entries held. */
  get totalSize(): number {
    return this.total;
  }

  get(key: K): V | undefined {
    const entry = this.map.get(key);
    if (entry !== undefined) {
      this.map.delete(key);
      this.map.set(key, entry);
    }
    return entry?.value;
  }

  /** Store an entry; one larger than maxSize on its own is not kept. */
  set(key: K, value: V, size = 1): void {
    this.delete(key);
    if (this.capacity === 0 || size > this.maxSize) return;
    this.map.set(key, { value, size });
    this.total += size;
    while (this.map.size > this.capacity || this.total > this.maxSize) this.delete(this.map.keys().next().value as K);
  }

  delete(key: K): void {
    const entry = this.map.get(key);
    if (entry === undefined) return;
    this.map.delete(key);
    this.total -= entry.size;
  }
}
