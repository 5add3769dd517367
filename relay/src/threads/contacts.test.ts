import { afterEach, describe, expect, it } from 'vitest';
import { CALLER, startTestRelay, waitFor, type TestRelay } from '../testing/harness.js';

let relay: TestRelay;
afterEach(async () => relay?.stop());

const csv = (token: string, body: string) =>
  fetch(`${relay.url}/api/contacts/import`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as any,
  }));

describe('contacts', () => {
  it('imports all rows or none, with every bad row named', async () => {
    relay = await startTestRelay();
    const boss = await relay.staff('Mo', 'manager');
    const riley = await relay.staff('Riley');
    const bad = await csv(boss, 'name,phone\nAna Ruiz,(512) 555-1077\n,5125551078\nBo,12\n');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid-csv');
    expect(bad.body.error.errors).toEqual([
      { line: 3, message: 'name is empty' },
      { line: 4, message: 'phone "12" is not a valid number' },
    ]);
    expect(Object.keys(relay.store.data.contacts)).toHaveLength(0);
    expect((await csv(riley, 'name,phone\nAna,5125551077\n')).status).toBe(403);

    const ok = await csv(boss, 'name,phone,tags,notes,customer_since\n"Ruiz, Ana",(512) 555-1077,vip;ortho,"likes mornings",2021-05-01\nBo Li,5125551078,,,\n');
    expect(ok.body).toEqual({ created: 2, updated: 0 });
    expect((await csv(boss, 'name,phone\nAna Ruiz,5125551077\n')).body).toEqual({ created: 0, updated: 1 });
    const list = (await relay.api(riley, 'GET', '/api/contacts?tag=vip')).body.contacts;
    expect(list).toEqual([]); // the re-import replaced Ana's row (tags included)
    expect((await relay.api(riley, 'GET', '/api/contacts?q=ana')).body.contacts[0]).toMatchObject({ name: 'Ana Ruiz', phone: CALLER });

    const exported = await fetch(`${relay.url}/api/export/contacts.csv`, { headers: { authorization: `Bearer ${boss}` } }).then((r) => r.text());
    expect(exported.split('\n')[0]).toBe('name,phone,tags,notes,customer_since');
    expect(exported).toContain('Ana Ruiz,+15125551077');
    const actions = (await relay.api(boss, 'GET', '/api/audit')).body.entries.map((e: any) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['contacts-import', 'export']));
  });

  it('greets a known caller by first name, shows who they are and their history; recovered callers are tagged', async () => {
    relay = await startTestRelay();
    const boss = await relay.staff('Mo', 'manager');
    const created = await relay.api(boss, 'POST', '/api/contacts', { name: 'Ana Ruiz', phone: '(512) 555-1077', tags: ['vip'] });
    expect(created.status).toBe(201);
    await relay.call({ answered: false, callerName: 'WIRELESS CALLER' });
    const [text] = await waitFor(async () => {
      const s = await relay.sent();
      return s.length ? s : undefined;
    }, 'text-back');
    expect(text!.text).toMatch(/^Hi Ana, sorry we missed your call/);
    const [thread] = (await relay.api(boss, 'GET', '/api/threads')).body.threads;
    expect(thread).toMatchObject({ callerName: 'Ana Ruiz', contactId: created.body.contact.id });
    const detail = (await relay.api(boss, 'GET', `/api/threads/${thread.id}`)).body;
    expect(detail.contact).toMatchObject({ name: 'Ana Ruiz', tags: ['vip'] });

    await relay.api(boss, 'POST', `/api/threads/${thread.id}/resolve`, { outcome: 'booked' });
    const recovered = (await relay.api(boss, 'GET', '/api/contacts?tag=missed-call-recovery')).body.contacts;
    expect(recovered.map((c: any) => c.name)).toEqual(['Ana Ruiz']);
    const mine = (await relay.api(boss, 'GET', `/api/contacts/${created.body.contact.id}`)).body;
    expect(mine.threads.map((t: any) => t.id)).toEqual([thread.id]);

    // A stranger who books becomes a contact with the tag.
    await relay.call({ answered: false, from: '+15125551099' });
    const other = (await relay.api(boss, 'GET', '/api/threads')).body.threads.find((t: any) => t.caller === '+15125551099');
    await relay.api(boss, 'POST', `/api/threads/${other.id}/resolve`, { outcome: 'callback-done' });
    expect((await relay.api(boss, 'GET', '/api/contacts?tag=missed-call-recovery')).body.contacts).toHaveLength(2);
  });

  it('only managers change contacts; patches keep what they do not name', async () => {
    relay = await startTestRelay();
    const boss = await relay.staff('Mo', 'manager');
    const riley = await relay.staff('Riley');
    expect((await relay.api(riley, 'POST', '/api/contacts', { name: 'X', phone: '5125551077' })).status).toBe(403);
    const { contact } = (await relay.api(boss, 'POST', '/api/contacts', { name: 'Ana', phone: '5125551077', tags: ['vip'], notes: 'n' })).body;
    expect((await relay.api(boss, 'POST', '/api/contacts', { name: 'Dup', phone: '+15125551077' })).status).toBe(409);
    const patched = (await relay.api(boss, 'PATCH', `/api/contacts/${contact.id}`, { name: 'Ana Ruiz' })).body.contact;
    expect(patched).toMatchObject({ name: 'Ana Ruiz', tags: ['vip'], notes: 'n' });
    expect((await relay.api(boss, 'DELETE', `/api/contacts/${contact.id}`)).status).toBe(204);
    expect((await relay.api(boss, 'GET', `/api/contacts/${contact.id}`)).status).toBe(404);
  });
});
