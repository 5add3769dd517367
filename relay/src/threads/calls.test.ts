import { afterEach, describe, expect, it } from 'vitest';
import { CALLER, sleep, startTestRelay, testBusiness, waitFor, type TestRelay } from '../testing/harness.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

const threads = async (r: TestRelay, token: string) => (await r.api(token, 'GET', '/api/threads')).body.threads as any[];

describe('missed call → thread → text-back', () => {
  it('texts a caller nobody answered, once the call ends, and tracks delivery', async () => {
    relay = await startTestRelay();
    const token = await relay.staff('Riley');
    const result = await relay.call({ answered: false });
    expect(result.steps.map((s: any) => s.status)).toEqual([200, 200, 200]);
    expect(result.steps[0].body).toContain('<Dial');
    expect(result.steps[1].body).toContain('<Record');

    const [msg] = await waitFor(async () => {
      const sent = await relay.sent();
      return sent.length ? sent : undefined;
    }, 'a text-back');
    expect(msg!.to).toBe(CALLER);
    expect(msg!.from).toBe('+15125550100');
    expect(msg!.text).toContain('Bright Smile Dental');
    // The demo office books through Ringback: the text links to this thread's own booking page.
    expect(msg!.text).toMatch(new RegExp(`${relay.config.publicUrl}/book/[A-Za-z0-9_-]{22}\\b`));
    expect(msg!.text).toMatch(/STOP/);

    const [thread] = await threads(relay, token);
    expect(thread).toMatchObject({ caller: CALLER, status: 'open', missedCount: 1 });
    await waitFor(async () => (await threads(relay, token))[0].textBack.state === 'delivered', 'delivery report');
    const detail = (await relay.api(token, 'GET', `/api/threads/${thread.id}`)).body;
    expect(detail.calls).toHaveLength(1);
    expect(detail.calls[0]).toMatchObject({ outcome: 'missed', dialStatus: 'no-answer' });
    expect(detail.messages[0]).toMatchObject({ kind: 'text-back', status: 'delivered' });
    expect(detail.messages[0].sentAt).not.toBeNull();
  });

  it('does nothing for an answered call', async () => {
    relay = await startTestRelay();
    const token = await relay.staff('Riley');
    await relay.call({ answered: true });
    await sleep(200);
    expect(await relay.sent()).toEqual([]);
    expect(await threads(relay, token)).toEqual([]);
    expect(Object.values(relay.store.data.calls)[0]).toMatchObject({ outcome: 'answered' });
  });

  it('treats a caller who hangs up while it rings as missed', async () => {
    relay = await startTestRelay();
    const token = await relay.staff('Riley');
    await relay.call({ answered: false, hangupWhileRinging: true });
    await waitFor(async () => (await relay.sent()).length === 1, 'a text-back');
    expect((await threads(relay, token))[0].missedCount).toBe(1);
  });

  it('uses the voicemail template and attaches the recording', async () => {
    relay = await startTestRelay();
    const token = await relay.staff('Riley');
    await relay.call({ answered: false, voicemail: 12 });
    const [msg] = await waitFor(async () => {
      const s = await relay.sent();
      return s.length ? s : undefined;
    }, 'a text-back');
    expect(msg!.text).toContain('thanks for your voicemail');
    const [thread] = await threads(relay, token);
    expect(thread.voicemail).toMatchObject({ durationSec: 12 });
    expect(thread.voicemail.url).toMatch(/^http/);
  });

  it('after hours: greeting and voicemail instead of ringing the desk, after-hours text', async () => {
    relay = await startTestRelay({
      business: testBusiness((c) => (c.locations[0]!.hours = { mon: [['08:00', '17:00']] })),
      // Sunday noon in Chicago: closed.
      now: () => new Date('2026-11-22T18:00:00Z'),
    });
    const result = await relay.call({ answered: false });
    expect(result.steps[0].body).not.toContain('<Dial');
    expect(result.steps[0].body).toContain('<Record');
    const [msg] = await waitFor(async () => {
      const s = await relay.sent();
      return s.length ? s : undefined;
    }, 'a text-back');
    expect(msg!.text).toContain('is closed right now');
  });

  it('a repeat call within the dedupe window joins the thread without a second text', async () => {
    relay = await startTestRelay();
    const token = await relay.staff('Riley');
    await relay.call({ answered: false });
    await waitFor(async () => (await relay.sent()).length === 1, 'first text-back');
    await relay.call({ answered: false });
    await sleep(300);
    expect(await relay.sent()).toHaveLength(1);
    const list = await threads(relay, token);
    expect(list).toHaveLength(1);
    expect(list[0].missedCount).toBe(2);
    expect(list[0].textBack.state).not.toBe('skipped');
    const calls = Object.values(relay.store.data.calls);
    expect(calls.map((c) => c.textBackSkipped).sort()).toEqual(['duplicate', null].sort());
  });

  it('a landline gets no text: the thread becomes a call-back-by-phone task', async () => {
    relay = await startTestRelay();
    const token = await relay.staff('Riley');
    await relay.call({ answered: false, landline: true });
    const thread = await waitFor(async () => {
      const [t] = await threads(relay, token);
      return t?.textBack?.state === 'skipped' ? t : undefined;
    }, 'a skipped text-back');
    expect(thread.textBack.reason).toBe('landline');
    expect(thread.lineType).toBe('landline');
    expect(await relay.sent()).toEqual([]);
  });

  it('an anonymous caller is recorded, with the reason no text went out', async () => {
    relay = await startTestRelay();
    const token = await relay.staff('Riley');
    await relay.call({ from: 'anonymous', answered: false });
    const thread = await waitFor(async () => {
      const [t] = await threads(relay, token);
      return t?.textBack?.state === 'skipped' ? t : undefined;
    }, 'a skipped text-back');
    expect(thread.textBack.reason).toBe('anonymous');
    expect(await relay.sent()).toEqual([]);
  });
});

describe('per-call cost', () => {
  it('a Lookup answer reads the caller’s own threads and calls, not the whole store', async () => {
    relay = await startTestRelay();
    await relay.figuresReady; // the start's background pass over the data is not a per-call cost
    // A year of other callers' threads and calls, every read of them counted from here on.
    let reads = 0;
    const { threads: tables, calls } = relay.store.data;
    for (let i = 0; i < 3000; i++) {
      const t = { id: `th_old_${i}`, caller: `+1512555${String(2000 + i).padStart(4, '0')}` } as never;
      const c = { id: `call_old_${i}`, from: `+1512555${String(2000 + i).padStart(4, '0')}`, outcome: 'answered' } as never;
      Object.defineProperty(tables, `th_old_${i}`, { enumerable: true, configurable: true, get: () => (reads++, t) });
      Object.defineProperty(calls, `call_old_${i}`, { enumerable: true, configurable: true, get: () => (reads++, c) });
    }
    await relay.call({ answered: false, landline: true });
    await waitFor(() => relay.store.data.lineTypes[CALLER]?.type === 'landline', 'the Lookup answer');
    await sleep(200);
    const seen = reads;
    for (let i = 0; i < 3000; i++) {
      delete (tables as Record<string, unknown>)[`th_old_${i}`];
      delete (calls as Record<string, unknown>)[`call_old_${i}`];
    }
    expect(seen).toBe(0);
    // The caller's own thread took the answer (read through the API once the counting is over).
    const token = await relay.staff('Riley');
    expect((await threads(relay, token)).find((t) => t.caller === CALLER)).toMatchObject({ lineType: 'landline', textBack: { reason: 'landline' } });
  });
});
