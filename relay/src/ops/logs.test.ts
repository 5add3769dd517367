import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestRelay, waitFor, type TestRelay } from '../testing/harness.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

describe('operator log lines', () => {
  it('5 missed calls give one JSON line per webhook outcome, text-back decision and send, with masked numbers and no text', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    relay = await startTestRelay({ log });
    const callers = [0, 1, 2, 3, 4].map((i) => `+1512555${3000 + i}`);
    for (const from of callers) await relay.call({ from, answered: false });
    await waitFor(async () => (await relay.sent()).length === 5, 'five text-backs');
    await waitFor(() => lines.filter((l) => l.includes('"event":"send"')).length === 5, 'five send lines');

    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const of = (event: string) => events.filter((e) => e.event === event);
    for (const e of events) expect(e.level).toBeTypeOf('number');

    const textbacks = of('textback');
    expect(textbacks).toHaveLength(5);
    expect(textbacks.map((e) => e.caller).sort()).toEqual(callers.map((c) => `+1512***${c.slice(-4)}`).sort());
    for (const e of textbacks) expect(e).toMatchObject({ decision: 'send', reason: 'missed', level: 30 });

    const sends = of('send');
    expect(sends).toHaveLength(5);
    for (const e of sends) expect(e).toMatchObject({ status: 'sent', kind: 'text-back', level: 30, messageId: expect.any(String) });

    // Each call: answer, Dial action, hangup; each text: at least one delivery report.
    const webhooks = of('webhook');
    const count = (route: string) => webhooks.filter((e) => e.route === route).length;
    expect(count('/plivo/voice/answer')).toBe(5);
    expect(count('/plivo/voice/dial')).toBe(5);
    expect(count('/plivo/voice/hangup')).toBe(5);
    for (const e of webhooks) expect(e).toMatchObject({ result: 'ok', level: 30, ms: expect.any(Number) });

    const all = lines.join('');
    const sent = await relay.sent();
    for (const c of callers) {
      expect(all).not.toContain(c);
      expect(all).not.toContain(c.slice(1));
    }
    expect(all).not.toContain(sent[0]!.text.slice(0, 30));
    expect(all).not.toContain('sorry we missed your call');
  });

  it('logs a skipped text-back with its reason and a failed webhook as a warning', async () => {
    const lines: string[] = [];
    relay = await startTestRelay({ log: pino({ level: 'info' }, { write: (l: string) => void lines.push(l) }) });
    await relay.call({ from: '+15125554000', answered: false, landline: true });
    await fetch(`${relay.url}/plivo/voice/answer`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'CallUUID=x' });
    await waitFor(() => lines.some((l) => l.includes('"event":"textback"')), 'the decision');
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.find((e) => e.event === 'textback')).toMatchObject({ decision: 'skip', reason: 'landline', caller: '+1512***4000' });
    await waitFor(() => lines.some((l) => l.includes('"bad-signature"')), 'the refused webhook');
    expect(lines.map((l) => JSON.parse(l)).find((e) => e.result === 'bad-signature')).toMatchObject({ event: 'webhook', level: 40, route: '/plivo/voice/answer' });
  });
});
