import { afterEach, describe, expect, it } from 'vitest';
import { sleep, startTestRelay, testBusiness, waitFor, type TestRelay } from '../testing/harness.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

describe('urgency triage', () => {
  it('a reply with urgent words marks the thread urgent (with the words) and audits it once', async () => {
    relay = await startTestRelay({ business: testBusiness((c) => (c.urgency = { industry: 'home-services', words: ['sparks'] })) });
    const token = await relay.staff('Riley');
    const boss = await relay.staff('Mo', 'manager');
    await relay.sms('hi, is this the plumber?');
    let [t] = (await relay.api(token, 'GET', '/api/threads')).body.threads;
    expect(t.urgent ?? false).toBe(false);
    await relay.sms('our basement is FLOODING, can someone come today?');
    await relay.sms('and now sparks');
    [t] = (await relay.api(token, 'GET', '/api/threads')).body.threads;
    expect(t.urgent).toBe(true);
    expect(t.urgentWords).toEqual(expect.arrayContaining(['flooding', 'today', 'sparks']));
    expect((await relay.api(boss, 'GET', '/api/audit?action=urgent')).body.entries).toHaveLength(1);
  });
});

describe('keyword auto-replies never answer a machine', () => {
  it('skips an auto-responder phrase, and a keyword arriving seconds after our text-back', async () => {
    const clock = { now: new Date('2024-03-04T15:00:00Z') };
    relay = await startTestRelay({ now: () => clock.now });
    await relay.sms("I'm driving with Do Not Disturb on. HOURS");
    await relay.call({ answered: false });
    await waitFor(() => Object.values(relay.store.data.messages).some((m) => m.kind === 'text-back' && m.sentAt), 'text-back sent');
    await relay.sms('HOURS'); // within a second of the text-back on the relay's clock
    await sleep(150);
    const auto = Object.values(relay.store.data.messages).filter((m) => m.direction === 'in');
    expect(auto.map((m) => m.automated)).toEqual([true, true]);
    expect(Object.values(relay.store.data.messages).filter((m) => m.kind === 'keyword')).toHaveLength(0);

    clock.now = new Date(clock.now.getTime() + 60_000);
    await relay.sms('HOURS');
    await waitFor(() => Object.values(relay.store.data.messages).some((m) => m.kind === 'keyword'), 'a human asking gets the answer');
  });
});
