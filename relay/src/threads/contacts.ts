import {
  parseCsv,
  parsePhone,
  RECOVERY_TAG,
  validateContactRows,
  type Contact,
  type ContactBody,
  type ContactImportReply,
  type ContactReply,
  type StaffMember,
  type ThreadSummary,
} from '@ringback/shared';
import { own } from '../store/own.js';
import { audit, newId, type Ctx } from './context.js';
import { DomainError, notFound } from './errors.js';

/** Outcomes that mean a missed caller was won back. */
const RECOVERED = new Set(['booked', 'estimate-sent', 'callback-done']);

/** The business's customers: recognised when they call, shown on their threads, imported and exported as CSV. */
export class Contacts {
  constructor(private readonly ctx: Ctx) {}

  list(tag?: string, q?: string): Contact[] {
    const needle = q?.toLowerCase();
    const digits = q?.replace(/\D/g, '');
    return Object.values(this.ctx.store.data.contacts)
      .filter((c) => !tag || c.tags.includes(tag))
      .filter((c) => !needle || c.name.toLowerCase().includes(needle) || (!!digits && c.phone.includes(digits)))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  get(id: string): ContactReply {
    const contact = own(this.ctx.store.data.contacts, id);
    if (!contact) throw notFound('contact');
    const threads = Object.values(this.ctx.store.data.threads)
      .filter((t) => t.caller === contact.phone)
      .sort((a, b) => b.openedAt.localeCompare(a.openedAt));
    return { contact, threads };
  }

  create(body: ContactBody, staff: StaffMember | null): Contact {
    const phone = this.phone(body.phone);
    if (this.ctx.indexes.contactFor(phone)) throw new DomainError(409, 'exists', `A contact with ${phone} already exists.`);
    const contact = this.save({ ...body, phone }, undefined);
    audit(this.ctx, staff, 'contact-create', null, { contactId: contact.id });
    return contact;
  }

  update(id: string, patch: Partial<ContactBody>, staff: StaffMember): Contact {
    const existing = own(this.ctx.store.data.contacts, id);
    if (!existing) throw notFound('contact');
    const phone = patch.phone === undefined ? existing.phone : this.phone(patch.phone);
    const other = this.ctx.indexes.contactFor(phone);
    if (other && other !== id) throw new DomainError(409, 'exists', `A contact with ${phone} already exists.`);
    const contact = this.save({ ...existing, ...patch, phone }, existing);
    audit(this.ctx, staff, 'contact-update', null, { contactId: id, fields: Object.keys(patch) });
    return contact;
  }

  remove(id: string, staff: StaffMember): void {
    const existing = own(this.ctx.store.data.contacts, id);
    if (!existing) throw notFound('contact');
    this.ctx.store.put('contacts', id, undefined);
    this.ctx.indexes.setContact(existing.phone, null);
    this.showOnThreads(existing.phone, null);
    audit(this.ctx, staff, 'contact-delete', null, { contactId: id });
  }

  /** All rows or none: any bad row rejects the file with every problem listed (400, error.errors). */
  importCsv(text: string, staff: StaffMember): ContactImportReply {
    let table: string[][];
    try {
      table = parseCsv(text);
    } catch (e) {
      throw new DomainError(400, 'invalid-csv', `The file is not valid CSV: ${(e as Error).message}.`);
    }
    const { rows, errors } = validateContactRows(table, this.ctx.config.business.business.country);
    if (errors.length > 0) {
      const summary = errors.slice(0, 5).map((e) => `line ${e.line}: ${e.message}`).join('; ');
      throw new DomainError(400, 'invalid-csv', `Nothing was imported; fix ${errors.length} row${errors.length > 1 ? 's' : ''}: ${summary}`, undefined, errors);
    }
    let created = 0;
    let updated = 0;
    for (const row of rows) {
      const id = this.ctx.indexes.contactFor(row.phone);
      const existing = id ? own(this.ctx.store.data.contacts, id) : undefined;
      this.save({ name: row.name, phone: row.phone, tags: row.tags, notes: row.notes, customerSince: row.customerSince }, existing);
      if (existing) updated++;
      else created++;
    }
    audit(this.ctx, staff, 'contacts-import', null, { created, updated });
    return { created, updated };
  }

  /** A caller won back from a missed call carries the recovery tag (and becomes a contact if they were not one). */
  tagRecovered(thread: ThreadSummary, outcome: string): void {
    if (!RECOVERED.has(outcome) || !thread.lastMissedAt) return;
    const phone = parsePhone(thread.caller, this.ctx.config.business.business.country);
    if (!phone.ok) return;
    const id = this.ctx.indexes.contactFor(phone.e164);
    const existing = id ? own(this.ctx.store.data.contacts, id) : undefined;
    if (existing?.tags.includes(RECOVERY_TAG)) return;
    const today = this.ctx.now().toISOString().slice(0, 10);
    this.save(
      existing
        ? { ...existing, tags: [...existing.tags, RECOVERY_TAG] }
        : { name: thread.callerName ?? thread.callerDisplay, phone: phone.e164, tags: [RECOVERY_TAG], notes: '', customerSince: outcome === 'booked' ? today : null },
      existing,
    );
  }

  private phone(raw: string): string {
    const p = parsePhone(raw, this.ctx.config.business.business.country);
    if (!p.ok) throw new DomainError(400, 'invalid', `phone "${raw}" is not a valid number`);
    return p.e164;
  }

  private save(body: Omit<Contact, 'id' | 'createdAt' | 'updatedAt'>, existing: Contact | undefined): Contact {
    const now = this.ctx.now().toISOString();
    const contact: Contact = {
      id: existing?.id ?? newId('ct'),
      name: body.name,
      phone: body.phone,
      tags: [...new Set(body.tags)],
      notes: body.notes,
      customerSince: body.customerSince,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    if (existing && existing.phone !== contact.phone) {
      this.ctx.indexes.setContact(existing.phone, null);
      this.showOnThreads(existing.phone, null);
    }
    this.ctx.store.put('contacts', contact.id, contact);
    this.ctx.indexes.setContact(contact.phone, contact.id);
    this.showOnThreads(contact.phone, contact);
    return contact;
  }

  /** Threads of this number show who the caller is. */
  private showOnThreads(phone: string, contact: Contact | null): void {
    for (const t of Object.values(this.ctx.store.data.threads)) {
      if (t.caller !== phone) continue;
      const name = contact?.name ?? t.callerName;
      if (t.contactId === (contact?.id ?? null) && t.callerName === name) continue;
      this.ctx.store.edit('threads', t.id);
      t.contactId = contact?.id ?? null;
      t.callerName = name;
      this.ctx.changes.thread(t);
    }
  }
}
