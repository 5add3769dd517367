import type { ThreadSummary } from '@ringback/shared';
import { own } from '../store/own.js';
import type { Data } from '../store/data.js';
import type { Store } from '../store/store.js';

/** In-memory lookups over the stored records, rebuilt at start, kept in step by the service. */
export class Indexes {
  private threadByCaller = new Map<string, string>();
  /** Every thread a number has had, over all locations (some may be archived since: readers check). */
  private threadsByNumber = new Map<string, string[]>();
  private open = new Set<string>();
  private following = false;
  private messagesByThread = new Map<string, string[]>();
  private callsByThread = new Map<string, string[]>();
  private notesByThread = new Map<string, string[]>();
  private messageByUuid = new Map<string, string>();
  private contactByPhone = new Map<string, string>();

  constructor(private readonly data: Data) {
    this.fill();
  }

  /** After archiving: the same object (the store's listeners keep it), without the records that left. */
  rebuild(): void {
    for (const m of [this.threadByCaller, this.threadsByNumber, this.messagesByThread, this.callsByThread, this.notesByThread, this.messageByUuid, this.contactByPhone]) m.clear();
    this.open.clear();
    this.fill();
  }

  private fill(): void {
    const data = this.data;
    for (const t of Object.values(data.threads)) {
      this.setThread(t.locationId, t.caller, t.id);
      if (t.status === 'open') this.open.add(t.id);
    }
    for (const m of Object.values(data.messages)) this.addMessage(m.threadId, m.id, m.plivoUuid);
    for (const c of Object.values(data.calls)) if (c.threadId) this.addCall(c.threadId, c.id);
    for (const n of Object.values(data.notes)) this.addNote(n.threadId, n.id);
    for (const c of Object.values(data.contacts)) this.contactByPhone.set(c.phone, c.id);
  }

  contactFor(phone: string): string | undefined {
    const id = this.contactByPhone.get(phone);
    // A contact created by a command whose write failed was undone; the index may still name it.
    return id !== undefined && own(this.data.contacts, id) ? id : undefined;
  }
  setContact(phone: string, id: string | null): void {
    if (id) this.contactByPhone.set(phone, id);
    else this.contactByPhone.delete(phone);
  }

  threadFor(locationId: string, caller: string): string | undefined {
    return this.threadByCaller.get(callerKey(locationId, caller));
  }
  setThread(locationId: string, caller: string, threadId: string): void {
    this.threadByCaller.set(callerKey(locationId, caller), threadId);
    const all = this.threadsByNumber.get(caller);
    if (!all) this.threadsByNumber.set(caller, [threadId]);
    else if (!all.includes(threadId)) all.push(threadId);
  }
  /** The caller's threads in the hot data, in every location. */
  threadsOf(caller: string): ThreadSummary[] {
    const out: ThreadSummary[] = [];
    for (const id of this.threadsByNumber.get(caller) ?? []) {
      const t = own(this.data.threads, id);
      if (t && t.caller === caller) out.push(t);
    }
    return out;
  }

  /**
   * Keep the open threads known from the store's change events: every status change is followed by a touch
   * (or a put, or a roll-back), so a thread that opens is seen then; one that closes is dropped when next read.
   */
  followOpenThreads(store: Store): void {
    if (this.following) return;
    this.following = true;
    store.onChange.push((map, id) => {
      if (map !== 'threads' || id === null) return;
      const t = own(this.data.threads, id);
      if (t?.status === 'open') this.open.add(id);
    });
  }
  /** Threads open now, without a walk over every thread. */
  *openThreads(): Generator<ThreadSummary> {
    for (const id of this.open) {
      const t = own(this.data.threads, id);
      if (t?.status === 'open') yield t;
      else this.open.delete(id);
    }
  }
  addMessage(threadId: string, id: string, uuid: string | null): void {
    push(this.messagesByThread, threadId, id);
    if (uuid) this.messageByUuid.set(uuid, id);
  }
  setMessageUuid(id: string, uuid: string): void {
    this.messageByUuid.set(uuid, id);
  }
  messageIdByUuid(uuid: string): string | undefined {
    return this.messageByUuid.get(uuid);
  }
  addCall(threadId: string, id: string): void {
    push(this.callsByThread, threadId, id);
  }
  addNote(threadId: string, id: string): void {
    push(this.notesByThread, threadId, id);
  }
  messages(threadId: string): readonly string[] {
    return this.messagesByThread.get(threadId) ?? [];
  }
  calls(threadId: string): readonly string[] {
    return this.callsByThread.get(threadId) ?? [];
  }
  notes(threadId: string): readonly string[] {
    return this.notesByThread.get(threadId) ?? [];
  }
}

const callerKey = (locationId: string, caller: string) => `${locationId}|${caller}`;

function push(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}
