import { createEffect, createMemo, createSignal, on, onCleanup, Show } from 'solid-js';
import { useQuery, useQueryClient } from '@tanstack/solid-query';
import type { ThreadSummary } from '../contract/model.js';
import { applyMessage, applyThread } from '../client/cache.js';
import { isRelayError } from '../client/errors.js';
import { keys } from '../client/keys.js';
import type { ConnectionState } from '../client/live.js';
import { newClientId } from '../client/new-client-id.js';
import { isFiltered, lateness, matchesFilter, noFilter, queueCounts, queueRows, rowState, type QueueFilter, type QueueView } from '../client/queue.js';
import type { RelaySync } from '../client/sync.js';
import { now } from './clock.js';
import { BadToken, ConnectionDot, OfflineBanner } from './connection.js';
import { QueueFilters } from './queue-filters.js';
import { BulkBar } from './bulk-bar.js';
import { ContactSidebar } from './contact-sidebar.js';
import { QueueList } from './queue-list.js';
import { ThreadView, type ThreadControls } from './thread-view.js';
import type { SnoozeApi } from './snooze-control.js';

export interface PanelProps {
  sync: RelaySync;
  onOpenSettings: () => void;
  /** A thread to show, e.g. from a notification click; changes over time. */
  openThread?: () => string | null;
  /** A wide window: list, conversation and contact side by side instead of one screen at a time. */
  split?: boolean;
  /** Opens this month's review in the browser (managers); rejects with words for the person. */
  onOpenReview?: () => Promise<void>;
  /** Reminders on threads, where the app keeps them. */
  snooze?: SnoozeApi;
}

const typing = (el: EventTarget | null) =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

/** Words for a failed command, naming the colleague on a claim conflict. */
export function commandError(e: unknown): Error {
  if (isRelayError(e, 'conflict')) return new Error(e.owner ? `${e.owner.name} already claimed this caller.` : e.message);
  if (isRelayError(e, 'unreachable')) return new Error("Can't reach the relay; nothing was changed. Try again.");
  return e instanceof Error ? e : new Error(String(e));
}

/** Opens the monthly review in the browser; a failure goes to `onProblem` (shown under the header). */
function ReviewButton(props: { open: () => Promise<void>; onProblem: (words: string | null) => void }) {
  const [busy, setBusy] = createSignal(false);
  const click = async () => {
    setBusy(true);
    props.onProblem(null);
    try {
      await props.open();
    } catch (e) {
      props.onProblem(`Couldn't open the review: ${commandError(e).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      class="rb-link rb-review-link"
      aria-label="Monthly review"
      disabled={busy()}
      onClick={() => void click()}
      title="This month's figures, printable; opens in your browser"
    >
      {/* A narrow panel keeps room for its title. */}
      <span class="rb-wide-only">Monthly review</span>
      <span class="rb-narrow-only">Review</span>
    </button>
  );
}

/** The queue and thread screen, wired to the relay: the side panel and the desktop queue window both render it. */
export function Panel(props: PanelProps) {
  const qc = useQueryClient();
  const api = props.sync.api;
  const retry = (n: number, e: unknown) => !isRelayError(e, 'unauthorized') && !isRelayError(e, 'not-found') && n < 2;

  const me = useQuery(() => ({ queryKey: keys.me, queryFn: () => api.me(), staleTime: 60_000, retry }));
  const open = useQuery(() => ({ queryKey: keys.open, queryFn: () => props.sync.fetchOpen(), staleTime: Infinity, retry }));
  const resolved = useQuery(() => ({ queryKey: keys.resolved, queryFn: () => props.sync.fetchResolved(), staleTime: Infinity, retry }));

  const [view, setView] = createSignal<QueueView>('unclaimed');
  const [filter, setFilter] = createSignal<QueueFilter>(noFilter);
  // Bulk actions: whether rows show checkboxes, and which are picked.
  const [selecting, setSelecting] = createSignal(false);
  const [picked, setPicked] = createSignal<ReadonlySet<string>>(new Set());
  const pick = (id: string) =>
    setPicked((p) => {
      const next = new Set(p);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const stopSelecting = () => {
    setSelecting(false);
    setPicked(new Set<string>());
  };
  const [selected, setSelected] = createSignal<string | null>(null);
  const [threadId, setThreadId] = createSignal<string | null>(null);
  // Read the signal, not <Show>'s accessor: handlers may run while the view is leaving.
  const tid = () => threadId() ?? '';
  const [conn, setConn] = createSignal<ConnectionState>(props.sync.connection());
  const [fetchedAt, setFetchedAt] = createSignal<string | null>(null);
  onCleanup(props.sync.onConnection(setConn));

  const detail = useQuery(() => ({
    queryKey: keys.thread(threadId() ?? ''),
    queryFn: () => props.sync.fetchThread(threadId()!),
    enabled: threadId() !== null,
    staleTime: Infinity,
    // Threads opened today stay readable offline (the number to call by phone is in them).
    gcTime: 12 * 3600_000,
    retry,
  }));

  // Back from a thread, focus returns to its row in the list.
  createEffect(
    on(threadId, (id, prev) => {
      if (id === null && prev) queueMicrotask(() => document.querySelector<HTMLElement>(`[data-thread-id="${CSS.escape(prev)}"]`)?.focus());
    }),
  );
  if (props.openThread) createEffect(on(props.openThread, (id) => id && (setThreadId(id), setSelected(id))));
  createEffect(() => {
    if (open.dataUpdatedAt) setFetchedAt(new Date(open.dataUpdatedAt).toISOString());
  });

  const manager = () => me.data?.staff.role === 'manager';
  const [reviewProblem, setReviewProblem] = createSignal<string | null>(null);
  // Managers hand threads to colleagues: the active staff list, fetched only for them.
  const staffList = useQuery(() => ({
    queryKey: keys.staff,
    queryFn: async () => (await api.staff()).staff.filter((s) => !s.revokedAt).map((s) => ({ id: s.id, name: s.name })),
    enabled: manager(),
    staleTime: 60_000,
    retry: false,
  }));
  const location = (id: string) => me.data?.locations.find((l) => l.id === id);
  // A one-location practice does not need "Main St" on every row.
  const rowLocation = (id: string) => ((me.data?.locations.length ?? 0) > 1 ? (location(id)?.name ?? '') : '');
  const timezone = () => me.data?.locations[0]?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const ctx = () => ({ meId: me.data?.staff.id ?? '', now: now(), claimMinutes: me.data?.sla.claimMinutes ?? 5, timezone: timezone() });
  const openThreads = () => open.data?.threads ?? [];
  const resolvedThreads = () => resolved.data?.threads ?? [];
  const rows = createMemo(() => queueRows(view(), openThreads(), resolvedThreads(), ctx()).filter((t) => matchesFilter(t, filter())));
  const counts = createMemo(() => queueCounts(openThreads(), resolvedThreads(), ctx()));
  const stateOf = (t: ThreadSummary) => rowState(t, ctx().meId, ctx().now, ctx().claimMinutes);
  const lastMissedAt = () =>
    [...openThreads(), ...resolvedThreads()].reduce<string | null>((a, t) => (t.lastMissedAt && (!a || t.lastMissedAt > a) ? t.lastMissedAt : a), null);

  const unauthorized = () =>
    conn().kind === 'unauthorized' || [me.error, open.error].some((e) => isRelayError(e, 'unauthorized'));
  const offline = () => conn().kind === 'offline' || isRelayError(open.error, 'unreachable') || isRelayError(me.error, 'unreachable');
  const loading = () => open.data === undefined || me.data === undefined;

  const current = () => detail.data?.thread ?? (threadId() ? [...openThreads(), ...resolvedThreads()].find((t) => t.id === threadId()) : undefined);

  const retryNow = () => {
    props.sync.retryNow();
    void qc.refetchQueries({ type: 'active' });
  };

  // Commands: apply the reply at once; the socket push that follows is a no-op by seq.
  const withThread = async (p: Promise<{ thread: ThreadSummary }>) => {
    try {
      applyThread(qc, (await p).thread);
    } catch (e) {
      throw commandError(e);
    }
  };
  const actions = {
    claim: (id: string) => withThread(api.claim(id)),
    release: (id: string) => withThread(api.release(id)),
    resolve: (id: string, o: Parameters<typeof api.resolve>[1], v?: number) => withThread(api.resolve(id, o, v)),
    assign: (id: string, staffId: string) => withThread(api.assign(id, staffId)),
    reopen: (id: string) => withThread(api.reopen(id)),
    reviewOptOut: (id: string, d: 'confirm' | 'dismiss') => withThread(api.reviewOptOut(id, d)),
    /** One command per picked caller; the ones that went through are done, the rest are said in words. */
    async bulk(ids: readonly string[], one: (id: string) => Promise<unknown>) {
      const results = await Promise.allSettled(ids.map(one));
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      const done = new Set(ids.filter((_, i) => results[i]!.status === 'fulfilled'));
      setPicked((p) => new Set([...p].filter((id) => !done.has(id))));
      if (failed.length) throw new Error(`${failed.length} of ${ids.length} could not be changed: ${(failed[0]!.reason as Error).message}`);
      stopSelecting();
    },
    async reply(id: string, text: string) {
      try {
        applyMessage(qc, (await api.reply(id, text, newClientId())).message);
      } catch (e) {
        throw commandError(e);
      }
    },
    async callBack(id: string) {
      try {
        await api.callback(id);
        await qc.invalidateQueries({ queryKey: keys.thread(id) });
      } catch (e) {
        throw commandError(e);
      }
    },
    async note(id: string, text: string) {
      try {
        await api.note(id, text);
        await qc.invalidateQueries({ queryKey: keys.thread(id) });
      } catch (e) {
        throw commandError(e);
      }
    },
  };

  let threadControls: ThreadControls | undefined;
  const move = (step: number) => {
    const list = rows();
    if (list.length === 0) return;
    const i = list.findIndex((t) => t.id === (threadId() ?? selected()));
    const next = list[Math.min(list.length - 1, Math.max(0, i < 0 ? 0 : i + step))]!;
    setSelected(next.id);
    if (threadId()) setThreadId(next.id);
    document.querySelector(`[data-thread-id="${CSS.escape(next.id)}"]`)?.scrollIntoView({ block: 'nearest' });
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.metaKey || e.ctrlKey || e.altKey || typing(e.target)) return;
    if (e.key === 'Escape' && threadId()) return setThreadId(null);
    const sel = threadId() ?? selected();
    switch (e.key) {
      case 'j':
        return move(1);
      case 'k':
        return move(-1);
      case 'Enter':
        if (!threadId() && sel) setThreadId(sel);
        return;
      case 'c':
      case 'e':
      case 'r':
      case 'n':
        if (!sel) return;
        e.preventDefault();
        if (!threadId()) setThreadId(sel);
        queueMicrotask(() => {
          if (e.key === 'c') threadControls?.claim();
          if (e.key === 'e') threadControls?.resolve();
          if (e.key === 'r') threadControls?.reply();
          if (e.key === 'n') threadControls?.note();
        });
    }
  };
  document.addEventListener('keydown', onKey);
  onCleanup(() => document.removeEventListener('keydown', onKey));

  const title = () => {
    const locs = me.data?.locations ?? [];
    return locs.length === 1 ? `Ringback · ${locs[0]!.name}` : me.data ? `Ringback · ${me.data.business.name}` : 'Ringback';
  };
  // Saved replies from the relay, rendered for this caller; the built-in ones while none are saved (or offline).
  const saved = useQuery(() => ({
    queryKey: keys.quickReplies(tid()),
    queryFn: () => api.quickReplies(tid()),
    enabled: tid() !== '',
    staleTime: 60_000,
    retry: false,
  }));
  const builtIn = () => [
    { label: 'When can we call?', text: 'Thanks for getting back to us! When is a good time to call you?' },
    // The caller's own booking page when the relay names one for this thread, else the business's address.
    ...((saved.data?.bookingUrl ?? me.data?.business.bookingUrl)
      ? [{ label: 'Booking link', text: `You can pick a time here: ${saved.data?.bookingUrl ?? me.data!.business.bookingUrl}` }]
      : []),
    { label: 'Calling back soon', text: "We'll call you back within 10 minutes." },
  ];
  const quickReplies = () => {
    const list = saved.data?.quickReplies ?? [];
    return list.length ? list.map((q) => ({ label: q.label, text: q.rendered ?? q.text })) : builtIn();
  };

  const queueList = () => (
    <QueueList
      view={view()}
      counts={counts()}
      onView={setView}
      rows={rows()}
      rowState={stateOf}
      lateness={(t) => lateness(t, ctx().now, ctx().claimMinutes)}
      locationName={rowLocation}
      timezone={timezone()}
      timezoneOf={(id) => location(id)?.timezone ?? timezone()}
      selectedId={selected()}
      onOpen={(id) => {
        setSelected(id);
        setThreadId(id);
      }}
      loading={loading()}
      stale={offline()}
      lastMissedAt={lastMissedAt()}
      filtered={isFiltered(filter())}
      picked={selecting() ? picked() : undefined}
      onPick={selecting() ? pick : undefined}
      filters={
        <>
          <QueueFilters filter={filter()} onChange={setFilter} locations={me.data?.locations ?? []} selecting={selecting()} onSelecting={(on) => (on ? setSelecting(true) : stopSelecting())} />
          <Show when={selecting()}>
            <BulkBar
              count={picked().size}
              staff={manager() ? staffList.data : undefined}
              onResolve={(o) => actions.bulk([...picked()], (id) => actions.resolve(id, o))}
              onAssign={manager() ? (staffId) => actions.bulk([...picked()], (id) => actions.assign(id, staffId)) : undefined}
              onCancel={stopSelecting}
            />
          </Show>
        </>
      }
    />
  );
  const threadView = () => (
    <ThreadView
      detail={detail.data?.thread.id === tid() ? detail.data : undefined}
      summary={current()}
      offline={offline()}
      state={current() ? stateOf(current()!) : null}
      locationName={current() ? (location(current()!.locationId)?.name ?? '') : ''}
      timezone={(current() && location(current()!.locationId)?.timezone) || timezone()}
      quickReplies={quickReplies()}
      onBack={() => setThreadId(null)}
      onClaim={() => actions.claim(tid())}
      onRelease={() => actions.release(tid())}
      onResolve={(o, v) => actions.resolve(tid(), o, v)}
      onReply={(text) => actions.reply(tid(), text)}
      onNote={(text) => actions.note(tid(), text)}
      onCallBack={() => actions.callBack(tid())}
      role={me.data?.staff.role}
      staff={staffList.data}
      onAssign={(staffId) => actions.assign(tid(), staffId)}
      onReopen={() => actions.reopen(tid())}
      onReviewOptOut={(d) => actions.reviewOptOut(tid(), d)}
      averageValue={me.data?.business.averageValue}
      controls={(c) => (threadControls = c)}
      snooze={props.snooze}
      bookingLabels={me.data?.booking}
    />
  );

  return (
    <div class="rb-panel">
      <header class="rb-header">
        <h1>{title()}</h1>
        <Show when={manager() && props.onOpenReview}>
          <ReviewButton open={props.onOpenReview!} onProblem={setReviewProblem} />
        </Show>
        <ConnectionDot state={unauthorized() ? { kind: 'unauthorized' } : offline() && conn().kind !== 'offline' ? { kind: 'offline', retryAt: 0, attempt: 0 } : conn()} />
      </header>
      <Show when={reviewProblem()}>
        <p class="rb-error rb-review-error" role="alert">
          {reviewProblem()}
        </p>
      </Show>
      <Show when={!unauthorized()} fallback={<BadToken onOpenSettings={props.onOpenSettings} />}>
        <Show when={offline()}>
          <OfflineBanner
            retryAt={(() => {
              const c = conn();
              return c.kind === 'offline' ? c.retryAt : null;
            })()}
            since={open.data ? fetchedAt() : null}
            timezone={timezone()}
            onRetry={retryNow}
          />
        </Show>
        <main class="rb-main">
          <Show
            when={props.split}
            fallback={
              <Show when={threadId()} fallback={queueList()}>
                {(_) => threadView()}
              </Show>
            }
          >
            <div class="rb-split">
              <div class="rb-split-list">{queueList()}</div>
              <div class="rb-split-main">
                <Show when={threadId()} fallback={<div class="rb-empty"><strong>Pick a caller</strong><span>Their conversation opens here.</span></div>}>
                  {(_) => threadView()}
                </Show>
              </div>
              <Show when={threadId()}>
                <ContactSidebar detail={detail.data?.thread.id === tid() ? detail.data : undefined} api={api} timezone={timezone()} />
              </Show>
            </div>
          </Show>
        </main>
        <div class="rb-keys" aria-hidden="true">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>c</kbd> claim · <kbd>r</kbd> reply · <kbd>e</kbd> resolve · <kbd>n</kbd> note
        </div>
      </Show>
    </div>
  );
}

