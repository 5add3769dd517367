import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyData } from '../store/data.js';
import { Store } from '../store/store.js';
import { NONCE_HORIZON_MS, requestDigest, WebhookNonces } from './nonces.js';

const log = pino({ level: 'silent' });
let store: Store | undefined;
let dir: string;
afterEach(async () => {
  await store?.close();
  store = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function open(): Promise<Store> {
  store = await Store.open(dir);
  return store;
}

describe('webhook nonce memory', () => {
  it('tells a retry from a replay, and keeps a nonce until Plivo can no longer retry it', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-nonces-'));
    let clock = Date.parse('2026-03-01T12:00:00Z');
    const s = await open();
    const nonces = new WebhookNonces(s, () => new Date(clock), log);
    const a = requestDigest('/plivo/sms/inbound', { Text: 'hi', From: '+1' });
    expect(nonces.remember('v2', '111', a)).toBe('new');
    expect(nonces.remember('v2', '111', requestDigest('/plivo/sms/inbound', { From: '+1', Text: 'hi' }))).toBe('retry');
    expect(nonces.remember('v2', '111', requestDigest('/plivo/sms/inbound', { Text: 'STOP', From: '+1' }))).toBe('conflict');
    // The same digits as a V3 nonce are another nonce.
    expect(nonces.remember('v3', '111', requestDigest('/x', {}))).toBe('new');

    clock += 24 * 3600_000;
    expect(nonces.remember('v2', '222', a)).toBe('new');
    expect(nonces.remember('v2', '111', requestDigest('/other', {}))).toBe('conflict');
    clock += NONCE_HORIZON_MS - 24 * 3600_000 + 1;
    expect(nonces.remember('v2', '333', a)).toBe('new');
    expect(Object.keys(s.data.nonces).sort()).toEqual(['v2:222', 'v2:333']);
    await s.commit();
  });

  it('survives a restart, and forgets nonces past the horizon at start', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-nonces-'));
    let clock = Date.parse('2026-03-01T12:00:00Z');
    let s = await open();
    new WebhookNonces(s, () => new Date(clock), log).remember('v2', 'old', 'd1');
    clock += 20 * 3600_000;
    new WebhookNonces(s, () => new Date(clock), log).remember('v2', 'new', 'd2');
    await s.commit();
    await s.close();

    s = await open();
    const nonces = new WebhookNonces(s, () => new Date(clock), log);
    expect(nonces.remember('v2', 'old', 'other')).toBe('conflict');
    clock += 6 * 3600_000;
    const later = new WebhookNonces(s, () => new Date(clock), log);
    expect(later.size).toBe(1);
    expect(later.remember('v2', 'new', 'd2')).toBe('retry');
    expect(later.remember('v2', 'old', 'other')).toBe('new');
  });

  it('caps the count, dropping the oldest first', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-nonces-'));
    let clock = Date.parse('2026-03-01T12:00:00Z');
    const s = await open();
    const nonces = new WebhookNonces(s, () => new Date(clock), log, 100);
    for (let i = 0; i < 250; i++) {
      clock += 1000;
      nonces.remember('v2', String(i), 'd');
    }
    expect(nonces.size).toBeLessThanOrEqual(101);
    expect(s.data.nonces['v2:0']).toBeUndefined();
    expect(s.data.nonces['v2:249']).toBeDefined();
  });

  it('loads a data file from before nonces were kept, and keys like __proto__ are plain keys', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ringback-nonces-'));
    // The first release's file: data version 1, no nonces.
    const old: Record<string, unknown> = { ...emptyData(), version: 1 };
    delete old.nonces;
    await writeFile(path.join(dir, 'ringback.json'), JSON.stringify(old));
    const s = await open();
    const nonces = new WebhookNonces(s, () => new Date(), log);
    expect(Object.getPrototypeOf(s.data.nonces)).toBeNull();
    for (const n of ['__proto__', 'constructor', 'toString']) expect(nonces.remember('v2', n, 'd')).toBe('new');
    expect(nonces.remember('v2', '__proto__', 'e')).toBe('conflict');
  });
});
