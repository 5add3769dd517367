import type { Message, Metrics, ThreadSummary } from './model.js';

/** Socket.IO events, one interface for the relay and every client. Each payload carries its change's seq. */
export interface ServerToClientEvents {
  thread: (p: { seq: number; thread: ThreadSummary }) => void;
  message: (p: { seq: number; threadId: string; message: Message }) => void;
  metrics: (p: { seq: number; metrics: Metrics }) => void;
  escalation: (p: { seq: number; threadId: string; reason: 'unclaimed' | 'no-reply'; thread: ThreadSummary }) => void;
}

/** Commands go over REST; the socket only pushes. */
export type ClientToServerEvents = Record<string, never>;

export interface SocketAuth {
  token: string;
}
