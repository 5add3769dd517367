import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BusinessConfigInput, Message } from '@ringback/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { demoConfig } from '../config/demo.js';
import { own } from '../store/own.js';
import { Store } from '../store/store.js';
import { freePort } from '../http/free-port.js';
import { CALLER, sleep, startTestRelay, waitFor } from '../testing/harness.js';
import { startBookingRelay, type BookingRelay } from './assistant-harness.js';

/** Wed 2 Dec 2026, 23:00 in Chicago (CST, UTC-6): the demo office is closed. */
const WED_NIGHT = '2026-12-03T05:00:00Z';

let relay: BookingRelay | null = null;
afterEach(async () => {
  await relay?.stop();
  relay = null;
});


/** The caller writes again a minute later and the assistant sends nothing. */
async function expectNoAnswer(r: BookingRelay, text: string): Promise<void> {
  const before = (await r.textsTo()).length;
  r.clock.at += 60_000;
  await r.sms(text);
  await r.assistant.idle();
  await sleep(150);
  expect((await r.textsTo()).length).toBe(before);
}
describe('the booking assistant', () => {
  it('after hours, books a newcomer from "tomorrow morning for a cleaning" to a resolved thread', async () => {
    relay = await startBookingRelay(WED_NIGHT, (c) => {
      c.locations[0]!.hours = structuredClone(demoConfig.locations[0]!.hours);
      c.locations[0]!.booking!.assistant = 'after-hours';
    });
    await relay.call({ answered: false, hangupWhileRinging: true });
    await waitFor(async () => (await relay!.textsTo()).length === 1, 'the text-back');

    const question = await relay.say('can I come in tomorrow morning for a cleaning?');
    expect(question).toBe('Hi! Are you a new or an existing patient? 1) New patient 2) Existing patient');
    expect(relay.thread().assistant).toMatchObject({ step: 'question', serviceId: 'cleaning', questionId: 'patient', wish: { text: 'tomorrow morning' } });

    const offers = await relay.say("I'm new");
    expect(offers).toBe(
      'Cleaning: 1) Tomorrow, 8:00 AM 2) Tomorrow, 9:00 AM 3) Tomorrow, 10:00 AM. Reply 1, 2 or 3 to book, or tell me another day and time.',
    );
    expect(relay.thread().assistant!.qualifiedAt).toBe(new Date(relay.clock.at).toISOString());

    const confirmation = await relay.say('2');
    expect(confirmation).toMatch(/^You're booked: Cleaning, Thu Dec 3, 9:00 AM at Main St\./);

    const bookings = Object.values(relay.store.data.bookings);
    expect(bookings).toHaveLength(1);
    expect(bookings[0]).toMatchObject({
      serviceId: 'cleaning',
      start: '2026-12-03T15:00:00.000Z',
      end: '2026-12-03T16:00:00.000Z',
      caller: CALLER,
      answers: { patient: 'new' },
      by: 'assistant',
      status: 'booked',
      calendar: { type: 'built-in' },
    });
    const thread = relay.thread();
    expect(thread.status).toBe('resolved');
    expect(thread.resolution).toMatchObject({ outcome: 'booked', value: 150, staffName: 'Assistant' });
    expect(thread.booking).toMatchObject({ id: bookings[0]!.id, serviceLabel: 'Cleaning', by: 'assistant' });
    expect(thread.assistant).toMatchObject({ step: 'booked', bookingId: bookings[0]!.id });
    const actions = relay.store.data.audit.filter((a) => a.threadId === thread.id).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['assistant-start', 'booked', 'resolve']));
    // Every assistant text went through the send gate and out on the line as kind 'assistant'.
    const kinds = Object.values(relay.store.data.messages).filter((m) => m.threadId === thread.id && m.direction === 'out').map((m) => m.kind);
    expect(kinds).toEqual(['text-back', 'assistant', 'assistant', 'assistant']);
  });

  it('during open hours in after-hours mode it leaves the thread to staff', async () => {
    relay = await startBookingRelay('2026-12-02T18:00:00Z', (c) => {
      c.locations[0]!.booking!.assistant = 'after-hours';
    });
    await relay.sms('a cleaning please');
    await relay.assistant.idle();
    await sleep(100);
    expect(await relay.textsTo()).toEqual([]);
    expect(relay.thread().assistant ?? null).toBeNull();
  });

  it('understands answers as numbers, words and free text, one question at a time', async () => {
    relay = await startBookingRelay(WED_NIGHT);
    expect(await relay.say('hi, do you have anything next week?')).toBe(
      'Hi! What can we help you with? 1) Cleaning 2) Pain or emergency 3) Consultation',
    );
    // The wish in the first reply is kept: after the service and the question, the offers are for next week.
    expect(relay.thread().assistant!.wish).toMatchObject({ text: expect.stringMatching(/next week/) });
    expect(await relay.say('3')).toBe('Are you a new or an existing patient? 1) New patient 2) Existing patient');
    const offers = await relay.say("I've been before");
    expect(offers).toMatch(/^Consultation: 1\) Mon Dec 7, 8:00 AM /);
    expect(relay.thread().assistant).toMatchObject({ serviceId: 'consultation', answers: { patient: 'existing' }, step: 'offer' });
    const confirmation = await relay.say('the second one');
    expect(confirmation).toMatch(/^You're booked: Consultation, Mon Dec 7, /);
    expect(relay.thread().resolution).toMatchObject({ outcome: 'booked', value: 0 });
  });

  it('greets an existing contact by name and skips what the practice knows', async () => {
    relay = await startBookingRelay(WED_NIGHT);
    const boss = await relay.staff('Ana', 'manager');
    expect((await relay.api(boss, 'POST', '/api/contacts', { name: 'Dana Reyes', phone: CALLER })).status).toBe(201);
    const offers = await relay.say('I need a checkup, friday afternoon if possible');
    expect(offers).toMatch(/^Hi Dana! Cleaning: 1\) Fri Dec 4, 12:00 PM 2\) Fri Dec 4, 1:00 PM 3\) Fri Dec 4, 2:00 PM\./);
    expect(relay.thread().assistant!.answers).toEqual({ patient: 'existing' });
    await relay.say('1:00', /booked/);
    expect(Object.values(relay.store.data.bookings)[0]).toMatchObject({ start: '2026-12-04T19:00:00.000Z', callerName: 'Dana Reyes', answers: { patient: 'existing' } });
  });

  it('a new wish while offering gets new offers; "no" asks for another time', async () => {
    relay = await startBookingRelay(WED_NIGHT);
    await relay.say('cleaning');
    expect(await relay.say('new')).toMatch(/^Cleaning: 1\) Tomorrow, 8:00 AM 2\) Tomorrow, 9:00 AM 3\) Tomorrow, 10:00 AM/);
    expect(await relay.say('next Tue morning?')).toMatch(/^Cleaning: 1\) Tue Dec 8, 8:00 AM 2\) Tue Dec 8, 9:00 AM 3\) Tue Dec 8, 10:00 AM/);
    expect(await relay.say('no')).toMatch(/^Which day and time would suit you\?/);
    expect(await relay.say('tomorrow after 3')).toMatch(/^Cleaning: 1\) Tomorrow, 3:00 PM /);
    expect(await relay.say('yes the 3pm')).toMatch(/^You're booked: Cleaning, Thu Dec 3, 3:00 PM/);
  });

  it('reads wishes in the location zone across the end of daylight saving time', async () => {
    // Sat 31 Oct 2026, 20:00 CDT (UTC-5); Chicago falls back to CST (UTC-6) at 02:00 on Sunday.
    relay = await startBookingRelay('2026-11-01T01:00:00Z', (c) => {
      c.locations[0]!.booking!.schedule.hours.sun = [['08:00', '12:00']];
    });
    await relay.say('a cleaning tomorrow morning');
    const offers = await relay.say('new');
    expect(offers).toMatch(/^Cleaning: 1\) Tomorrow, 8:00 AM /);
    await relay.say('1', /booked/);
    // 08:00 CST is 14:00 UTC (it would be 13:00 on the day before the change).
    expect(Object.values(relay.store.data.bookings)[0]!.start).toBe('2026-11-01T14:00:00.000Z');
  });

  it('urgent words hand the thread to staff at once, mark it urgent and say so', async () => {
    relay = await startBookingRelay(WED_NIGHT);
    await relay.say('cleaning');
    expect(await relay.say('actually my tooth is broken and swollen')).toMatch(/letting our team know right away/);
    const t = relay.thread();
    expect(t.urgent).toBe(true);
    expect(t.assistant).toMatchObject({ step: 'handed-off', handedOff: { reason: 'urgent' } });
    const before = (await relay.textsTo()).length;
    await relay.sms('hello?');
    await relay.assistant.idle();
    await sleep(100);
    expect((await relay.textsTo()).length).toBe(before);
  });

  it('choosing an urgent service hands off and marks the thread urgent', async () => {
    relay = await startBookingRelay(WED_NIGHT);
    await relay.say('hello');
    expect(await relay.say('2')).toMatch(/letting our team know right away/);
    expect(relay.thread()).toMatchObject({ urgent: true, urgentWords: ['pain or emergency'], assistant: { handedOff: { reason: 'urgent' } } });
    expect(relay.store.data.audit.some((a) => a.action === 'urgent' && a.threadId === relay!.thread().id)).toBe(true);
  });

  it('asks again once, then hands off when it still does not understand', async () => {
    relay = await startBookingRelay(WED_NIGHT);
    await relay.say('cleaning');
    expect(await relay.say('what does it cost?')).toBe(
      "Sorry, I didn't catch that. Are you a new or an existing patient? 1) New patient 2) Existing patient",
    );
    expect(await relay.say('how much is it though')).toMatch(/passing you to our team/);
    expect(relay.thread().assistant).toMatchObject({ step: 'handed-off', handedOff: { reason: 'off-script' } });
    expect(relay.store.data.audit.some((a) => a.action === 'assistant-hand-off' && a.detail.reason === 'off-script')).toBe(true);
  });

  it('goes silent once staff claim the thread mid-conversation', async () => {
    relay = await startBookingRelay(WED_NIGHT);
    const riley = await relay.staff('Riley');
    await relay.say('cleaning');
    const id = relay.thread().id;
    expect((await relay.api(riley, 'POST', `/api/threads/${id}/claim`)).status).toBe(200);
    expect(relay.thread().assistant).toMatchObject({ step: 'handed-off', handedOff: { reason: 'claimed' } });
    await expectNoAnswer(relay, 'new');
    expect(Object.values(relay.store.data.bookings)).toHaveLength(0);
    expect(Object.values(relay.store.data.messages).filter((m) => m.kind === 'assistant')).toHaveLength(1);
  });

  it('a thread staff came to hold some other way than a claim command (an on-duty assignment) is left to them', async () => {
    relay = await startBookingRelay(WED_NIGHT);
    await relay.say('cleaning');
    relay.store.transaction(() => {
      const t = relay!.store.edit('threads', relay!.thread().id)!;
      t.claim = { staffId: 'st_mgr', staffName: 'Mo', at: new Date(relay!.clock.at).toISOString() };
    });
    await relay.store.commit();
    relay.clock.at += 60_000;
    await relay.sms('new');
    await relay.assistant.idle();
    expect(relay.thread().assistant).toMatchObject({ step: 'handed-off', handedOff: { reason: 'claimed' } });
    expect(Object.values(relay.store.data.messages).filter((m) => m.kind === 'assistant')).toHaveLength(1);
  });

  it('a staff reply also takes over', async () => {
    relay = await startBookingRelay(WED_NIGHT);
    const riley = await relay.staff('Riley');
    await relay.say('cleaning');
    expect((await relay.api(riley, 'POST', `/api/threads/${relay.thread().id}/messages`, { text: 'Hi, Riley here!' })).status).toBe(201);
    expect(relay.thread().assistant!.handedOff!.reason).toBe('claimed');
  });

  it('STOP mid-conversation opts out as ever and the assistant never texts again', async () => {
    relay = await startBookingRelay(WED_NIGHT);
    await relay.say('cleaning');
    expect(await relay.say('STOP')).toMatch(/you are unsubscribed/);
    expect(relay.thread()).toMatchObject({ optedOut: true, assistant: { handedOff: { reason: 'opted-out' } } });
    await expectNoAnswer(relay, 'new');
    // Nothing the assistant wrote after the opt-out even reached the send gate.
    const after = Object.values(relay.store.data.messages).filter((m) => m.kind === 'assistant' && m.at > relay!.thread().assistant!.handedOff!.at);
    expect(after).toEqual([]);
  });

  it('asks the optional model about a reply the rules missed, and carries on without it when it is down', async () => {
    const port = await freePort('127.0.0.1');
    relay = await startBookingRelay(
      WED_NIGHT,
      (c) => {
        c.booking!.classifier = { url: `http://127.0.0.1:${port}/sandbox/classifier/v1/chat/completions`, model: 'sandbox', timeoutMs: 2000 };
      },
      { env: { PORT: String(port) } },
    );
    // "cleaned" is no label or synonym; the sandbox's stand-in model maps it to the cleaning.
    expect(await relay.say("I'd like my teeth cleaned")).toBe('Hi! Are you a new or an existing patient? 1) New patient 2) Existing patient');
    expect(relay.thread().assistant!.serviceId).toBe('cleaning');
    await relay.stop();

    relay = await startBookingRelay(WED_NIGHT, (c) => {
      c.booking!.classifier = { url: 'http://127.0.0.1:9/v1/chat/completions', model: 'gone', timeoutMs: 500 };
    });
    const started = Date.now();
    expect(await relay.say("I'd like my teeth cleaned")).toMatch(/^Hi! What can we help you with\?/);
    expect(await relay.say('the usual')).toMatch(/^Sorry, I didn't catch that\. What can we help you with\?/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('the demo business as `npm start` opens it: the scripted conversation books, day or night', async () => {
    // Wed 2 Dec 2026, 16:00 in Chicago: the demo desk is open, so the call rings out before it is missed.
    const clock = { at: Date.parse('2026-12-02T22:00:00Z') };
    const demo = await startTestRelay({ business: structuredClone(demoConfig), now: () => new Date(clock.at) });
    try {
      await demo.call({ answered: false, hangupWhileRinging: true });
      await waitFor(async () => (await demo.sent()).length === 1, 'the text-back');
      const reply = async (text: string, expect: RegExp) => {
        clock.at += 60_000;
        await demo.sms(text);
        await demo.assistant.idle();
        return waitFor(async () => (await demo.sent()).map((m) => m.text).find((t) => expect.test(t)), text);
      };
      await reply('can I come in tomorrow morning for a cleaning?', /new or an existing patient/);
      expect(await reply('new', /^Cleaning: 1\)/)).toMatch(/1\) Tomorrow, 8:00 AM 2\) Tomorrow, 9:00 AM 3\) Tomorrow, 10:00 AM/);
      await reply('2', /^You're booked: Cleaning, Thu Dec 3, 9:00 AM at Main St/);
      const thread = Object.values(demo.store.data.threads)[0]!;
      expect(thread.resolution).toMatchObject({ outcome: 'booked', value: 150 });
      // No model is configured: in sandbox mode the line's stand-in model reads what the rules miss ("cleaned").
      clock.at += 60_000;
      await demo.sms("I'd like my teeth cleaned on friday", '+15125552001');
      await demo.assistant.idle();
      await waitFor(async () => (await demo.sent()).some((m) => m.to === '+15125552001' && /new or an existing patient/.test(m.text)), 'the question after the model picked the service');
    } finally {
      await demo.stop();
    }
  });

  it('no SLA escalation while it talks with the caller; staff have the full SLA from its hand-off', async () => {
    relay = await startBookingRelay('2026-12-02T18:00:00Z', (c) => {
      c.sla = { claimMinutes: 5 };
    }, { escalationTickMs: 20 });
    await relay.say('cleaning');
    relay.clock.at += 10 * 60_000;
    await sleep(150);
    expect(relay.thread().escalation).toBeNull();
    await relay.say('hmm');
    await relay.say('what?', /passing you to our team/);
    relay.clock.at += 4 * 60_000;
    await sleep(150);
    expect(relay.thread().escalation).toBeNull();
    relay.clock.at += 2 * 60_000;
    await waitFor(() => relay!.thread().escalation?.reason === 'unclaimed', 'the escalation');
  });

  it('answers after a restart a reply that arrived but was not answered before the relay stopped', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ringback-assistant-'));
    try {
      relay = await startBookingRelay(WED_NIGHT, () => {}, { dir });
      await relay.say('cleaning');
      const threadId = relay.thread().id;
      const at = relay.clock.at + 60_000;
      await relay.stop();
      relay = null;
      // The reply was stored (the webhook answered 200) and then the relay died before the assistant spoke.
      const store = await Store.open(dir);
      const message: Message = {
        id: 'msg_unanswered', threadId, seq: store.nextSeq(), direction: 'in', kind: 'inbound', text: 'new', at: new Date(at).toISOString(),
        sentAt: null, status: 'received', statusReason: null, plivoUuid: 'uuid-unanswered', staffId: null, staffName: null, clientId: null,
      };
      store.put('messages', message.id, message);
      await store.commit();
      await store.close();
      relay = await startBookingRelay(new Date(at + 30_000).toISOString(), () => {}, { dir });
      await relay.assistant.idle();
      const texts = await waitFor(async () => ((await relay!.textsTo()).length > 0 ? relay!.textsTo() : undefined), 'the late answer');
      expect(texts).toEqual([expect.stringMatching(/^Cleaning: 1\) Tomorrow, 8:00 AM/)]);
    } finally {
      await relay?.stop();
      relay = null;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('free-text questions: a ZIP in the service area is an answer, one outside it goes to staff', async () => {
    const zip = (c: BusinessConfigInput) => {
      c.booking!.questions = [
        { id: 'zip', ask: "What's the ZIP code of the job?", pattern: '\\d{5}', allowed: ['78701', '78702'] },
        { id: 'kind', ask: 'What kind of job is it?', options: [{ id: 'repair', label: 'Repair', synonyms: ['fix', 'broken'] }, { id: 'install', label: 'New install', synonyms: ['install', 'new'] }] },
      ];
    };
    relay = await startBookingRelay(WED_NIGHT, zip);
    expect(await relay.say('cleaning please')).toBe("Hi! What's the ZIP code of the job?");
    expect(await relay.say("it's 78702")).toBe('What kind of job is it? 1) Repair 2) New install');
    expect(await relay.say('need to fix something')).toMatch(/^Cleaning: 1\)/);
    expect(relay.thread().assistant!.answers).toEqual({ zip: '78702', kind: 'repair' });
    await relay.stop();

    relay = await startBookingRelay(WED_NIGHT, zip);
    await relay.say('cleaning please');
    expect(await relay.say('90210')).toMatch(/passing you to our team/);
    expect(relay.thread().assistant!.handedOff!.reason).toBe('off-script');
  });

  it('an A/B test of the assistant leaves the callers of its "off" variant to staff', async () => {
    relay = await startBookingRelay(WED_NIGHT, (c) => {
      c.experiments = [{ id: 'assistant-ab', assistant: true, metric: 'booked', minSamplePerVariant: 10, variants: [{ id: 'on' }, { id: 'off' }] }];
    });
    const seen: Record<string, string> = {};
    for (let i = 0; i < 16 && Object.keys(seen).length < 2; i++) {
      const from = `+1512555${3000 + i}`;
      await relay.call({ from, answered: false, hangupWhileRinging: true });
      const variant = await waitFor(() => {
        const t = Object.values(relay!.store.data.threads).find((x) => x.caller === from);
        const id = t?.textBack?.messageId;
        return id ? own(relay!.store.data.messages, id)?.variant?.variant : undefined;
      }, 'the text-back with its variant');
      seen[variant] ??= from;
    }
    expect(Object.keys(seen).sort()).toEqual(['off', 'on']);
    expect(await relay.say('a cleaning please', /patient/, seen.on)).toMatch(/new or an existing patient/);
    relay.clock.at += 60_000;
    await relay.sms('a cleaning please', seen.off);
    await relay.assistant.idle();
    expect(relay.thread(seen.off).assistant ?? null).toBeNull();
    expect(relay.thread(seen.on).assistant).toMatchObject({ step: 'question' });
  });
});
