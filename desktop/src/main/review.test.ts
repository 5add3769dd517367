import { describe, expect, it } from 'vitest';
import { openReview } from './review.js';

const session = { relayUrl: 'https://rb.example.com', token: 'tok' };
const relayAnswering = (status: number, body: unknown) => {
  const asked: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    asked.push({ url, init });
    return new Response(JSON.stringify(body), { status });
  }) as unknown as typeof fetch;
  return { asked, fetchImpl };
};

describe('openReview', () => {
  it('asks the relay for a link with the token and opens the review page it names', async () => {
    const relay = relayAnswering(200, { path: '/reports/monthly?month=2026-12&t=a.b', expiresAt: '2026-12-15T16:05:00Z' });
    const opened: string[] = [];
    expect(await openReview(session, async (u) => void opened.push(u), relay.fetchImpl)).toEqual({ ok: true });
    expect(relay.asked[0]!.url).toBe('https://rb.example.com/api/reports/monthly/link');
    expect(relay.asked[0]!.init.method).toBe('POST');
    expect((relay.asked[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer tok');
    expect(opened).toEqual(['https://rb.example.com/reports/monthly?month=2026-12&t=a.b']);
  });

  it('opens nothing the relay names off its review page, and passes refusals on in words', async () => {
    const opened: string[] = [];
    const open = async (u: string) => void opened.push(u);
    const evil = relayAnswering(200, { path: '//evil.example/x?', expiresAt: '' });
    expect(await openReview(session, open, evil.fetchImpl)).toEqual({ ok: false, message: 'The relay answered an address that is not its monthly review.' });
    const receptionist = relayAnswering(403, { error: { code: 'forbidden', message: 'Only a manager can do this.' } });
    expect(await openReview(session, open, receptionist.fetchImpl)).toEqual({ ok: false, message: 'Only a manager can do this.' });
    const revoked = relayAnswering(401, { error: { code: 'unauthorized', message: 'x' } });
    expect((await openReview(session, open, revoked.fetchImpl)).ok).toBe(false);
    expect(await openReview(null, open)).toEqual({ ok: false, message: 'Set up the relay address and token first.' });
    expect(opened).toEqual([]);
  });
});
