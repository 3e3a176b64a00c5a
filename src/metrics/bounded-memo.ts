// A string-keyed memo of bounded size for per-word work (Porter stems, WordNet synonyms), kept
// as two generations: lookups try the current Map, then the previous one (a hit there is
// carried over), and when the current one is full it becomes the previous one and a new Map
// starts. Words in use stay memoised, and making room costs O(1).
//
// Why not evict the oldest entry (`map.delete(map.keys().next().value)`): V8's Map leaves deleted
// entries in place until it rehashes, and `keys()` walks over them from the front, so with an
// open vocabulary (every word new, the memo always full) each eviction cost a scan of thousands
// of holes: METEOR ran at ~450 pairs/s on the open-vocabulary bench set, most of it in there.

export class BoundedMemo<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  /** At most 2 × `generation` entries are held. */
  constructor(private readonly generation: number) {}

  /** The value for `key`, computed by `compute(key)` on a miss. */
  get(key: string, compute: (key: string) => V): V {
    let value = this.current.get(key);
    if (value !== undefined) return value;
    value = this.previous.get(key);
    if (value === undefined) value = compute(key);
    if (this.current.size >= this.generation) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
    return value;
  }
}
