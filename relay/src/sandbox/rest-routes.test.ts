import { afterEach, describe, expect, it } from 'vitest';
import { AUTH_ID, AUTH_TOKEN, CALLER, startHarness, TRACKING, type Harness } from './test-harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const statusHits = (hh: Harness, uuid: string) => hh.hits.filter((x) => x.path === '/plivo/sms/status' && x.params.MessageUUID === uuid);
/** Callbacks are separate requests that may overtake each other under load; Plivo's Sequence orders them. */
const bySequence = (hits: ReturnType<typeof statusHits>) => [...hits].sort((a, b) => Number(a.params.Sequence) - Number(b.params.Sequence));
const basic = `Basic ${Buffer.from(`${AUTH_ID}:${AUTH_TOKEN}`).toString('base64')}`;

describe('Message API stand-in, through the real plivo SDK', () => {
  it('queues a message and sends signed V2 status callbacks queued → sent → delivered', async () => {
    h = await startHarness();
    const res = await h.client().messages.create(TRACKING, CALLER, 'Sorry we missed your call', { url: `${h.base}/plivo/sms/status`, method: 'POST' });
    expect(res.message).toBe('message(s) queued');
    expect(res.messageUuid).toHaveLength(1);
    const uuid = res.messageUuid[0]!;

    await h.waitFor(() => statusHits(h, uuid).length === 3, 'three status callbacks');
    const hits = bySequence(statusHits(h, uuid));
    expect(hits.map((x) => x.params.Status)).toEqual(['queued', 'sent', 'delivered']);
    expect(hits.map((x) => x.params.Sequence)).toEqual(['1', '2', '3']);
    for (const x of hits) {
      expect(x.signature).toBe('V2');
      expect(x.valid).toBe(true);
      expect(x.params).toMatchObject({ MessageUUID: uuid, To: CALLER, From: TRACKING, ErrorCode: '000', Units: '1', Type: 'sms' });
    }

    const { body } = await h.json('GET', '/sandbox/messages');
    expect(body.messages).toEqual([
      { uuid, from: TRACKING, to: CALLER, text: 'Sorry we missed your call', at: expect.any(String), status: 'delivered', errorCode: '000' },
    ]);
  });

  it('lists and gets messages through the SDK (GET with an empty JSON body), with filters and paging', async () => {
    h = await startHarness();
    const c = h.client();
    const before = new Date(Date.now() - 1000).toISOString().replace('T', ' ').slice(0, 19);
    const a = await c.messages.create(TRACKING, CALLER, 'one');
    await c.messages.create(TRACKING, '+15125550142', 'two');
    const b = await c.messages.create(TRACKING, CALLER, 'three');

    // The SDK's .d.ts types list() as one MessageListResponse; at runtime it is an array with a `meta` property.
    const list = (await c.messages.list({ to_number: CALLER, message_time__gte: before })) as unknown as any[];
    expect(list.map((m) => m.messageUuid)).toEqual([b.messageUuid[0], a.messageUuid[0]]); // newest first
    expect((list as any).meta).toMatchObject({ limit: 20, offset: 0, totalCount: 2, next: null, previous: null });
    expect(list[0]).toMatchObject({ fromNumber: '15125550100', toNumber: '15125551077', messageDirection: 'outbound' });

    const page = (await c.messages.list({ limit: 1, offset: 1 })) as unknown as any[];
    expect(page).toHaveLength(1);
    expect((page as any).meta.totalCount).toBe(3);
    expect((page as any).meta.next).toContain('offset=2');

    const future = (await c.messages.list({ message_time__gte: '2999-01-01 00:00:00' })) as unknown as any[];
    expect(future).toHaveLength(0);

    const one = await c.messages.get(a.messageUuid[0]!);
    expect(one).toMatchObject({ messageUuid: a.messageUuid[0], messageDirection: 'outbound', units: 1 });
    expect(['queued', 'sent', 'delivered']).toContain((one as any).messageState);

    await expect(c.messages.get('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({ status: 404 });
  });

  it('rejects wrong credentials and invalid requests like Plivo', async () => {
    h = await startHarness();
    const wrong = await fetch(`${h.base}/sandbox/plivo/v1/Account/${AUTH_ID}/Message/`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${AUTH_ID}:nope`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ src: TRACKING, dst: CALLER, text: 'x' }),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ api_id: expect.any(String), error: expect.any(String) });

    const c = h.client();
    await expect(c.messages.create('+15125550999', CALLER, 'x')).rejects.toMatchObject({ status: 400 });
    const noText = await fetch(`${h.base}/sandbox/plivo/v1/Account/${AUTH_ID}/Message/`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: JSON.stringify({ src: TRACKING, dst: CALLER }),
    });
    expect(noText.status).toBe(400);
    expect(await noText.json()).toMatchObject({ error: 'text parameter not present' });
    expect((await h.json('GET', '/sandbox/stats')).body).toEqual({ messagePosts: 3, lookups: 0 });
    expect((await h.json('GET', '/sandbox/messages')).body.messages).toEqual([]);
  });

  it('fails messages to landlines with error 50 and honours delivery faults', async () => {
    h = await startHarness();
    await h.json('POST', '/sandbox/numbers', { number: '+15125550123', type: 'landline' });
    await h.json('POST', '/sandbox/faults', { delivery: ['undelivered'] });
    const c = h.client();
    const url = `${h.base}/plivo/sms/status`;
    const land = (await c.messages.create(TRACKING, '+15125550123', 'hi', { url })).messageUuid[0]!;
    const undel = (await c.messages.create(TRACKING, CALLER, 'hi', { url })).messageUuid[0]!;
    await h.waitFor(() => statusHits(h, land).length === 2 && statusHits(h, undel).length === 3, 'final statuses');
    expect(bySequence(statusHits(h, land)).map((x) => [x.params.Status, x.params.ErrorCode])).toEqual([['queued', '000'], ['failed', '50']]);
    expect(bySequence(statusHits(h, undel)).map((x) => x.params.Status)).toEqual(['queued', 'sent', 'undelivered']);
    expect(bySequence(statusHits(h, undel))[2]!.params.ErrorCode).not.toBe('000');
  });

  it('retries a status callback the relay did not accept', async () => {
    h = await startHarness({ statusReplies: [503] });
    const uuid = (await h.client().messages.create(TRACKING, CALLER, 'hi', { url: `${h.base}/plivo/sms/status` })).messageUuid[0]!;
    await h.waitFor(() => statusHits(h, uuid).length === 4, 'the retried callback', 4000);
    expect(statusHits(h, uuid).map((x) => x.params.Status)).toEqual(['queued', 'sent', 'delivered', 'queued']);
  });
});

describe('fault injection', () => {
  it('answers the next Message POSTs with the listed statuses, then normally', async () => {
    h = await startHarness();
    expect((await h.json('POST', '/sandbox/faults', { messageStatus: [500, 503, 400] })).body).toMatchObject({ messageStatus: [500, 503, 400] });
    const c = h.client();
    const errors: unknown[] = [];
    for (let i = 0; i < 3; i++) errors.push(await c.messages.create(TRACKING, CALLER, `try ${i}`).catch((e: unknown) => e));
    expect((errors[0] as any).status).toBe(500); // ServerError
    expect(String((errors[1] as any).message)).toContain('status code 503'); // the SDK's plain Error for 503
    expect((errors[2] as any).status).toBe(400);
    const ok = await c.messages.create(TRACKING, CALLER, 'finally');
    expect(ok.messageUuid).toHaveLength(1);
    expect((await h.json('GET', '/sandbox/stats')).body.messagePosts).toBe(4);
    expect((await h.json('GET', '/sandbox/messages')).body.messages.map((m: any) => m.text)).toEqual(['finally']);
  });

  it('records a hung Message POST but never answers it, until the client gives up', async () => {
    h = await startHarness();
    await h.json('POST', '/sandbox/faults', { hang: 1 });
    const started = Date.now();
    const err = await h.client({ timeout: 300 }).messages.create(TRACKING, CALLER, 'lost in the void').catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(typeof err).toBe('string'); // the SDK rejects network errors and timeouts with a string
    expect(String(err)).toMatch(/timeout/i);
    const { body } = await h.json('GET', '/sandbox/messages');
    expect(body.messages.map((m: any) => m.text)).toEqual(['lost in the void']);
    // the relay reconciles through the list API
    const listed = (await h.client().messages.list({ to_number: CALLER })) as unknown as any[];
    expect(listed).toHaveLength(1);
  });

  it('closes promptly while a Message POST is hanging', async () => {
    h = await startHarness();
    await h.json('POST', '/sandbox/faults', { hang: 1 });
    const pending = h.client().messages.create(TRACKING, CALLER, 'hang').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await h.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(typeof (await pending)).toBe('string'); // socket hang up
  });

  it('resets faults and state', async () => {
    h = await startHarness();
    await h.json('POST', '/sandbox/faults', { messageStatus: [500], hang: 2 });
    expect((await h.json('DELETE', '/sandbox/faults')).body).toEqual({ messageStatus: [], hang: 0, delivery: [] });
    await h.client().messages.create(TRACKING, CALLER, 'x');
    await h.json('POST', '/sandbox/reset');
    expect((await h.json('GET', '/sandbox/messages')).body.messages).toEqual([]);
    expect((await h.json('GET', '/sandbox/stats')).body).toEqual({ messagePosts: 0, lookups: 0 });
    expect((await h.json('POST', '/sandbox/faults', { messageStatus: [200] })).status).toBe(400);
  });
});

describe('Lookup stand-in', () => {
  const lookup = (hh: Harness, n: string, auth = basic) =>
    fetch(`${hh.base}/sandbox/plivo/lookup/v1/Number/${n}?type=carrier`, { headers: { authorization: auth } });

  it('says mobile by default and fixed for registered landlines', async () => {
    h = await startHarness();
    const mobile = await lookup(h, CALLER);
    expect(mobile.status).toBe(200);
    expect(await mobile.json()).toMatchObject({ phone_number: CALLER, carrier: { type: 'mobile' }, country: { iso2: 'US' }, format: { e164: CALLER } });

    expect((await h.json('POST', '/sandbox/numbers', { number: '+15125550123', type: 'landline' })).status).toBe(200);
    const fixed = await (await lookup(h, encodeURIComponent('+15125550123'))).json();
    expect(fixed.carrier).toMatchObject({ type: 'fixed', mobile_country_code: '' });

    const bad = await lookup(h, '+1000');
    expect(bad.status).toBe(404);
    expect(await bad.json()).toMatchObject({ api_id: expect.any(String), error_code: 20404, message: expect.any(String) });
    expect((await lookup(h, CALLER, 'Basic bm9wZTpub3Bl')).status).toBe(401);
    expect((await h.json('GET', '/sandbox/stats')).body).toEqual({ messagePosts: 0, lookups: 4 });
  });

  it('registers landlines from /sandbox/calls too', async () => {
    h = await startHarness();
    await h.json('POST', '/sandbox/calls', { from: '+15125550177', to: TRACKING, answered: false, landline: true });
    expect((await (await lookup(h, '+15125550177')).json()).carrier.type).toBe('fixed');
  });
});
