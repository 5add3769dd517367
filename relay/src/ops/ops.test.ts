import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CALLER, startTestRelay, TRACKING, waitFor, type TestRelay } from '../testing/harness.js';
import pkg from '../../package.json' with { type: 'json' };

let relay: TestRelay;
afterEach(async () => relay?.stop());

const health = async (r: TestRelay) => {
  const res = await fetch(`${r.url}/healthz`);
  return { status: res.status, body: (await res.json()) as any };
};
const unsigned = (r: TestRelay) =>
  fetch(`${r.url}/plivo/voice/answer`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ CallUUID: 'x', From: CALLER, To: TRACKING }).toString(),
  });
const promtoolPath = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p)) ?? null;
if (!promtoolPath) console.warn('promtool not found (Debian package "prometheus"): the /metrics format check is skipped');
const caller = (i: number) => `+1512555${String(2000 + i)}`;

describe('/healthz', () => {
  it('reports version, mode, uptime and the fields the apps read', async () => {
    relay = await startTestRelay();
    const { status, body } = await health(relay);
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, status: 'ok', version: pkg.version, mode: 'sandbox', sandbox: true, storage: { ok: true } });
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(typeof body.seq).toBe('number');
    expect(typeof body.figuresReady).toBe('boolean');
    expect(body.webhooks).toMatchObject({ last: null, signatureFailures: { total: 0, last5min: 0 } });
    expect(body.outbox).toMatchObject({ backlog: 0, failedLastHour: 0, consecutiveFailures: 0, lastError: null });
  });

  it('turns degraded after 3 badly signed webhooks (a wrong PUBLIC_URL), stays 200, and recovers on a good one', async () => {
    relay = await startTestRelay();
    for (let i = 0; i < 2; i++) expect((await unsigned(relay)).status).toBe(403);
    expect((await health(relay)).body.status).toBe('ok');
    expect((await unsigned(relay)).status).toBe(403);
    const degraded = await health(relay);
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({ ok: true, status: 'degraded', webhooks: { signatureFailures: { total: 3, last5min: 3 } } });
    expect(degraded.body.webhooks.last).toMatchObject({ route: '/plivo/voice/answer', result: 'bad-signature' });
    expect(degraded.body.problems.join(' ')).toContain('PUBLIC_URL');

    await relay.call({ answered: true });
    const ok = (await health(relay)).body;
    expect(ok.status).toBe('ok');
    expect(ok.webhooks.last.result).toBe('ok');
    expect(ok.webhooks.signatureFailures.total).toBe(3);
  });

  it('turns degraded when sends keep failing (a wrong PLIVO_AUTH_ID) and recovers after a good send', async () => {
    relay = await startTestRelay();
    await relay.api(null, 'POST', '/sandbox/faults', { messageStatus: [401, 401, 401] });
    for (let i = 0; i < 3; i++) await relay.call({ from: caller(i), answered: false });
    const body = await waitFor(async () => {
      const b = (await health(relay)).body;
      return b.outbox.consecutiveFailures >= 3 && b;
    }, 'three failed sends');
    expect(body).toMatchObject({ status: 'degraded', outbox: { failedLastHour: 3, backlog: 0 } });
    expect(body.outbox.lastError).toContain('401');
    expect(body.problems.join(' ')).toContain('failed in a row');

    await relay.call({ from: caller(3), answered: false });
    await waitFor(async () => (await relay.sent()).length === 1, 'a good send');
    await waitFor(async () => (await health(relay)).body.status === 'ok', 'recovery');
    expect((await health(relay)).body.outbox).toMatchObject({ consecutiveFailures: 0, failedLastHour: 3 });
  });

  it('turns degraded when a due text has waited 10 minutes, but not for one held by quiet hours', async () => {
    relay = await startTestRelay();
    const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
    const entry = (id: string, nextAttemptAt: string) => ({
      id, messageId: `m_${id}`, from: TRACKING, to: CALLER, text: 'x', state: 'pending' as const, attempts: 0, createdAt: ago(20), nextAttemptAt, lastError: null,
    });
    relay.store.data.outbox.held = entry('held', new Date(Date.now() + 3600_000).toISOString());
    let body = (await health(relay)).body;
    expect(body).toMatchObject({ status: 'ok', outbox: { backlog: 1, oldestDueSeconds: 0 } });
    relay.store.data.outbox.stuck = entry('stuck', ago(19));
    body = (await health(relay)).body;
    expect(body).toMatchObject({ status: 'degraded', outbox: { backlog: 2 } });
    expect(body.outbox.oldestDueSeconds).toBeGreaterThanOrEqual(1200);
    delete relay.store.data.outbox.held;
    delete relay.store.data.outbox.stuck;
  });

  it('is 503 "down" only when the data cannot be saved', async () => {
    relay = await startTestRelay();
    relay.store.healthy = false;
    const { status, body } = await health(relay);
    expect(status).toBe(503);
    expect(body).toMatchObject({ ok: false, status: 'down', storage: { ok: false } });
    relay.store.healthy = true;
  });
});

describe('/metrics', () => {
  const scrape = (r: TestRelay, headers: Record<string, string> = {}) => fetch(`${r.url}/metrics`, { headers });

  it('is open to loopback and serves the process and ringback figures', async () => {
    relay = await startTestRelay();
    await relay.call({ answered: false });
    await unsigned(relay);
    await waitFor(async () => (await relay.sent()).length === 1, 'the text-back');
    const res = await scrape(relay);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/ringback_webhooks_total\{route="\/plivo\/voice\/answer",result="ok"\} 1/);
    expect(text).toMatch(/ringback_webhooks_total\{route="\/plivo\/voice\/answer",result="bad-signature"\} 1/);
    expect(text).toMatch(/ringback_textback_decisions_total\{decision="send",reason="missed"\} 1/);
    expect(text).toMatch(/ringback_texts_total\{status="sent"\} 1/);
    expect(text).toMatch(/^ringback_outbox_backlog 0$/m);
    expect(text).toMatch(/^ringback_socket_clients 0$/m);
    expect(text).toMatch(/^ringback_storage_healthy 1$/m);
    expect(text).toMatch(new RegExp(`ringback_info\\{version="${pkg.version}",mode="sandbox"\\} 1`));
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toContain('ringback_webhook_duration_seconds_bucket');
    expect(text).not.toContain(CALLER.slice(2));
  });

  // Debian's "prometheus" package; .ci/run installs it.
  it.skipIf(!promtoolPath)('passes promtool check metrics', async () => {
    relay = await startTestRelay();
    await relay.call({ answered: false });
    await unsigned(relay);
    await waitFor(async () => (await relay.sent()).length === 1, 'the text-back');
    const text = await (await scrape(relay)).text();
    const promtool = (input: string) => spawnSync(promtoolPath!, ['check', 'metrics'], { input, encoding: 'utf8' });
    // Our own metrics lint clean.
    const ours = promtool(text.split('\n').filter((l) => l.includes('ringback_')).join('\n') + '\n');
    expect(ours.stderr + ours.stdout).toBe('');
    expect(ours.status).toBe(0);
    // The whole scrape parses; the only lint notes allowed are prom-client's own gauge names (exit 3 = lint only).
    const all = promtool(text);
    const notes = (all.stderr + all.stdout).split('\n').filter(Boolean);
    expect([0, 3]).toContain(all.status);
    for (const n of notes) expect(n).toMatch(/^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/);
  });

  it('counts socket clients and the figures latency', async () => {
    relay = await startTestRelay();
    const token = await relay.staff('Mo', 'manager');
    const s = relay.socket(token);
    await new Promise<void>((resolve) => s.on('connect', () => resolve()));
    expect((await relay.api(token, 'GET', '/api/metrics')).status).toBe(200);
    const text = await (await scrape(relay)).text();
    expect(text).toMatch(/^ringback_socket_clients 1$/m);
    expect(text).toMatch(/ringback_figures_duration_seconds_count\{route="\/api\/metrics"\} 1/);
  });

  it('asks proxied and remote scrapers for the metrics token or a manager token', async () => {
    const metricsToken = 'metrics-token-0123456789abcdef';
    relay = await startTestRelay({ env: { RINGBACK_METRICS_TOKEN: metricsToken } });
    const manager = await relay.staff('Mo', 'manager');
    const desk = await relay.staff('Riley', 'receptionist');
    // A reverse proxy on the same host connects from loopback: its forwarding header gives it away.
    const proxied = { 'x-forwarded-for': '203.0.113.9' };
    const denied = await scrape(relay, proxied);
    expect(denied.status).toBe(401);
    expect(((await denied.json()) as any).error.code).toBe('unauthorized');
    expect((await scrape(relay, { forwarded: 'for=203.0.113.9' })).status).toBe(401);
    expect((await scrape(relay, { ...proxied, authorization: `Bearer ${desk}` })).status).toBe(401);
    expect((await scrape(relay, { ...proxied, authorization: 'Bearer metrics-token-0123456789abcdeX' })).status).toBe(401);
    expect((await scrape(relay, { ...proxied, authorization: `Bearer ${metricsToken}` })).status).toBe(200);
    expect((await scrape(relay, { ...proxied, authorization: `Bearer ${manager}` })).status).toBe(200);
  });
});
