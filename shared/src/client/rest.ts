import type {
  ApiError,
  EventsReply,
  MeReply,
  MessageReply,
  MetricsReply,
  NoteReply,
  ReviewLinkReply,
  ThreadDetailReply,
  ThreadListReply,
  ThreadReply,
} from '../contract/api.js';
import type { CallbackReply, ContactReply, QuickReplyListReply, StaffListReply } from '../contract/desk.js';
import type { Outcome, ThreadSummary } from '../contract/model.js';
import { RelayError, errorKind } from './errors.js';
import type { RelaySettings } from './settings.js';

const TIMEOUT_MS = 10_000;

/** Typed calls to the staff REST API. Every failure is a RelayError. */
export function createRelayApi(settings: RelaySettings, fetchImpl: typeof fetch = (...a) => fetch(...a)) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetchImpl(settings.relayUrl + path, {
        method,
        headers: {
          authorization: `Bearer ${settings.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw new RelayError('unreachable', 0, 'unreachable', `Can't reach the relay at ${settings.relayUrl}`);
    }
    const text = await res.text().catch(() => '');
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // A proxy's HTML error page, say: reported below by status.
    }
    if (!res.ok) {
      const err = (parsed as ApiError | null)?.error;
      const code = err?.code ?? `http-${res.status}`;
      const message = err?.message ?? (res.status >= 500 ? 'The relay had a problem; try again.' : `The relay answered ${res.status}.`);
      throw new RelayError(errorKind(res.status, code), res.status, code, message, err?.owner);
    }
    return parsed as T;
  }
  const id = encodeURIComponent;

  return {
    url: settings.relayUrl,
    me: () => call<MeReply>('GET', '/api/me'),
    threadPage: (status: 'open' | 'resolved', cursor?: string, limit = 500) =>
      call<ThreadListReply>('GET', `/api/threads?status=${status}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`),
    /** Every open thread (a front desk has tens, not thousands), following the cursor. */
    async openThreads(): Promise<{ threads: ThreadSummary[]; seq: number }> {
      const first = await this.threadPage('open');
      const threads = [...first.threads];
      let cursor = first.nextCursor;
      while (cursor) {
        const page = await this.threadPage('open', cursor);
        threads.push(...page.threads);
        cursor = page.nextCursor;
      }
      return { threads, seq: first.seq };
    },
    thread: (threadId: string) => call<ThreadDetailReply>('GET', `/api/threads/${id(threadId)}`),
    claim: (threadId: string) => call<ThreadReply>('POST', `/api/threads/${id(threadId)}/claim`),
    release: (threadId: string) => call<ThreadReply>('POST', `/api/threads/${id(threadId)}/release`),
    resolve: (threadId: string, outcome: Outcome, value?: number) =>
      call<ThreadReply>('POST', `/api/threads/${id(threadId)}/resolve`, value === undefined ? { outcome } : { outcome, value }),
    reply: (threadId: string, text: string, clientId: string) =>
      call<MessageReply>('POST', `/api/threads/${id(threadId)}/messages`, { text, clientId }),
    /** Withdraw a text still waiting to go out (409 once it has gone). */
    cancelMessage: (threadId: string, messageId: string) =>
      call<MessageReply>('POST', `/api/threads/${id(threadId)}/messages/${id(messageId)}/cancel`, {}),
    note: (threadId: string, text: string) => call<NoteReply>('POST', `/api/threads/${id(threadId)}/notes`, { text }),
    /** A single-use, 5-minute browser link to the monthly review (managers). */
    reviewLink: (month?: string) => call<ReviewLinkReply>('POST', '/api/reports/monthly/link', month ? { month } : {}),
    events: (since: number) => call<EventsReply>('GET', `/api/events?since=${since}`),
    metrics: () => call<MetricsReply>('GET', '/api/metrics'),
    /** Saved replies, rendered for the thread when one is given. */
    quickReplies: (threadId?: string) =>
      call<QuickReplyListReply>('GET', `/api/quick-replies${threadId ? `?thread=${id(threadId)}` : ''}`),
    callback: (threadId: string) => call<CallbackReply>('POST', `/api/threads/${id(threadId)}/callback`, {}),
    reopen: (threadId: string) => call<ThreadReply>('POST', `/api/threads/${id(threadId)}/reopen`),
    staff: () => call<StaffListReply>('GET', '/api/staff'),
    contact: (contactId: string) => call<ContactReply>('GET', `/api/contacts/${id(contactId)}`),
    assign: (threadId: string, staffId: string) => call<ThreadReply>('POST', `/api/threads/${id(threadId)}/assign`, { staffId }),
    reviewOptOut: (threadId: string, decision: 'confirm' | 'dismiss') =>
      call<ThreadReply>('POST', `/api/threads/${id(threadId)}/opt-out-review`, { decision }),
  };
}

export type RelayApi = ReturnType<typeof createRelayApi>;
