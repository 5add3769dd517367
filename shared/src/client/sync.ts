import type { QueryClient } from '@tanstack/query-core';
import type { ThreadDetailReply } from '../contract/api.js';
import type { Message, ThreadSummary } from '../contract/model.js';
import type { ServerToClientEvents } from '../contract/events.js';
import { applyMessage, applyThread, withMessage, withThread } from './cache.js';
import { keys, type ThreadListData } from './keys.js';
import { connectLive, type ConnectionState, type Live } from './live.js';
import type { RelayApi } from './rest.js';
import type { RelaySettings } from './settings.js';

export interface RelaySync {
  api: RelayApi;
  /** Query functions that fold in pushes that raced with the fetch. */
  fetchOpen(): Promise<ThreadListData>;
  fetchResolved(): Promise<ThreadListData>;
  fetchThread(id: string): Promise<ThreadDetailReply>;
  lastSeq(): number;
  /** Ask the relay what changed since the last seq we saw, and apply it. */
  resync(): Promise<void>;
  connection(): ConnectionState;
  onConnection(fn: (s: ConnectionState) => void): () => void;
  retryNow(): void;
  close(): void;
}

export interface SyncOptions {
  /** Extra listeners (notifications, badge) beside the cache updates. */
  on?: Partial<ServerToClientEvents>;
  connect?: (settings: RelaySettings, handlers: Parameters<typeof connectLive>[1]) => Live;
}

/**
 * The live cache: REST fills TanStack Query, Socket.IO pushes patch it, and every (re)connect asks
 * GET /api/events?since=<last seq> so nothing missed while offline or asleep stays missed.
 */
export function createRelaySync(qc: QueryClient, api: RelayApi, settings: RelaySettings, opts: SyncOptions = {}): RelaySync {
  let seq = 0;
  // Pushes newer than an in-flight fetch would be overwritten by its older snapshot; keep them to fold back in.
  const recentThreads = new Map<string, ThreadSummary>();
  const recentMessages = new Map<string, Message>();
  const listeners = new Set<(s: ConnectionState) => void>();
  const see = (s: number) => {
    if (s > seq) seq = s;
  };

  const thread = (t: ThreadSummary) => {
    see(t.seq);
    recentThreads.set(t.id, t);
    applyThread(qc, t);
  };
  const message = (m: Message) => {
    see(m.seq);
    recentMessages.set(m.id, m);
    applyMessage(qc, m);
  };

  const foldList = (l: ThreadListData, status: 'open' | 'resolved'): ThreadListData => {
    see(l.seq);
    let out: ThreadListData = l;
    for (const t of recentThreads.values()) if (t.seq > l.seq) out = withThread(out, t, status)!;
    return out;
  };

  let resyncing: Promise<void> | null = null;
  async function resync(): Promise<void> {
    if (resyncing) return resyncing;
    resyncing = (async () => {
      if (seq === 0) {
        await qc.invalidateQueries();
        return;
      }
      const r = await api.events(seq);
      for (const t of r.threads) thread(t);
      for (const m of r.messages) message(m);
      see(r.seq);
    })().finally(() => {
      resyncing = null;
    });
    return resyncing;
  }

  const live = (opts.connect ?? connectLive)(settings, {
    thread: (p) => {
      thread(p.thread);
      opts.on?.thread?.(p);
    },
    message: (p) => {
      message(p.message);
      opts.on?.message?.(p);
    },
    metrics: (p) => {
      qc.setQueryData(keys.metrics, p.metrics);
      opts.on?.metrics?.(p);
    },
    escalation: (p) => {
      thread(p.thread);
      opts.on?.escalation?.(p);
    },
    connected: () => {
      resync().catch(() => void qc.invalidateQueries());
    },
    state: (s) => {
      for (const fn of listeners) fn(s);
    },
  });

  return {
    api,
    async fetchOpen() {
      const r = await api.openThreads();
      return foldList(r, 'open');
    },
    async fetchResolved() {
      const r = await api.threadPage('resolved', undefined, 200);
      return foldList({ threads: r.threads, seq: r.seq }, 'resolved');
    },
    async fetchThread(id) {
      const d = await api.thread(id);
      see(d.seq);
      let out: ThreadDetailReply = d;
      const t = recentThreads.get(id);
      if (t && t.seq > d.thread.seq) out = { ...out, thread: t };
      for (const m of recentMessages.values()) if (m.threadId === id && m.seq > d.seq) out = withMessage(out, m)!;
      return out;
    },
    lastSeq: () => seq,
    resync,
    connection: () => live.state(),
    onConnection(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    retryNow: () => live.retryNow(),
    close: () => live.close(),
  };
}
