import { afterEach, describe, expect, it } from 'vitest';
import { startTestRelay, waitFor, type TestRelay } from '../testing/harness.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

describe('quick replies', () => {
  it('managers write them, every desk reads them, rendered for a thread', async () => {
    relay = await startTestRelay();
    const boss = await relay.staff('Mo Khan', 'manager');
    const riley = await relay.staff('Riley Park');
    const body = { label: 'Book', text: 'Hi {{firstName|there}}, {{staffName}} here. Pick a time: {{bookingUrl}}' };
    expect((await relay.api(riley, 'POST', '/api/quick-replies', body)).status).toBe(403);
    const created = await relay.api(boss, 'POST', '/api/quick-replies', body);
    expect(created.status).toBe(201);
    await relay.api(boss, 'POST', '/api/quick-replies', { label: 'Elsewhere', text: 'x', locationId: 'main' });
    expect((await relay.api(boss, 'POST', '/api/quick-replies', { label: 'Bad', text: 'x', locationId: 'nowhere' })).status).toBe(400);

    await relay.api(boss, 'POST', '/api/contacts', { name: 'Ana Ruiz', phone: '+15125551077' });
    await relay.sms('hello?');
    const [thread] = (await relay.api(riley, 'GET', '/api/threads')).body.threads;
    const list = (await relay.api(riley, 'GET', `/api/quick-replies?thread=${thread.id}`)).body.quickReplies;
    expect(list.map((q: any) => q.label)).toEqual(['Book', 'Elsewhere']);
    expect(list[0].rendered).toMatch(new RegExp(`^Hi Ana, Riley here\\. Pick a time: ${relay.config.publicUrl}/book/[A-Za-z0-9_-]{22}$`));

    // Sent like any staff reply: through the send gate and the outbox.
    expect((await relay.api(riley, 'POST', `/api/threads/${thread.id}/messages`, { text: list[0].rendered, clientId: 'q1' })).status).toBe(201);
    await waitFor(async () => (await relay.sent()).some((m) => m.text.startsWith('Hi Ana, Riley here')), 'quick reply sent');

    const id = created.body.quickReply.id;
    expect((await relay.api(boss, 'PATCH', `/api/quick-replies/${id}`, { label: 'Booking' })).body.quickReply).toMatchObject({ label: 'Booking', text: body.text });
    expect((await relay.api(boss, 'DELETE', `/api/quick-replies/${id}`)).status).toBe(204);
    const actions = (await relay.api(boss, 'GET', `/api/audit?staff=${(await relay.api(boss, 'GET', '/api/me')).body.staff.id}`)).body.entries.map((e: any) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['quick-reply-create', 'quick-reply-update', 'quick-reply-delete']));
  });
});
