/** TanStack Query keys: one place, so socket updates and screens agree. */
export const keys = {
  me: ['me'] as const,
  open: ['threads', 'open'] as const,
  resolved: ['threads', 'resolved'] as const,
  thread: (id: string) => ['thread', id] as const,
  metrics: ['metrics'] as const,
  quickReplies: (threadId: string) => ['quick-replies', threadId] as const,
  staff: ['staff'] as const,
};

/** What the thread lists hold: the threads and the seq the relay had when it answered. */
export interface ThreadListData {
  threads: import('../contract/model.js').ThreadSummary[];
  seq: number;
}
