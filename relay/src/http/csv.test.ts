import { afterEach, describe, expect, it } from 'vitest';
import { parseCsv } from '@ringback/shared';
import { CALLER, startTestRelay, TRACKING, waitFor, type TestRelay } from '../testing/harness.js';
import { csvCell } from './csv.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

const ATTACKS = ['=HYPERLINK("http://evil.example","Click")', '+SUM(1)', '@cmd', '-1+1', '\tx', '\rx', '＝1+1'];

describe('csvCell', () => {
  it('puts a quote before text a spreadsheet would run as a formula', () => {
    for (const a of ATTACKS) expect(csvCell(a, 'text')).toBe(`'${a}`);
    for (const safe of ['Hello', "it's fine", '1+1', ' =spaced', '', '2026-11-02T10:00:00.000Z']) expect(csvCell(safe, 'text')).toBe(safe);
  });

  it('leaves real E.164 numbers in number columns exact, and neutralises anything else there', () => {
    for (const column of ['caller', 'from', 'to', 'phone']) {
      expect(csvCell('+15125551077', column)).toBe('+15125551077');
      expect(csvCell('+1+1', column)).toBe("'+1+1");
      expect(csvCell('=1+1', column)).toBe("'=1+1");
      expect(csvCell('anonymous', column)).toBe('anonymous');
    }
    expect(csvCell('+15125551077', 'callerName')).toBe("'+15125551077"); // a name is text, whatever it looks like
  });

  it('writes numbers as numbers, booleans as true/false, nothing as empty', () => {
    expect(csvCell(-5, 'value')).toBe(-5);
    expect(csvCell(350, 'value')).toBe(350);
    expect(csvCell(true, 'optedOut')).toBe('true');
    expect(csvCell(false, 'optedOut')).toBe('false');
    expect(csvCell(null, 'x')).toBe('');
    expect(csvCell(undefined, 'x')).toBe('');
  });
});

/** The export as rows of named cells, with the raw text for quoting checks. */
async function exported(token: string, name: string): Promise<{ raw: string; rows: Record<string, string>[] }> {
  const res = await relay.api(token, 'GET', `/api/export/${name}`);
  expect(res.status, name).toBe(200);
  const raw = String(res.body);
  const [head, ...body] = parseCsv(raw);
  return { raw, rows: body.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i]!]))) };
}

describe('CSV exports through a real relay', () => {
  it('caller texts and names, contact and staff names come out neutralised; numbers stay exact; booleans are words', async () => {
    relay = await startTestRelay();
    const boss = await relay.staff('@boss', 'manager');
    await relay.call({ answered: false, callerName: '=HYPERLINK("http://evil.example","Click")' });
    const thread = await waitFor(async () => (await relay.api(boss, 'GET', '/api/threads')).body.threads[0], 'thread');
    for (const text of ATTACKS.slice(1)) await relay.sms(text);
    expect((await relay.api(boss, 'POST', `/api/threads/${thread.id}/messages`, { text: '-1 slot left, book now', clientId: 'r1' })).status).toBe(201);
    expect((await relay.api(boss, 'POST', '/api/contacts', { name: '+SUM(1)', phone: '+15125550177', notes: '=1+2' })).status).toBe(201);

    const threads = await exported(boss, 'threads.csv');
    expect(threads.rows[0]).toMatchObject({ caller: CALLER, callerName: `'=HYPERLINK("http://evil.example","Click")`, optedOut: 'false' });
    expect(threads.raw).toContain(`,${CALLER},"'=HYPERLINK(""http://evil.example"",""Click"")",`); // quoted, number bare

    const calls = await exported(boss, 'calls.csv');
    expect(calls.rows[0]).toMatchObject({ from: CALLER, to: TRACKING, afterHours: 'false' });
    expect(calls.raw).toContain(`,${CALLER},${TRACKING},`);

    const messages = await exported(boss, 'messages.csv');
    const inbound = messages.rows.filter((m) => m.direction === 'in').map((m) => m.text);
    expect(inbound).toEqual(ATTACKS.slice(1).map((a) => `'${a}`));
    expect(messages.rows.find((m) => m.kind === 'reply')).toMatchObject({ staff: "'@boss", text: "'-1 slot left, book now" });
    for (const cell of ['"\'+SUM(1)"', '"\'@cmd"', '"\'-1+1"', '"\'\tx"', '"\'\rx"']) expect(messages.raw).toContain(cell);

    const contacts = await exported(boss, 'contacts.csv');
    expect(contacts.rows.find((c) => c.phone === '+15125550177')).toMatchObject({ name: "'+SUM(1)", notes: "'=1+2" });
  });
});
