/**
 * A Map that keeps at most `cap` entries, and at most `maxWeight` in total when entries weigh more than
 * others, forgetting the ones used least recently (the newest entry is always kept).
 */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  private total = 0;

  constructor(
    readonly cap: number,
    private readonly weigh: (value: V) => number = () => 1,
    readonly maxWeight = Infinity,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** The entries' total weight. */
  get weight(): number {
    return this.total;
  }

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      // Map keeps insertion order: re-inserting moves the key to the recent end.
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: K, value: V): void {
    this.delete(key);
    this.map.set(key, value);
    this.total += this.weigh(value);
    while (this.map.size > 1 && (this.map.size > this.cap || this.total > this.maxWeight)) this.delete(this.map.keys().next().value!);
  }

  delete(key: K): void {
    const v = this.map.get(key);
    if (v === undefined) return;
    this.map.delete(key);
    this.total -= this.weigh(v);
  }

  /** Every entry, least recently used first, without touching the order. */
  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }
}
