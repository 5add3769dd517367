import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyFacts, type Facts } from '@ringback/shared';
import { decodeFacts, factsMonthCurrent, FACTS_VERSION, readFactsMonth, writeFactsMonth } from './facts-file.js';

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

  it('the version names the facts fields, so a new field reads old files as another version', () => {
    for (const k of Object.keys(emptyFacts())) expect(FACTS_VERSION).toContain(k);
  });
});
