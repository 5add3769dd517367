import { startStandIn, summary, TRACKING, voice } from './harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let callCounter = 0;
/** A number not seen before in this run (each needs its own Lookup). */
export const nextCaller = () => `+1512${String(2000000 + callCounter++).padStart(7, '0')}`;

/** One missed call as Plivo sends it: answer, Dial no-answer, hangup. Resolves with the moment the hangup went out. */
export async function missedCall(relayUrl: string, uuid: string, from: string): Promise<{ hangupAt: number; statuses: number[] }> {
  const base = { CallUUID: uuid, From: from, To: TRACKING, Direction: 'inbound' };
  const a = await voice(relayUrl, '/plivo/voice/answer', { ...base, CallStatus: 'ringing' });
  const d = await voice(relayUrl, '/plivo/voice/dial', { ...base, CallStatus: 'in-progress', DialStatus: 'no-answer' });
  const hangupAt = performance.now();
  const h = await voice(relayUrl, '/plivo/voice/hangup', { CallUUID: uuid, From: from, To: TRACKING, CallStatus: 'completed', HangupCause: 'NORMAL_CLEARING', Duration: '20' });
  return { hangupAt, statuses: [a, d, h] };
}

/**
 * The full missed-call flow at a fixed arrival rate, each call from a new number (so each needs a Lookup):
 * answer, dial and hangup webhooks in turn; timed from the hangup leaving here to the Message POST at the stand-in.
 */
export async function timeToTextOn(relayUrl: string, standIn: Awaited<ReturnType<typeof startStandIn>>, rate: number, seconds: number): Promise<{ n: number; total: number; p50: number; p99: number; bad: number }> {
  const calls = Array.from({ length: rate * seconds }, (_, i) => ({ uuid: `bench-${rate}-${Date.now()}-${callCounter}-${i}`, from: nextCaller() }));
  const start = performance.now();
  const flows: Promise<{ hangupAt: number; statuses: number[] }>[] = [];
  for (let i = 0; i < calls.length; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 1) await sleep(wait);
    flows.push(missedCall(relayUrl, calls[i]!.uuid, calls[i]!.from));
  }
  const done = await Promise.all(flows);
  const deadline = Date.now() + 20_000;
  while (calls.some((c) => !standIn.arrivals.has(c.from)) && Date.now() < deadline) await sleep(50);
  const samples = calls.flatMap((c, i) => {
    const t1 = standIn.arrivals.get(c.from);
    return t1 === undefined ? [] : [t1 - done[i]!.hangupAt];
  });
  const s = summary(samples);
  return { ...s, total: calls.length, bad: done.flatMap((d) => d.statuses).filter((x) => x !== 200).length };
}


/**
 * The relay's longest event-loop stall since the last call (prom-client's `nodejs_eventloop_lag_max_seconds`,
 * reset at each scrape), in ms. Call once before a run to start the window.
 */
export async function loopLagMaxMs(relayUrl: string): Promise<number> {
  const text = await (await fetch(`${relayUrl}/metrics`)).text();
  const m = /^nodejs_eventloop_lag_max_seconds(?:\{[^}]*\})? ([0-9.e+-]+)$/m.exec(text);
  return m ? Number(m[1]) * 1000 : NaN;
}
