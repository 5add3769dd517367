import { businessConfigSchema, envSchema } from '@ringback/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { buildConfig, ConfigError } from '../config/load.js';
import { startTestRelay, testBusiness, type TestRelay } from '../testing/harness.js';
import { addressKey } from './auth-limit.js';

let relay: TestRelay | undefined;
afterEach(async () => {
  await relay?.stop();
  relay = undefined;
});

async function me(r: TestRelay, token: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${r.url}/api/me`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { error?: { code: string } } };
}

/** The socket handshake's answer: connected, or the error Socket.IO gave the client. */
function handshake(r: TestRelay, token: string): Promise<{ ok: true } | { ok: false; message: string; data?: { status?: number; retryAfter?: number } }> {
  const s = r.socket(token);
  return new Promise((resolve) => {
    s.on('connect', () => {
      s.close();
      resolve({ ok: true });
    });
    s.on('connect_error', (e: Error & { data?: { status?: number; retryAfter?: number } }) => {
      s.close();
      resolve({ ok: false, message: e.message, data: e.data });
    });
  });
}

describe('failed staff tokens', () => {
  it('answers 429 with Retry-After after 10 wrong tokens a minute, while a right token keeps working', async () => {
    relay = await startTestRelay();
    const token = await relay.staff('Riley');
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await me(relay, `rb_wrong_${i}`);
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.body.error?.code).toBe('too-many-failures');
        expect(Number(res.retryAfter)).toBeGreaterThan(0);
        expect(Number(res.retryAfter)).toBeLessThanOrEqual(60);
      }
      if (i % 7 === 0) expect((await me(relay, token)).status).toBe(200);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(20).fill(429));
    expect((await me(relay, token)).status).toBe(200);
  });

  it('limits the socket handshake too, counted with the REST failures, and lets a right token connect', async () => {
    relay = await startTestRelay();
    const token = await relay.staff('Riley');
    for (let i = 0; i < 9; i++) expect((await me(relay, 'rb_wrong')).status).toBe(401);
    const tenth = await handshake(relay, 'rb_wrong');
    expect(tenth).toMatchObject({ ok: false, message: 'unauthorized' });
    expect((tenth as { data?: unknown }).data).toBeUndefined();
    for (let i = 0; i < 5; i++) {
      const refused = await handshake(relay, 'rb_wrong');
      expect(refused).toMatchObject({ ok: false, message: 'unauthorized', data: { status: 429 } });
    }
    expect(await handshake(relay, token)).toEqual({ ok: true });
  });

  it('lets an address try again once the block has passed', async () => {
    let clock = Date.now();
    relay = await startTestRelay({ now: () => new Date(clock) });
    for (let i = 0; i < 11; i++) await me(relay, 'rb_wrong');
    expect((await me(relay, 'rb_wrong')).status).toBe(429);
    clock += 61_000;
    expect((await me(relay, 'rb_wrong')).status).toBe(401);
  });

  it('ignores X-Forwarded-For unless RINGBACK_TRUST_PROXY names the proxy', async () => {
    relay = await startTestRelay();
    for (let i = 0; i < 10; i++) await me(relay, 'rb_wrong', { 'x-forwarded-for': `203.0.113.${i}` });
    // A spoofed header does not make a fresh client.
    expect((await me(relay, 'rb_wrong', { 'x-forwarded-for': '198.51.100.7' })).status).toBe(429);
    await relay.stop();

    relay = await startTestRelay({ env: { RINGBACK_TRUST_PROXY: 'loopback' } });
    for (let i = 0; i < 11; i++) await me(relay, 'rb_wrong', { 'x-forwarded-for': '203.0.113.9' });
    expect((await me(relay, 'rb_wrong', { 'x-forwarded-for': '203.0.113.9' })).status).toBe(429);
    // Behind the trusted proxy, another client is another address.
    expect((await me(relay, 'rb_wrong', { 'x-forwarded-for': '198.51.100.7' })).status).toBe(401);
  });

  it('refuses a RINGBACK_TRUST_PROXY that is not a list of addresses', () => {
    const env = envSchema.parse({ RINGBACK_TRUST_PROXY: 'true' });
    expect(() => buildConfig(env, businessConfigSchema.parse(testBusiness()), 'test')).toThrow(ConfigError);
    const ok = buildConfig(envSchema.parse({ RINGBACK_TRUST_PROXY: '10.0.0.0/8, loopback' }), businessConfigSchema.parse(testBusiness()), 'test');
    expect(ok.trustProxy('10.1.2.3', 0)).toBe(true);
    expect(ok.trustProxy('192.0.2.1', 0)).toBe(false);
  });

  it('counts an IPv6 client by its /64 and an IPv4-mapped address as IPv4', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::5')).toBe('2001:db8:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('127.0.0.1')).toBe('127.0.0.1');
  });
});
