import type { QueryClient } from '@tanstack/query-core';
import type { ThreadDetailReply } from '../contract/api.js';
import type { Message, ThreadSummary } from '../contract/model.js';
import { keys, type ThreadListData } from './keys.js';

/** Put a thread into the list for its status and out of the other; an older copy never wins. */
export function withThread(list: ThreadListData | undefined, thread: ThreadSummary, status: 'open' | 'resolved'): ThreadListData | undefined {
  if (!list) return list;
  const i = list.threads.findIndex((t) => t.id === thread.id);
  const existing = i >= 0 ? list.threads[i] : undefined;
  if (existing && existing.seq >= thread.seq) return list;
  const threads = list.threads.filter((t) => t.id !== thread.id);
  if (thread.status === status) threads.push(thread);
  return { threads, seq: Math.max(list.seq, thread.seq) };
}

/** Add or replace a message in a thread's detail, keeping time order. */
export function withMessage(detail: ThreadDetailReply | undefined, message: Message): ThreadDetailReply | undefined {
  if (!detail) return detail;
  const existing = detail.messages.find((m) => m.id === message.id);
  if (existing && existing.seq >= message.seq) return detail;
  const messages = detail.messages.filter((m) => m.id !== message.id);
  messages.push(message);
  messages.sort((a, b) => a.at.localeCompare(b.at) || a.seq - b.seq);
  return { ...detail, messages };
}

export function applyThread(qc: QueryClient, thread: ThreadSummary): void {
  qc.setQueryData<ThreadListData>(keys.open, (l) => withThread(l, thread, 'open'));
  qc.setQueryData<ThreadListData>(keys.resolved, (l) => withThread(l, thread, 'resolved'));
  const detailKey = keys.thread(thread.id);
  const detail = qc.getQueryData<ThreadDetailReply>(detailKey);
  if (detail && detail.thread.seq < thread.seq) {
    qc.setQueryData<ThreadDetailReply>(detailKey, { ...detail, thread });
    // Calls and notes have no event of their own; the thread's seq moving is the doorbell for them.
    void qc.invalidateQueries({ queryKey: detailKey });
  }
}

export function applyMessage(qc: QueryClient, message: Message): void {
  qc.setQueryData<ThreadDetailReply>(keys.thread(message.threadId), (d) => withMessage(d, message));
}
