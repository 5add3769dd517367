import { own } from '../store/own.js';
import type { EscalationReason, Message, ThreadSummary, ServerToClientEvents } from '@ringback/shared';
import type { Store } from '../store/store.js';

/** Where announced changes go (the Socket.IO server); a no-op until one is attached. */
export interface Publisher {
  thread(p: Parameters<ServerToClientEvents['thread']>[0]): void;
  message(p: Parameters<ServerToClientEvents['message']>[0]): void;
  escalation(p: Parameters<ServerToClientEvents['escalation']>[0]): void;
  changed(): void;
}

/**
 * Every change gets the next seq, stored with the record, so a client can ask for everything after
 * the last seq it saw. Announcements wait until the change is on disk: the socket is a doorbell for
 * state that already survives a crash.
 */
export class Changes {
  private threads = new Set<ThreadSummary>();
  private messages = new Set<Message>();
  private escalations: { seq: number; thread: ThreadSummary; reason: EscalationReason }[] = [];
  publisher: Publisher | null = null;

  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  thread(t: ThreadSummary): void {
    t.seq = this.store.nextSeq();
    t.updatedAt = this.now().toISOString();
    this.store.touch('threads', t.id);
    this.threads.add(t);
  }

  message(m: Message, t: ThreadSummary): void {
    m.seq = this.store.nextSeq();
    this.store.touch('messages', m.id);
    this.messages.add(m);
    this.thread(t);
  }

  /** The thread breached its SLA: a change of the thread, announced as an escalation too. */
  escalation(t: ThreadSummary, reason: EscalationReason): void {
    this.thread(t);
    this.escalations.push({ seq: t.seq, thread: t, reason });
  }

  /** Announce what is durable; anything newer waits for its own write. */
  publish(): void {
    const durable = this.store.durableSeq;
    const due = <T extends { seq: number }>(set: Set<T>) => [...set].filter((x) => x.seq <= durable).sort((a, b) => a.seq - b.seq);
    // A message whose write failed was undone: it is no longer stored and is never announced.
    for (const m of this.messages) if (own(this.store.data.messages, m.id) !== m) this.messages.delete(m);
    const messages = due(this.messages);
    const threads = due(this.threads);
    for (const m of messages) {
      this.messages.delete(m);
      this.publisher?.message({ seq: m.seq, threadId: m.threadId, message: m });
    }
    for (const t of threads) {
      this.threads.delete(t);
      this.publisher?.thread({ seq: t.seq, thread: t });
    }
    const escalations = this.escalations.filter((e) => e.seq <= durable);
    this.escalations = this.escalations.filter((e) => e.seq > durable);
    for (const e of escalations) this.publisher?.escalation({ seq: e.seq, threadId: e.thread.id, reason: e.reason, thread: e.thread });
    if (messages.length + threads.length > 0) this.publisher?.changed();
  }
}
