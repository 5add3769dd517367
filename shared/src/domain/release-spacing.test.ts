import { describe, expect, it } from 'vitest';
import { releaseSlot } from './release-spacing.js';

describe('releaseSlot', () => {
  const end = new Date('2024-03-05T14:00:00Z');
  const t = (s: number) => end.getTime() + s * 1000;
  it('the first held send leaves when the window opens', () => {
    expect(releaseSlot(end, [], 30_000)).toEqual(end);
  });
  it('later ones take the next free slot, filling gaps', () => {
    expect(releaseSlot(end, [t(0), t(30)], 30_000).toISOString()).toBe('2024-03-05T14:01:00.000Z');
    expect(releaseSlot(end, [t(0), t(60)], 30_000).toISOString()).toBe('2024-03-05T14:00:30.000Z');
  });
  it('ignores sends at other times, and spacing 0 means all at once', () => {
    expect(releaseSlot(end, [t(-30), t(7)], 30_000)).toEqual(end);
    expect(releaseSlot(end, [t(0)], 0)).toEqual(end);
  });
});
