/**
 * A binary min-heap of ids with a position index: add, re-key and remove one id in O(log n), peek the
 * smallest in O(1). The outbox keeps only unfinished entries in it, so its size is the backlog, not the
 * history of every text ever sent.
 */
export class IndexedHeap<K> {
  private ids: string[] = [];
  private keys = new Map<string, K>();
  private pos = new Map<string, number>();

  constructor(private readonly less: (a: K, b: K) => boolean) {}

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.pos.has(id);
  }

  /** Add the id, or move it to its new key. */
  set(id: string, key: K): void {
    const at = this.pos.get(id);
    this.keys.set(id, key);
    if (at === undefined) {
      this.ids.push(id);
      this.pos.set(id, this.ids.length - 1);
      this.up(this.ids.length - 1);
    } else {
      this.down(this.up(at));
    }
  }

  delete(id: string): void {
    const at = this.pos.get(id);
    if (at === undefined) return;
    const last = this.ids.length - 1;
    this.swap(at, last);
    this.ids.pop();
    this.pos.delete(id);
    this.keys.delete(id);
    if (at < this.ids.length) this.down(this.up(at));
  }

  peek(): { id: string; key: K } | undefined {
    const id = this.ids[0];
    return id === undefined ? undefined : { id, key: this.keys.get(id)! };
  }

  pop(): string | undefined {
    const top = this.ids[0];
    if (top !== undefined) this.delete(top);
    return top;
  }

  private up(i: number): number {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.key(i), this.key(parent))) break;
      this.swap(i, parent);
      i = parent;
    }
    return i;
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < this.ids.length && this.less(this.key(l), this.key(min))) min = l;
      if (r < this.ids.length && this.less(this.key(r), this.key(min))) min = r;
      if (min === i) return;
      this.swap(i, min);
      i = min;
    }
  }

  private key(i: number): K {
    return this.keys.get(this.ids[i]!)!;
  }

  private swap(a: number, b: number): void {
    if (a === b) return;
    const x = this.ids[a]!;
    const y = this.ids[b]!;
    this.ids[a] = y;
    this.ids[b] = x;
    this.pos.set(y, a);
    this.pos.set(x, b);
  }
}
