import { renderTemplate, type QuickReply, type StaffMember, type ThreadSummary } from '@ringback/shared';
import { own } from '../store/own.js';
import { bookingUrlFor } from '../booking/links.js';
import { audit, firstName, locationById, newId, type Ctx } from './context.js';
import { DomainError, notFound } from './errors.js';

type Body = { label: string; text: string; locationId: string | null };

/** Saved replies managers write and every desk inserts; variables are filled per thread. */
export class QuickReplies {
  constructor(private readonly ctx: Ctx) {}

  /** Those for a location (and every-location ones); all of them without a location. */
  list(locationId?: string): QuickReply[] {
    return Object.values(this.ctx.store.data.quickReplies)
      .filter((q) => !locationId || q.locationId === null || q.locationId === locationId)
      .sort((a, b) => a.label.localeCompare(b.label));
  }

  /** The reply's text for this thread and the staff member who sends it. */
  render(q: QuickReply, thread: ThreadSummary, staff: StaffMember): string {
    const { business } = this.ctx.config.business;
    const contact = thread.contactId ? own(this.ctx.store.data.contacts, thread.contactId) : undefined;
    return renderTemplate(q.text, {
      firstName: contact ? (contact.name.trim().split(/\s+/)[0] ?? null) : firstName(thread.callerName),
      bookingUrl: bookingUrlFor(this.ctx, thread, q.text),
      business: business.name,
      location: locationById(this.ctx, thread.locationId).name,
      staffName: staff.name.trim().split(/\s+/)[0] ?? staff.name,
    });
  }

  create(body: Body, staff: StaffMember): QuickReply {
    this.checkLocation(body.locationId);
    const q: QuickReply = { id: newId('qr'), ...body, updatedAt: this.ctx.now().toISOString() };
    this.ctx.store.put('quickReplies', q.id, q);
    audit(this.ctx, staff, 'quick-reply-create', null, { quickReplyId: q.id, label: q.label });
    return q;
  }

  update(id: string, patch: Partial<Body>, staff: StaffMember): QuickReply {
    const existing = own(this.ctx.store.data.quickReplies, id);
    if (!existing) throw notFound('quick reply');
    if (patch.locationId !== undefined) this.checkLocation(patch.locationId);
    const q: QuickReply = { ...existing, ...patch, updatedAt: this.ctx.now().toISOString() };
    this.ctx.store.put('quickReplies', id, q);
    audit(this.ctx, staff, 'quick-reply-update', null, { quickReplyId: id, fields: Object.keys(patch) });
    return q;
  }

  remove(id: string, staff: StaffMember): void {
    if (!own(this.ctx.store.data.quickReplies, id)) throw notFound('quick reply');
    this.ctx.store.put('quickReplies', id, undefined);
    audit(this.ctx, staff, 'quick-reply-delete', null, { quickReplyId: id });
  }

  private checkLocation(id: string | null): void {
    if (id !== null && !this.ctx.config.business.locations.some((l) => l.id === id)) {
      throw new DomainError(400, 'invalid', `location "${id}" does not exist`);
    }
  }
}
