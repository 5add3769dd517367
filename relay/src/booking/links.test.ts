import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { businessConfigSchema, envSchema, type ThreadSummary } from '@ringback/shared';
import { buildConfig } from '../config/load.js';
import { testBusiness } from '../testing/harness.js';
import { Store } from '../store/store.js';
import type { Ctx } from '../threads/context.js';
import { bookingBusiness } from './page/fixture.js';
import { LINK_KEY_FILE } from './link-key.js';
import { bookingUrlFor, feedKey, issueLink, pruneLinks, resolveLink, tokenHash } from './links.js';

const HOUR = 3600_000;
let dir: string;
let store: Store;
let clock: Date;
const ctxOf = (s: Store, business = bookingBusiness()): Ctx => {
  const env = envSchema.parse({ PORT: '8080', HOST: '127.0.0.1', RINGBACK_DATA_DIR: s.dir, PUBLIC_URL: 'https://rb.example.com', RINGBACK_MODE: 'sandbox' });
  return { store: s, config: buildConfig(env, businessConfigSchema.parse(business), 'test'), now: () => clock } as unknown as Ctx;
};
const thread = (id: string): ThreadSummary =>
  ({ id, locationId: 'main', caller: '+15125551077', callerName: 'Dana Reyes', status: 'open', openedAt: clock.toISOString() }) as ThreadSummary;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ringback-links-'));
  store = await Store.open(dir);
  clock = new Date('2026-12-02T15:00:00Z');
  for (const id of ['th_a', 'th_b', '__proto__']) store.put('threads', id, thread(id));
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('self-booking links', () => {
  it('a link opens its thread until it expires after linkHours, then says expired', () => {
    const ctx = ctxOf(store);
    const { token, expiresAt } = issueLink(ctx, 'th_a');
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(expiresAt).toBe('2026-12-05T15:00:00.000Z');
    expect(resolveLink(ctx, token)).toMatchObject({ ok: true, thread: { id: 'th_a' } });
    clock = new Date(Date.parse(expiresAt) - 1);
    expect(resolveLink(ctx, token).ok).toBe(true);
    clock = new Date(expiresAt);
    expect(resolveLink(ctx, token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('unknown, malformed and prototype-named tokens are unknown, and nothing lands on Object.prototype', () => {
    const ctx = ctxOf(store);
    issueLink(ctx, 'th_a');
    for (const t of ['A'.repeat(22), '__proto__', 'constructor', 'toString', '', 'x'.repeat(500), `${'A'.repeat(21)}/`]) {
      expect(resolveLink(ctx, t), t).toEqual({ ok: false, reason: 'unknown' });
    }
    // A token whose hash is stored under "__proto__" cannot exist; a record keyed so is still only its own key.
    expect(({} as Record<string, unknown>).threadId).toBeUndefined();
  });

  it('a thread with the id "__proto__" gets its own link, stored as a plain key', () => {
    const ctx = ctxOf(store);
    const { token } = issueLink(ctx, '__proto__');
    expect(resolveLink(ctx, token)).toMatchObject({ ok: true, thread: { id: '__proto__' } });
    expect(Object.values(store.data.bookingLinks).map((l) => l.threadId)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).threadId).toBeUndefined();
  });

  it('one live link per thread: the same token again while half its life is left, then a fresh one (the old works on)', () => {
    const ctx = ctxOf(store);
    const first = issueLink(ctx, 'th_a');
    expect(issueLink(ctx, 'th_a')).toEqual(first);
    expect(issueLink(ctx, 'th_b').token).not.toBe(first.token);
    clock = new Date(clock.getTime() + 36 * HOUR - 1);
    expect(issueLink(ctx, 'th_a')).toEqual(first);
    expect(Object.keys(store.data.bookingLinks)).toHaveLength(2);
    clock = new Date(clock.getTime() + 2);
    const second = issueLink(ctx, 'th_a');
    expect(second.token).not.toBe(first.token);
    expect(resolveLink(ctx, first.token).ok).toBe(true);
    expect(issueLink(ctx, 'th_a')).toEqual(second);
  });

  it('the store keeps only hashes; the same link is given again after a restart; without the key file, a new one', async () => {
    const { token } = issueLink(ctxOf(store), 'th_a');
    await store.commit();
    await store.close();
    const file = await readFile(path.join(dir, 'ringback.json'), 'utf8').catch(() => '');
    const journal = (await readdir(dir)).filter((f) => f.startsWith('ringback.journal.'));
    const all = file + (await Promise.all(journal.map((f) => readFile(path.join(dir, f), 'utf8')))).join('');
    expect(all).toContain(tokenHash(token));
    expect(all).not.toContain(token);
    expect((await stat(path.join(dir, LINK_KEY_FILE))).mode & 0o777).toBe(0o600);

    store = await Store.open(dir);
    expect(issueLink(ctxOf(store), 'th_a').token).toBe(token);
    await store.close();

    // A restored data dir (the key file is not in backups): old links still open, new texts get a new one.
    const restored = await mkdtemp(path.join(tmpdir(), 'ringback-links-restored-'));
    for (const f of await readdir(dir)) if (f !== LINK_KEY_FILE && f.startsWith('ringback')) await writeFile(path.join(restored, f), await readFile(path.join(dir, f)));
    const other = await Store.open(restored);
    try {
      const ctx = ctxOf(other);
      expect(resolveLink(ctx, token)).toMatchObject({ ok: true, thread: { id: 'th_a' } });
      const again = issueLink(ctx, 'th_a');
      expect(again.token).not.toBe(token);
      expect(resolveLink(ctx, again.token).ok).toBe(true);
    } finally {
      await other.close();
      await rm(restored, { recursive: true, force: true });
    }
    store = await Store.open(dir);
  });

  it('a link of an archived thread reads as expired', () => {
    const ctx = ctxOf(store);
    const { token } = issueLink(ctx, 'th_b');
    store.put('threads', 'th_b', undefined);
    expect(resolveLink(ctx, token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('pruning forgets expired links only', () => {
    const ctx = ctxOf(store);
    const a = issueLink(ctx, 'th_a');
    clock = new Date(clock.getTime() + 48 * HOUR);
    const b = issueLink(ctx, 'th_b');
    clock = new Date(clock.getTime() + 25 * HOUR);
    expect(pruneLinks(ctx)).toBe(1);
    expect(resolveLink(ctx, a.token)).toEqual({ ok: false, reason: 'unknown' });
    expect(resolveLink(ctx, b.token).ok).toBe(true);
    // The pruned thread's next text gets a new link.
    expect(issueLink(ctx, 'th_a').token).not.toBe(a.token);
  });

  it('{{bookingUrl}} is the thread’s page where the location books, else the business’s address; no link for a text without it', () => {
    const ctx = ctxOf(store);
    const url = bookingUrlFor(ctx, store.data.threads.th_a!, 'Sorry we missed you. Book: {{bookingUrl}}');
    expect(url).toMatch(/^https:\/\/rb\.example\.com\/book\/[A-Za-z0-9_-]{22}$/);
    expect(resolveLink(ctx, url.split('/').pop()!)).toMatchObject({ ok: true, thread: { id: 'th_a' } });
    expect(bookingUrlFor(ctx, store.data.threads.th_b!, 'Sorry we missed you, {{firstName}}.')).toBe('https://example.com/book');
    expect(Object.values(store.data.bookingLinks).map((l) => l.threadId)).toEqual(['th_a']);
    const plain = ctxOf(
      store,
      testBusiness((c) => {
        delete c.booking;
        delete c.locations[0]!.booking;
      }),
    );
    expect(bookingUrlFor(plain, store.data.threads.th_b!, 'Book: {{bookingUrl}}')).toBe('https://example.com/book');
  });

  it('feed keys differ per location and stay the same for the data dir', () => {
    expect(feedKey(dir, 'main')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(feedKey(dir, 'main')).toBe(feedKey(dir, 'main'));
    expect(feedKey(dir, 'north')).not.toBe(feedKey(dir, 'main'));
  });
});
