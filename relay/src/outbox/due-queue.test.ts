import { describe, expect, it } from 'vitest';
import { IndexedHeap } from './due-queue.js';

const drain = (h: IndexedHeap<number>) => {
  const out: string[] = [];
  for (let id = h.pop(); id !== undefined; id = h.pop()) out.push(id);
  return out;
};

describe('IndexedHeap', () => {
  it('pops in key order after adds, re-keys and deletes (checked against a sort)', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const h = new IndexedHeap<number>((a, b) => a < b);
    const model = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const id = `e${Math.floor(rand() * 300)}`;
      const op = rand();
      if (op < 0.6) {
        const k = Math.floor(rand() * 10_000);
        h.set(id, k);
        model.set(id, k);
      } else if (op < 0.85) {
        h.delete(id);
        model.delete(id);
      } else {
        const top = h.pop();
        const expected = [...model.entries()].sort((a, b) => a[1] - b[1])[0];
        expect(top === undefined ? undefined : model.get(top)).toBe(expected?.[1]);
        if (top !== undefined) model.delete(top);
      }
      expect(h.size).toBe(model.size);
    }
    const rest = drain(h).map((id) => model.get(id)!);
    expect(rest).toEqual([...rest].sort((a, b) => a - b));
    expect(rest).toHaveLength(model.size);
  });

  it('peek gives the smallest without removing it; has follows membership', () => {
    const h = new IndexedHeap<number>((a, b) => a < b);
    h.set('a', 5);
    h.set('b', 3);
    h.set('a', 1);
    expect(h.peek()).toEqual({ id: 'a', key: 1 });
    expect(h.size).toBe(2);
    h.delete('a');
    expect(h.has('a')).toBe(false);
    expect(h.peek()).toEqual({ id: 'b', key: 3 });
  });
});
