/**
 * p50/p99 of 50 `/api/metrics` requests over the last 365 days (each with a new ms-precise `from`, as the
 * wall sends) on a year of archived data, against the production build (`npm run build -w @ringback/relay`
 * first). Run: `npx tsx relay/src/threads/facts-hours.measure.ts [years]`.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBuilt, startStandIn, summary } from '../../bench/harness.js';
import { writeYears } from '../../bench/year.js';
import { hashToken } from '../staff/tokens.js';

const TOKEN = 'rb_bench_hours_token_0123456789abcdefghijklmnopqrstu';
const DAY = 86_400_000;
const years = Number(process.argv[2] ?? 1);

const dir = await mkdtemp(path.join(tmpdir(), `ringback-hours-${years}y-`));
const standIn = await startStandIn();
try {
  const made = await writeYears(dir, new Date(), { id: 'st_b', name: 'Riley', tokenHash: hashToken(TOKEN) }, years);
  const first = await startBuilt(dir, standIn.url);
  console.log(`first start (archiving, counting ${years} y by the hour): figuresReady after ${(await first.figuresMs()).toFixed(0)} ms`);
  await first.stop();
  const relay = await startBuilt(dir, standIn.url);
  console.log(`next start: /healthz ${relay.healthzMs.toFixed(0)} ms, figuresReady ${(await relay.figuresMs()).toFixed(0)} ms, RSS ${(await relay.rssMb()).toFixed(0)} MB`);
  const facts = await readdir(path.join(dir, 'archive', 'facts'));
  console.log(`${made.threads} threads, ${made.messages} messages; ${facts.filter((f) => f.endsWith('.hours.json')).length} hours files`);
  try {
    const samples: number[] = [];
    let echoed = '';
    for (let i = 0; i < 50; i++) {
      const now = Date.now();
      const query = `?from=${new Date(now - 365 * DAY).toISOString()}&to=${new Date(now).toISOString()}`;
      const t0 = performance.now();
      const res = await fetch(`${relay.url}/api/metrics${query}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const body = (await res.json()) as { from: string; inbound: number };
      if (!res.ok) throw new Error(`metrics answered ${res.status}`);
      samples.push(performance.now() - t0);
      echoed = `${body.from} (${body.inbound} inbound)`;
    }
    const s = summary(samples);
    console.log(`GET /api/metrics, last 365 days, ${years} y of data: ${s.n} requests, p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms (from echoed: ${echoed})`);
  } finally {
    await relay.stop();
  }
} finally {
  await standIn.close();
  await rm(dir, { recursive: true, force: true });
}
