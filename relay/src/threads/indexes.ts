import { own } from '../store/own.js';
import type { Data } from '../store/data.js';

/** In-memory lookups over the stored records, rebuilt at start, kept in step by the service. */
export class Indexes {
  private threadByCaller = new Map<string, string>();
  private messagesByThread = new Map<string, string[]>();
  private callsByThread = new Map<string, string[]>();
  private notesByThread = new Map<string, string[]>();
  private messageByUuid = new Map<string, string>();
  private contactByPhone = new Map<string, string>();

  constructor(private readonly data: Data) {
    for (const t of Object.values(data.threads)) this.threadByCaller.set(callerKey(t.locationId, t.caller), t.id);
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
