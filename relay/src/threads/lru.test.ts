import { describe, expect, it } from 'vitest';
import { Lru } from './lru.js';

describe('Lru', () => {
  it('forgets the least recently used entry past its cap', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3);
    expect([...lru.entries()]).toEqual([['a', 1], ['c', 3]]);
    lru.set('a', 10); // replacing keeps one entry
    expect(lru.size).toBe(2);
    expect(lru.get('a')).toBe(10);
  });

  it('keeps the total weight under its limit, always keeping the newest entry', () => {
    const lru = new Lru<string, number>(100, (v) => v, 10);
    lru.set('a', 4);
    lru.set('b', 4);
    expect(lru.weight).toBe(8);
    lru.set('c', 4);
    expect([...lru.entries()].map(([k]) => k)).toEqual(['b', 'c']);
    expect(lru.weight).toBe(8);
    lru.set('huge', 50);
    expect([...lru.entries()].map(([k]) => k)).toEqual(['huge']);
    lru.delete('huge');
    lru.delete('missing');
    expect(lru.weight).toBe(0);
    expect(lru.size).toBe(0);
  });
});
