import { spawn } from 'node:child_process';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@ringback/shared';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashToken } from '../src/staff/tokens.js';
import { freePort, postForm, smsHeaders, startRelayProcess, startStandIn, summary, TRACKING, voice } from './harness.js';
import { writeYear } from './year.js';

/**
 * `npm run bench`: numbers, not pass/fail. The relay runs as its own process in Plivo mode against a
 * stand-in that timestamps each Message POST; load comes from this process over loopback.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const rows: string[][] = [];
let callCounter = 0;
const nextCaller = () => `+1512${String(2000000 + callCounter++).padStart(7, '0')}`;

async function pool<T>(items: T[], concurrency: number, fn: (x: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (i < items.length) await fn(items[i++]!);
  }));
}

/** Signed hangup of a missed call in → Message POST at the stand-in, at a fixed arrival rate. */
async function timeToText(rate: number, seconds: number): Promise<void> {
  const standIn = await startStandIn();
  const relay = await startRelayProcess(standIn.url);
  try {
    const calls = Array.from({ length: rate * seconds }, (_, i) => ({ uuid: `bench-${rate}-${i}`, from: nextCaller() }));
    // Each call rang out first (answer + Dial no-answer); only the hangup is timed.
    await pool(calls, 16, async (c) => {
      const base = { CallUUID: c.uuid, From: c.from, To: TRACKING, Direction: 'inbound' };
      await voice(relay.url, '/plivo/voice/answer', { ...base, CallStatus: 'ringing' });
      await voice(relay.url, '/plivo/voice/dial', { ...base, CallStatus: 'in-progress', DialStatus: 'no-answer' });
    });
    await sleep(500);
    const sentAt = new Map<string, number>();
    const start = performance.now();
    const inflight: Promise<number>[] = [];
    for (let i = 0; i < calls.length; i++) {
      const wait = start + (i * 1000) / rate - performance.now();
      if (wait > 1) await sleep(wait);
      const c = calls[i]!;
      sentAt.set(c.from, performance.now());
      inflight.push(voice(relay.url, '/plivo/voice/hangup', { CallUUID: c.uuid, From: c.from, To: TRACKING, CallStatus: 'completed', HangupCause: 'NORMAL_CLEARING', Duration: '20' }));
    }
    const statuses = await Promise.all(inflight);
    const deadline = Date.now() + 15_000;
    while (standIn.arrivals.size < calls.length && Date.now() < deadline) await sleep(50);
    const samples = calls.flatMap((c) => {
      const t1 = standIn.arrivals.get(c.from);
      return t1 === undefined ? [] : [t1 - sentAt.get(c.from)!];
    });
    const s = summary(samples);
    const bad = statuses.filter((x) => x !== 200).length;
    rows.push([`time-to-text @ ${rate} missed calls/s`, `${s.n}/${calls.length} texts${bad ? `, ${bad} non-200` : ''}`, `${fmt(s.p50)} ms`, `${fmt(s.p99)} ms`, 'p99 ≤ 20 ms']);
  } finally {
    await relay.close();
    await standIn.close();
  }
}

/** Dial webhook (the moment a call is known to be missed) → `thread` event at each of 100 clients. */
async function push(clients: number, events: number): Promise<void> {
  const standIn = await startStandIn();
  const relay = await startRelayProcess(standIn.url);
  const sockets: Socket<ServerToClientEvents, ClientToServerEvents>[] = [];
  try {
    const samples: number[] = [];
    const waiting = new Map<string, { t0: number; left: number; done: () => void }>();
    for (let i = 0; i < clients; i++) {
      const s: Socket<ServerToClientEvents, ClientToServerEvents> = io(relay.url, { auth: { token: relay.token }, transports: ['websocket'], forceNew: true });
      const seen = new Set<string>();
      s.on('thread', ({ thread }) => {
        const w = waiting.get(thread.caller);
        if (!w || seen.has(thread.caller) || thread.missedCount === 0) return;
        seen.add(thread.caller);
        samples.push(performance.now() - w.t0);
        if (--w.left === 0) w.done();
      });
      sockets.push(s);
    }
    await Promise.all(sockets.map((s) => (s.connected ? null : new Promise((r) => s.once('connect', () => r(null))))));
    for (let k = 0; k < events; k++) {
      const from = nextCaller();
      const base = { CallUUID: `push-${k}`, From: from, To: TRACKING, Direction: 'inbound' };
      await voice(relay.url, '/plivo/voice/answer', { ...base, CallStatus: 'ringing' });
      const all = new Promise<void>((done) => waiting.set(from, { t0: performance.now(), left: clients, done }));
      await voice(relay.url, '/plivo/voice/dial', { ...base, CallStatus: 'in-progress', DialStatus: 'no-answer' });
      await Promise.race([all, sleep(5000)]);
      await sleep(20);
    }
    const s = summary(samples);
    rows.push([`webhook → thread event, ${clients} clients`, `${s.n} deliveries`, `${fmt(s.p50)} ms`, `${fmt(s.p99)} ms`, 'p99 ≤ 50 ms']);
  } finally {
    for (const s of sockets) s.close();
    await relay.close();
    await standIn.close();
  }
}

async function blast(url: string, headers: () => Record<string, string>, seconds: number, concurrency: number): Promise<{ rps: number; errors: number }> {
  let done = 0;
  let errors = 0;
  let n = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
    while (performance.now() < until) {
      const form = new URLSearchParams({ MessageUUID: `tp-${w}-${n++}`, From: `+1512555${String(1000 + (n % 50))}`, To: TRACKING, Text: 'Can I book a cleaning for next week?', Type: 'sms' }).toString();
      const status = await postForm(url, form, headers()).catch(() => 0);
      if (status === 200) done++;
      else errors++;
    }
  }));
  return { rps: done / ((performance.now() - started) / 1000), errors };
}

/** Inbound SMS webhooks, each acknowledged only once on disk, vs a bare node:http form parser. */
async function throughput(seconds: number, concurrency: number): Promise<void> {
  const port = await freePort();
  const bare = spawn(process.execPath, ['-e', `
    require('node:http').createServer((req, res) => {
      let b = ''; req.on('data', (c) => (b += c));
      req.on('end', () => { const p = Object.fromEntries(new URLSearchParams(b)); res.statusCode = p.MessageUUID ? 200 : 400; res.end(); });
    }).listen(${port}, '127.0.0.1');`], { stdio: 'ignore' });
  await sleep(500);
  const baseline = await blast(`http://127.0.0.1:${port}/plivo/sms/inbound`, () => ({}), seconds, concurrency);
  bare.kill();

  const standIn = await startStandIn();
  const relay = await startRelayProcess(standIn.url);
  try {
    const durable = await blast(`${relay.url}/plivo/sms/inbound`, () => smsHeaders(relay.url), seconds, concurrency);
    rows.push(['durable inbound-SMS webhooks', `${durable.rps.toFixed(0)}/s relay vs ${baseline.rps.toFixed(0)}/s bare node:http${durable.errors ? `, ${durable.errors} errors` : ''}`, `ratio ${(durable.rps / baseline.rps).toFixed(2)}`, '', 'ratio ≥ 0.4']);
  } finally {
    await relay.close();
    await standIn.close();
  }
}

/** `/api/metrics` over a year of data (40 000 threads, 250 000 messages) for today, 30 days and the year. */
async function metricsYear(requests: number): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ringback-year-'));
  const token = 'rb_bench_year_token_0123456789abcdefghijklmnopqrstuv';
  const made = await writeYear(dir, new Date(), { id: 'st_b', name: 'Riley', tokenHash: hashToken(token) });
  const standIn = await startStandIn();
  const booted = performance.now();
  const relay = await startRelayProcess(standIn.url, { dir, token });
  const bootMs = performance.now() - booted;
  // The relay fills its per-day figures in the background after start; measure once that is done.
  while (!((await (await fetch(`${relay.url}/healthz`)).json()) as { figuresReady: boolean }).figuresReady) await sleep(100);
  const warmMs = performance.now() - booted - bootMs;
  try {
    const now = Date.now();
    const ranges: [string, string][] = [
      ['today', ''],
      ['last 30 days', `?from=${new Date(now - 30 * 86_400_000).toISOString()}&to=${new Date(now).toISOString()}`],
      ['last 365 days', `?from=${new Date(now - 366 * 86_400_000).toISOString()}&to=${new Date(now).toISOString()}`],
    ];
    for (const [label, query] of ranges) {
      const samples: number[] = [];
      for (let i = 0; i < requests; i++) {
        const t0 = performance.now();
        const res = await fetch(`${relay.url}/api/metrics${query}`, { headers: { authorization: `Bearer ${relay.token}` } });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`metrics answered ${res.status}`);
        samples.push(performance.now() - t0);
      }
      const s = summary(samples);
      rows.push([`GET /api/metrics, ${label}`, `${made.threads} threads, ${made.messages} messages; ${s.n} requests`, `${fmt(s.p50)} ms`, `${fmt(s.p99)} ms`, 'p99 ≤ 50 ms']);
    }
    rows.push(['relay start on a year of data', 'read, archive, index', `${fmt(bootMs)} ms`, '', '']);
    rows.push(['figures warm-up after start', '400 days of per-day facts, in the background', `${fmt(warmMs)} ms`, '', '']);
  } finally {
    await relay.close();
    await standIn.close();
  }
}

function print(): void {
  const head = ['measure', 'samples / detail', 'p50', 'p99', 'target'];
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (c ?? '').padEnd(widths[i]!)).join(' | ');
  console.log(`\nRingback relay benchmark (${new Date().toISOString()}, node ${process.version})`);
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
}

await timeToText(50, 4);
await timeToText(200, 4);
await push(100, 40);
await throughput(5, 64);
await metricsYear(30);
print();
process.exit(0);
