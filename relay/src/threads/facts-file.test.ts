import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyFacts, type Facts } from '@ringback/shared';
import { decodeFacts, factsHoursCurrent, factsMonthCurrent, FACTS_VERSION, readFactsHours, readFactsHoursSync, readFactsMonth, writeFactsHours, writeFactsMonth } from './facts-file.js';

let dir = '';
afterEach(() => rm(dir, { recursive: true, force: true }));

const sample = (): Facts => {
  const f = emptyFacts();
  f.inbound = 3;
  f.repliedThreads.add('th_1').add('__proto__');
  f.timesToText.push(12, 40);
  f.staff.set('st_a', { name: 'Riley', claimed: 2, replied: 1 });
  f.resolutions.set('th_1', { threadId: 'th_1', at: '2026-04-10T10:00:00.000Z', outcome: 'booked', value: 300, staffId: 'st_a', staffName: 'Riley' });
  // A field the facts may gain later: persisted with no code for it.
  (f as unknown as Record<string, unknown>).funnel = { booked: new Set(['th_1']), byChannel: new Map([['assistant', 1]]) };
  return f;
};

describe('kept facts files', () => {
  it('keep Sets, Maps and fields added later; a place with the same facts as all of them is written once', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-facts-'));
    const day = Date.parse('2026-04-10T00:00:00Z');
    const other = emptyFacts();
    other.inbound = 1;
    await writeFactsMonth(dir, '2026-04', new Map([[day, new Map([['*|America/Chicago', sample()], ['main|America/Chicago', sample()], ['east|America/New_York', other]])]]));
    const raw = JSON.parse(await readFile(path.join(dir, 'archive', 'facts', '2026-04.json'), 'utf8'));
    expect(raw.version).toBe(FACTS_VERSION);
    expect(raw.days[String(day)]['main|America/Chicago']).toEqual({ $same: '*|America/Chicago' });
    const back = readFactsMonth(dir, '2026-04')!.get(day)!;
    expect(back.get('main|America/Chicago')).toEqual(sample());
    expect(back.get('*|America/Chicago')!.repliedThreads.has('__proto__')).toBe(true);
    expect(back.get('east|America/New_York')!.inbound).toBe(1);
    expect(await factsMonthCurrent(dir, '2026-04')).toBe(true);
    expect(await factsMonthCurrent(dir, '2026-05')).toBe(false);
  });

  it('a "__proto__" key in a kept file is a plain key of the record it is in, never its prototype', () => {
    const back = decodeFacts(JSON.parse('{"staff":{"$map":[["st_1",{"__proto__":{"claimed":99},"name":"Ann"}]]}}')) as { staff: Map<string, Record<string, unknown>> };
    const ann = back.staff.get('st_1')!;
    expect(Object.getPrototypeOf(ann)).toBe(Object.prototype);
    expect(ann.claimed).toBeUndefined();
    expect(Object.hasOwn(ann, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).claimed).toBeUndefined();
  });

  it('keep hours apart from the days: an hour with nothing anywhere is 0, an empty place in a busy hour 0', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-facts-'));
    const day = Date.parse('2026-04-10T00:00:00Z');
    const hours = Array.from({ length: 24 }, () => new Map([['*|America/Chicago', emptyFacts()], ['main|America/Chicago', emptyFacts()], ['east|America/New_York', emptyFacts()]]));
    hours[9]!.set('*|America/Chicago', sample()).set('main|America/Chicago', sample());
    await writeFactsHours(dir, '2026-04', new Map([[day, hours]]));
    expect(await readdir(path.join(dir, 'archive', 'facts'))).toEqual(['2026-04.hours.json']);
    const raw = JSON.parse(await readFile(path.join(dir, 'archive', 'facts', '2026-04.hours.json'), 'utf8'));
    expect(raw.version).toBe(FACTS_VERSION);
    const kept = raw.days[String(day)];
    expect(kept).toHaveLength(24);
    expect(kept[0]).toBe(0);
    expect(kept[9]['main|America/Chicago']).toEqual({ $same: '*|America/Chicago' });
    expect(kept[9]['east|America/New_York']).toBe(0);
    for (const back of [(await readFactsHours(dir, '2026-04'))!, readFactsHoursSync(dir, '2026-04')!]) {
      const h = back.get(day)!;
      expect(h[9]!.get('main|America/Chicago')).toEqual(sample());
      expect(h[9]!.get('east|America/New_York')).toEqual(emptyFacts());
      expect(h[0]!.size).toBe(0);
    }
    expect(await factsHoursCurrent(dir, '2026-04')).toBe(true);
    expect(await factsMonthCurrent(dir, '2026-04')).toBe(false); // the day file is another file
    expect(await readFactsHours(dir, '2026-05')).toBeNull();
  });

  it('the version names the facts fields, so a new field reads old files as another version', () => {
    for (const k of Object.keys(emptyFacts())) expect(FACTS_VERSION).toContain(k);
  });
});
