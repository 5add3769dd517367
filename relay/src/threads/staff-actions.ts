import type { Message, Note, Outcome, StaffMember, ThreadSummary } from '@ringback/shared';
import { handOff } from '../booking/assistant-state.js';
import { own } from '../store/own.js';
import type { Contacts } from './contacts.js';
import { audit, newId, type Ctx } from './context.js';
import { DomainError, notFound } from './errors.js';
import { queueSms, reasonText } from './send.js';

/** What staff do to a thread. Claims are compare-and-set: one owner, until released or resolved. */
export class StaffActions {
  constructor(
    private readonly ctx: Ctx,
    private readonly contacts: Contacts,
  ) {}

  claim(threadId: string, staff: StaffMember): ThreadSummary {
    const thread = this.thread(threadId);
    if (thread.status === 'resolved') throw new DomainError(409, 'resolved', 'This thread is already resolved.');
    if (thread.claim?.staffId === staff.id) return thread;
    this.ensureNotClaimedByOther(thread, staff);
    thread.claim = { staffId: staff.id, staffName: staff.name, at: this.ctx.now().toISOString() };
    thread.escalation = null;
    this.ctx.changes.thread(thread);
    audit(this.ctx, staff, 'claim', thread.id);
    handOff(this.ctx, thread, 'claimed', staff);
    return thread;
  }

  /** A manager hands the thread to someone (or takes it); the old owner loses it. */
  assign(threadId: string, manager: StaffMember, staffId: string): ThreadSummary {
    const thread = this.thread(threadId);
    if (thread.status === 'resolved') throw new DomainError(409, 'resolved', 'This thread is already resolved.');
    const to = this.ctx.store.data.staff.find((s) => s.id === staffId && !s.revokedAt);
    if (!to) throw new DomainError(400, 'invalid', `staffId "${staffId}" is not an active staff member`);
    if (thread.claim?.staffId === to.id) return thread;
    audit(this.ctx, manager, 'assign', thread.id, { from: thread.claim?.staffName ?? null, to: to.name });
    thread.claim = { staffId: to.id, staffName: to.name, at: this.ctx.now().toISOString() };
    thread.escalation = null;
    this.ctx.changes.thread(thread);
    handOff(this.ctx, thread, 'claimed', manager);
    return thread;
  }

  release(threadId: string, staff: StaffMember): ThreadSummary {
    const thread = this.thread(threadId);
    if (!thread.claim) return thread;
    if (thread.claim.staffId !== staff.id && staff.role !== 'manager') {
      throw new DomainError(403, 'not-owner', `Only ${thread.claim.staffName} or a manager can release this thread.`);
    }
    audit(this.ctx, staff, 'release', thread.id, { owner: thread.claim.staffName });
    thread.claim = null;
    this.ctx.changes.thread(thread);
    return thread;
  }

  resolve(threadId: string, staff: StaffMember, outcome: Outcome, value: number | undefined): ThreadSummary {
    const thread = this.thread(threadId);
    if (staff.role !== 'manager') this.ensureNotClaimedByOther(thread, staff);
    const worth = value ?? (outcome === 'booked' ? this.ctx.config.business.business.averageValue : 0);
    thread.status = 'resolved';
    thread.escalation = null;
    this.contacts.tagRecovered(thread, outcome);
    thread.resolution = { outcome, value: worth, staffId: staff.id, staffName: staff.name, at: this.ctx.now().toISOString() };
    this.ctx.changes.thread(thread);
    audit(this.ctx, staff, 'resolve', thread.id, { outcome, value: worth });
    // Staff closing a booked conversation leave the caller able to move or cancel by text.
    if (thread.assistant?.step !== 'booked') handOff(this.ctx, thread, 'claimed', staff);
    return thread;
  }

  /** Back to the queue, as the reopener's: the earlier resolution stays in the audit log (and in the figures). */
  reopen(threadId: string, staff: StaffMember): ThreadSummary {
    const thread = this.thread(threadId);
    if (thread.status !== 'resolved') throw new DomainError(409, 'open', 'This thread is already open.');
    audit(this.ctx, staff, 'reopen', thread.id, { outcome: thread.resolution?.outcome ?? null });
    thread.status = 'open';
    thread.resolution = null;
    thread.claim = { staffId: staff.id, staffName: staff.name, at: this.ctx.now().toISOString() };
    thread.escalation = null;
    this.ctx.changes.thread(thread);
    handOff(this.ctx, thread, 'claimed', staff);
    return thread;
  }

  /** A staff SMS. The same clientId twice sends once; an unclaimed thread becomes the sender's. */
  reply(threadId: string, staff: StaffMember, text: string, clientId: string | undefined): { message: Message; created: boolean } {
    const thread = this.thread(threadId);
    if (clientId) {
      for (const id of this.ctx.indexes.messages(thread.id)) {
        const m = own(this.ctx.store.data.messages, id);
        if (m?.clientId !== clientId) continue;
        if (m.status === 'blocked') throw new DomainError(422, 'blocked', m.statusReason ?? 'This text was blocked.');
        return { message: m, created: false };
      }
    }
    this.ensureNotClaimedByOther(thread, staff);
    const { message, blocked } = queueSms(this.ctx, { thread, kind: 'reply', text, immediate: false, staff, ...(clientId ? { clientId } : {}) });
    if (blocked) {
      // The gate keeps the blocked attempt on record; staff get the reason at once.
      throw new DomainError(422, blocked, reasonText[blocked]);
    }
    if (!thread.claim) {
      thread.claim = { staffId: staff.id, staffName: staff.name, at: this.ctx.now().toISOString() };
      audit(this.ctx, staff, 'claim', thread.id, { by: 'reply' });
    }
    thread.escalation = null;
    this.ctx.changes.thread(thread);
    audit(this.ctx, staff, 'reply', thread.id, { messageId: message.id });
    // A human answered: the assistant stays out of this conversation.
    handOff(this.ctx, thread, 'claimed', staff);
    return { message, created: true };
  }

  note(threadId: string, staff: StaffMember, text: string): Note {
    const thread = this.thread(threadId);
    const note: Note = { id: newId('note'), threadId: thread.id, staffId: staff.id, staffName: staff.name, text, at: this.ctx.now().toISOString() };
    this.ctx.store.put('notes', note.id, note);
    this.ctx.indexes.addNote(thread.id, note.id);
    this.ctx.changes.thread(thread);
    audit(this.ctx, staff, 'note', thread.id, { noteId: note.id });
    return note;
  }

  /** Commands change the thread in place: `edit` keeps its state first, so a failed write undoes them. */
  private thread(id: string): ThreadSummary {
    const thread = this.ctx.store.edit('threads', id);
    if (!thread) throw notFound('thread');
    return thread;
  }

  private ensureNotClaimedByOther(thread: ThreadSummary, staff: StaffMember): void {
    if (thread.claim && thread.claim.staffId !== staff.id) {
      throw new DomainError(409, 'claimed', `${thread.claim.staffName} is handling this thread.`, {
        id: thread.claim.staffId,
        name: thread.claim.staffName,
      });
    }
  }
}
