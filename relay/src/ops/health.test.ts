import { describe, expect, it } from 'vitest';
import { HealthState, healthLimits } from './health.js';

describe('HealthState', () => {
  const clock = () => {
    let t = Date.parse('2026-03-02T15:00:00Z');
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it('forgets signature failures older than 5 minutes', () => {
    const c = clock();
    const h = new HealthState(c.now);
    for (let i = 0; i < 3; i++) h.webhook('/plivo/voice/answer', 'bad-signature');
    expect(h.problems(0)).toHaveLength(1);
    c.advance(5 * 60_000 + 1);
    expect(h.signatureFailuresLast5Min()).toBe(0);
    expect(h.problems(0)).toEqual([]);
    expect(h.signatureFailuresTotal).toBe(3);
  });

  it('is not degraded by failures a good webhook came after', () => {
    const c = clock();
    const h = new HealthState(c.now);
    for (let i = 0; i < 5; i++) h.webhook('/plivo/voice/answer', 'bad-signature');
    c.advance(1);
    h.webhook('/plivo/sms/inbound', 'ok');
    expect(h.problems(0)).toEqual([]);
  });

  it('counts send failures in a row until a send succeeds, and failed texts over the last hour', () => {
    const c = clock();
    const h = new HealthState(c.now);
    h.send('retry', '503 busy');
    h.send('failed', '401 authentication failed');
    expect(h.problems(0)).toEqual([]);
    h.send('unknown', 'timeout');
    expect(h.problems(0)).toEqual([expect.stringContaining('3 send attempts failed in a row: timeout')]);
    h.send('blocked', null);
    expect(h.consecutiveSendFailures).toBe(3);
    h.send('sent', null);
    expect(h.problems(0)).toEqual([]);
    expect(h.failedLastHour()).toBe(1);
    c.advance(3600_000 + 1);
    expect(h.failedLastHour()).toBe(0);
  });

  it('is degraded by a text waiting past the backlog limit', () => {
    const h = new HealthState(clock().now);
    expect(h.problems(healthLimits.backlogAgeSeconds - 1)).toEqual([]);
    expect(h.problems(healthLimits.backlogAgeSeconds)).toEqual([expect.stringContaining('waited 600 s')]);
  });
});
