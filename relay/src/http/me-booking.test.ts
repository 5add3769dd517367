import { afterEach, describe, expect, it } from 'vitest';
import { startTestRelay, testBusiness, type TestRelay } from '../testing/harness.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

describe('GET /api/me: the booking labels the staff apps show', () => {
  it('names the services and questions (labels only: no synonyms, values or calendar details)', async () => {
    relay = await startTestRelay({
      business: testBusiness((c) => {
        c.booking = {
          services: [
            { id: 'cleaning', label: 'Cleaning', synonyms: ['clean'], minutes: 60, value: 180 },
            { id: 'pain', label: 'Pain or emergency', minutes: 30, urgent: true },
          ],
          questions: [
            { id: 'patient', ask: 'Are you a new or existing patient?', options: [{ id: 'new', label: 'New' }, { id: 'existing', label: 'Existing' }] },
            { id: 'zip', ask: 'What is your ZIP code?', pattern: '^\\d{5}$' },
          ],
        };
      }),
    });
    const me = await relay.api(await relay.staff('Riley'), 'GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body.booking).toEqual({
      services: [
        { id: 'cleaning', label: 'Cleaning' },
        { id: 'pain', label: 'Pain or emergency' },
      ],
      questions: [
        { id: 'patient', ask: 'Are you a new or existing patient?', options: [{ id: 'new', label: 'New' }, { id: 'existing', label: 'Existing' }] },
        { id: 'zip', ask: 'What is your ZIP code?' },
      ],
    });
  });

  it('has no booking field when the business does not book', async () => {
    relay = await startTestRelay({
      business: testBusiness((c) => {
        delete c.booking;
        for (const l of c.locations) delete l.booking;
      }),
    });
    const me = await relay.api(await relay.staff('Riley'), 'GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body).not.toHaveProperty('booking');
  });
});
