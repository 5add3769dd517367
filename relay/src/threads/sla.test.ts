import { afterEach, describe, expect, it } from 'vitest';
import { breachesSla } from '@ringback/shared/client';
import { sleep, startTestRelay, testBusiness, waitFor, type TestRelay } from '../testing/harness.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

describe('one SLA for the figures and the escalations', () => {
  it('a 1:30 AM call is not breaching in the figures nor escalated at 7:30; both turn at 5 open minutes after 8:00', async () => {
    // Mon–Fri 08:00–17:00 Chicago (UTC−6). Tuesday 5 March 2024, 01:30 local = 07:30Z.
    const weekday: [string, string][] = [['08:00', '17:00']];
    const clock = { now: new Date('2024-03-05T07:30:00Z') };
    relay = await startTestRelay({
      business: testBusiness((c) => {
        c.locations[0]!.hours = { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday };
        c.sla = { claimMinutes: 5 };
      }),
      now: () => clock.now,
      escalationTickMs: 20,
    });
    const boss = await relay.staff('Mo', 'manager');
    await relay.call({ answered: false });
    const state = async () => {
      const m = (await relay.api(boss, 'GET', '/api/metrics')).body;
      const t = (await relay.api(boss, 'GET', '/api/threads')).body.threads[0];
      // The screens' reading of the thread (queue rows, the wall's list and its Past SLA tile) must agree too.
      return { openUnclaimed: m.openUnclaimed, breachingSla: m.breachingSla, slaBreaches: m.slaBreaches, escalated: !!t.escalation, onScreens: breachesSla(t, clock.now.getTime(), 5) };
    };

    clock.now = new Date('2024-03-05T13:30:00Z'); // 07:30 local: six hours on the clock, none open
    await sleep(100);
    expect(await state()).toEqual({ openUnclaimed: 1, breachingSla: 0, slaBreaches: 0, escalated: false, onScreens: false });

    clock.now = new Date('2024-03-05T14:04:00Z'); // 08:04: four open minutes
    await sleep(100);
    expect(await state()).toEqual({ openUnclaimed: 1, breachingSla: 0, slaBreaches: 0, escalated: false, onScreens: false });

    clock.now = new Date('2024-03-05T14:05:30Z'); // 08:05:30: past the SLA in both
    await waitFor(async () => (await state()).escalated, 'escalation once open');
    expect(await state()).toEqual({ openUnclaimed: 1, breachingSla: 1, slaBreaches: 1, escalated: true, onScreens: true });
  });
});
