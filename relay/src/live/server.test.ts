import { afterEach, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { startTestRelay, waitFor, type TestRelay } from '../testing/harness.js';
import { originAllowed } from './server.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

const connected = (s: ReturnType<TestRelay['socket']>) =>
  new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });

describe('live events', () => {
  it('refuses a socket without a valid token', async () => {
    relay = await startTestRelay();
    const s = relay.socket('rb_wrong');
    await expect(connected(s)).rejects.toThrow(/unauthorized/);
  });

  it('refuses a browser origin that is not allowed', async () => {
    relay = await startTestRelay();
    const token = await relay.staff('Riley');
    const s = io(relay.url, { auth: { token }, transports: ['polling'], reconnection: false, forceNew: true, extraHeaders: { origin: 'https://evil.example' } });
    await expect(connected(s as never)).rejects.toThrow();
    s.close();
    expect(originAllowed('chrome-extension://abc', ['chrome-extension://*'])).toBe(true);
    expect(originAllowed('https://evil.example', ['chrome-extension://*', relay.url])).toBe(false);
  });

  it('pushes thread and message events with increasing seq to every connected client', async () => {
    relay = await startTestRelay();
    const [riley, sam] = [await relay.staff('Riley'), await relay.staff('Sam')];
    // Listen for the connection as the socket is made: it may connect before the next await returns.
    const a = relay.socket(riley);
    const b = relay.socket(sam);
    await Promise.all([connected(a), connected(b)]);
    const seen: { a: number[]; b: number[]; messages: string[] } = { a: [], b: [], messages: [] };
    a.on('thread', (p) => seen.a.push(p.seq));
    b.on('thread', (p) => seen.b.push(p.seq));
    a.on('message', (p) => seen.messages.push(p.message.status));
    const metrics = new Promise<any>((resolve) => a.on('metrics', (m) => m.metrics.missed === 1 && resolve(m)));
    await relay.call({ answered: false });
    await waitFor(() => seen.messages.includes('delivered'), 'delivered message event');
    expect(seen.a.length).toBeGreaterThan(0);
    expect(seen.a).toEqual([...seen.a].sort((x, y) => x - y));
    await waitFor(() => seen.b.length === seen.a.length, 'the second client to catch up');
    expect((await metrics).metrics.inbound).toBe(1);
  });

  it('a client that was away gets everything it missed from /api/events', async () => {
    relay = await startTestRelay();
    const token = await relay.staff('Riley');
    const s = relay.socket(token);
    await connected(s);
    let lastSeq = 0;
    s.on('thread', (p) => (lastSeq = Math.max(lastSeq, p.seq)));
    await relay.call({ answered: false });
    await waitFor(() => lastSeq > 0, 'first event');
    await new Promise((r) => setTimeout(r, 300));
    s.disconnect();
    const before = lastSeq;
    await relay.sms('Is 4pm ok?');
    const missed = (await relay.api(token, 'GET', `/api/events?since=${before}`)).body;
    expect(missed.messages.map((m: any) => m.text)).toContain('Is 4pm ok?');
    expect(missed.threads[0].lastMessage.text).toBe('Is 4pm ok?');
    expect(missed.seq).toBeGreaterThan(before);
  });
});
