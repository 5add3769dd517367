/**
 * p50/p99 of 50 `/api/metrics` requests over the last 365 days (each with a new ms-precise `from`, as the
 * wall sends) on archived data, against the production build (`npm run build -w @ringback/relay` first).
 * Run: `npx tsx relay/bench/metrics-year.measure.ts [years]` (writes that many years of data and starts twice),
 * or `npx tsx relay/bench/metrics-year.measure.ts --dir /tmp/copy` on a copy of an existing bench data dir
 * (its staff token must be the bench's year token).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBuilt, startStandIn, summary } from './harness.js';
import { writeYears } from './year.js';
import { hashToken } from '../src/staff/tokens.js';

const YEAR_TOKEN = 'rb_bench_year_token_0123456789abcdefghijklmnopqrstuv';
const DAY = 86_400_000;
const dirArg = process.argv.indexOf('--dir');
const given = dirArg >= 0 ? process.argv[dirArg + 1] : undefined;
const years = given ? NaN : Number(process.argv[2] ?? 1);

const dir = given ?? (await mkdtemp(path.join(tmpdir(), `ringback-m365-${years}y-`)));
const standIn = await startStandIn();
try {
  if (!given) {
    const made = await writeYears(dir, new Date(), { id: 'st_b', name: 'Riley', tokenHash: hashToken(YEAR_TOKEN) }, years);
    console.log(`${made.threads} threads, ${made.messages} messages`);
    const first = await startBuilt(dir, standIn.url);
    console.log(`first start (archiving, counting ${years} y by the hour): figuresReady after ${(await first.figuresMs()).toFixed(0)} ms`);
    await first.stop();
  }
  const relay = await startBuilt(dir, standIn.url);
  console.log(`start: /healthz ${relay.healthzMs.toFixed(0)} ms, figuresReady ${(await relay.figuresMs()).toFixed(0)} ms, RSS ${(await relay.rssMb()).toFixed(0)} MB`);
  const facts = await readdir(path.join(dir, 'archive', 'facts')).catch(() => []);
  console.log(`${facts.filter((f) => f.endsWith('.hours.json')).length} hours files`);
  try {
    const samples: number[] = [];
    let echoed = '';
    for (let i = 0; i < 50; i++) {
      const now = Date.now();
      const query = `?from=${new Date(now - 365 * DAY).toISOString()}&to=${new Date(now).toISOString()}`;
      const t0 = performance.now();
      const res = await fetch(`${relay.url}/api/metrics${query}`, { headers: { authorization: `Bearer ${YEAR_TOKEN}` } });
      const body = (await res.json()) as { from: string; inbound: number; replied: number; medianTimeToTextSec: number | null };
      if (!res.ok) throw new Error(`metrics answered ${res.status}`);
      samples.push(performance.now() - t0);
      echoed = `${body.from} (${body.inbound} inbound, ${body.replied} replied, median to text ${body.medianTimeToTextSec})`;
      await new Promise((r) => setTimeout(r, 20));
    }
    const s = summary(samples);
    console.log(`first five: ${samples.slice(0, 5).map((x) => x.toFixed(1)).join(", ")} ms; slowest: ${samples.map((x, i) => [x, i] as const).sort((a, b) => b[0] - a[0]).slice(0, 3).map(([x, i]) => `#${i} ${x.toFixed(1)}`).join(", ")} ms`);
    console.log(`GET /api/metrics, last 365 days: ${s.n} requests, p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${Math.max(...samples).toFixed(1)} ms; RSS after ${(await relay.rssMb()).toFixed(0)} MB (from echoed: ${echoed})`);
  } finally {
    await relay.stop();
  }
} finally {
  await standIn.close();
  if (!given) await rm(dir, { recursive: true, force: true });
}
