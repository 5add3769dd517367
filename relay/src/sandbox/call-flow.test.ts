import { afterEach, describe, expect, it } from 'vitest';
import { CALLER, startHarness, TRACKING, type Harness } from './test-harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

type Step = { webhook: string; url: string; status: number; body: string };
const call = async (hh: Harness, body: object) => {
  const res = await hh.json<{ callUuid: string; steps: Step[] }>('POST', '/sandbox/calls', { from: CALLER, to: TRACKING, ...body });
  expect(res.status).toBe(200);
  return res.body;
};
const voiceHits = (hh: Harness, uuid: string) => hh.hits.filter((x) => x.params.CallUUID === uuid);

describe('POST /sandbox/calls', () => {
  it('plays a missed call: answer → dial (no-answer) → hangup, all V3-signed', async () => {
    h = await startHarness();
    const { callUuid, steps } = await call(h, { answered: false });
    expect(steps.map((s) => [s.webhook, s.status])).toEqual([['answer', 200], ['dial', 200], ['hangup', 200]]);
    expect(steps[0]!.body).toContain('<Dial');
    expect(steps[1]!.body).toContain('<Record');

    const hits = voiceHits(h, callUuid);
    expect(hits.map((x) => x.path)).toEqual(['/plivo/voice/answer', '/plivo/voice/dial', '/plivo/voice/hangup']);
    expect(hits.every((x) => x.signature === 'V3' && x.valid)).toBe(true);
    expect(hits[0]!.params).toEqual({ CallUUID: callUuid, From: CALLER, To: TRACKING, Direction: 'inbound', CallStatus: 'ringing', Event: 'StartApp' });
    expect(hits[1]!.params).toMatchObject({ DialStatus: 'no-answer', DialBLegUUID: '', DialRingStatus: 'true', DialHangupCause: 'NO_ANSWER', DialALegUUID: callUuid });
    expect(hits[2]!.params).toMatchObject({ CallStatus: 'completed', HangupCause: 'NORMAL_CLEARING', Duration: '23' });
    expect(hits[2]!.params.EndTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('plays an answered call: the dial reports completed with a B leg', async () => {
    h = await startHarness();
    const { callUuid, steps } = await call(h, { answered: true, callerName: 'Ana María' });
    expect(steps.map((s) => s.webhook)).toEqual(['answer', 'dial', 'hangup']);
    const [answer, dial] = voiceHits(h, callUuid);
    expect(answer!.params.CallerName).toBe('Ana María');
    expect(dial!.params).toMatchObject({ DialStatus: 'completed', DialHangupCause: 'NORMAL_CLEARING' });
    expect(dial!.params.DialBLegUUID).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('plays a caller who gives up while ringing: no dial action, straight to hangup', async () => {
    h = await startHarness();
    const { callUuid, steps } = await call(h, { answered: false, hangupWhileRinging: true });
    expect(steps.map((s) => s.webhook)).toEqual(['answer', 'hangup']);
    expect(voiceHits(h, callUuid)[1]!.params).toMatchObject({ CallStatus: 'completed', HangupCause: 'ORIGINATOR_CANCEL', Duration: '8' });
  });

  it('leaves a voicemail after a missed call, with a playable recording', async () => {
    h = await startHarness();
    const { callUuid, steps } = await call(h, { answered: false, voicemail: 20 });
    expect(steps.map((s) => s.webhook)).toEqual(['answer', 'dial', 'record', 'hangup']);
    const rec = voiceHits(h, callUuid)[2]!;
    expect(rec.path).toBe('/plivo/voice/recording');
    expect(rec.params).toMatchObject({ RecordingDuration: '20', RecordingDurationMs: '20000' });
    expect(rec.params.RecordUrl).toBe(`${h.base}/sandbox/recordings/${rec.params.RecordingID}.wav`);
    const wav = await fetch(rec.params.RecordUrl!);
    expect(wav.status).toBe(200);
    expect(wav.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await wav.arrayBuffer()).subarray(0, 4).toString()).toBe('RIFF');
    expect((await fetch(`${h.base}/sandbox/recordings/unknown.wav`)).status).toBe(404);
    expect(Number(voiceHits(h, callUuid)[3]!.params.Duration)).toBe(20 + 3 + 20); // ring + greeting + message
  });

  it('records straight from the answer XML after hours', async () => {
    h = await startHarness({ afterHours: true });
    const { steps } = await call(h, { answered: true, voicemail: 5 });
    expect(steps.map((s) => s.webhook)).toEqual(['answer', 'record', 'hangup']);
  });

  it('hangs up at the beep when the caller leaves no voicemail', async () => {
    h = await startHarness({ afterHours: true });
    const { steps } = await call(h, { answered: false });
    expect(steps.map((s) => s.webhook)).toEqual(['answer', 'hangup']);
  });

  it('reports webhook failures in the steps and still ends the call', async () => {
    h = await startHarness({ failPaths: { '/plivo/voice/answer': 503 } });
    const { steps } = await call(h, { answered: false });
    expect(steps.map((s) => [s.webhook, s.status])).toEqual([['answer', 503], ['hangup', 200]]);
  });

  it('accepts withheld caller IDs and rejects invalid input', async () => {
    h = await startHarness();
    const { steps } = await call(h, { from: 'anonymous', answered: false });
    expect(steps).toHaveLength(3);
    for (const bad of [{ to: TRACKING }, { from: CALLER, to: '+15125550999', answered: false }, { from: CALLER, to: TRACKING, answered: 'yes' }, { from: CALLER, to: TRACKING, answered: false, voicemail: -1 }]) {
      const res = await h.json('POST', '/sandbox/calls', bad);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'bad_request', message: expect.any(String) });
    }
  });
});
