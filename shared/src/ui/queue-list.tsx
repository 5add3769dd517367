import { For, Index, Show, type JSX } from 'solid-js';
import type { ThreadSummary } from '../contract/model.js';
import { queueViews, viewLabels, viewNames, type QueueView, type RowState } from '../client/queue.js';
import { QueueRow } from './queue-row.js';
import { RelTime } from './rel-time.js';

export interface QueueListProps {
  view: QueueView;
  counts: Record<QueueView, number> & { breached: number };
  onView: (v: QueueView) => void;
  rows: ThreadSummary[];
  rowState: (t: ThreadSummary) => RowState;
  /** 0–3: how far past the claim SLA a row is (see `lateness`). */
  lateness?: (t: ThreadSummary) => number;
  locationName: (id: string) => string;
  timezone: string;
  /** A row's own location zone (its booking's day and time read there); the panel's zone when absent. */
  timezoneOf?: (locationId: string) => string;
  selectedId: string | null;
  onOpen: (id: string) => void;
  loading: boolean;
  /** The relay is unreachable: rows are the last known state. */
  stale: boolean;
  /** For the empty state: when the last missed call happened, if known. */
  lastMissedAt: string | null;
  /** Search and filters, shown between the tabs and the rows. */
  filters?: JSX.Element;
  /** The rows are narrowed by a search or filter (the empty state says so). */
  filtered?: boolean;
  /** Bulk selection: the picked ids and the toggle, present while staff pick rows. */
  picked?: ReadonlySet<string>;
  onPick?: (id: string) => void;
}

const emptyText: Record<QueueView, string> = {
  unclaimed: 'Nobody is waiting for a call back.',
  mine: "You haven't claimed any callers.",
  open: 'No open threads.',
  done: 'Nothing resolved yet today.',
};

export function QueueTabs(props: Pick<QueueListProps, 'view' | 'counts' | 'onView'> & { loading?: boolean }) {
  const tone = (v: QueueView) => (v === 'unclaimed' && props.counts.breached > 0 ? 'red' : v === 'unclaimed' && props.counts.unclaimed > 0 ? 'amber' : undefined);
  // Arrow keys, Home and End move between tabs (one tab stop for the whole strip).
  const onKey = (e: KeyboardEvent) => {
    const i = queueViews.indexOf(props.view);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: queueViews.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = queueViews[(to + queueViews.length) % queueViews.length]!;
    props.onView(next);
    queueMicrotask(() => (e.currentTarget as HTMLElement | null)?.querySelector<HTMLElement>(`[data-view="${next}"]`)?.focus());
  };
  return (
    <div class="rb-tabs" role="tablist" aria-label="Queues" onKeyDown={onKey}>
      <For each={queueViews}>
        {(v) => (
          <button
            type="button"
            role="tab"
            class="rb-tab"
            aria-selected={props.view === v}
            tabindex={props.view === v ? 0 : -1}
            data-view={v}
            title={viewNames[v]}
            onClick={() => props.onView(v)}
          >
            {viewLabels[v]}
            <span class="rb-sr">: </span>
            <span class="rb-count" data-tone={tone(v)}>
              {props.loading ? '–' : props.counts[v]}
            </span>
          </button>
        )}
      </For>
    </div>
  );
}

/** Tabs with counts, then the rows; skeleton while loading, a calm message when empty. */
export function QueueList(props: QueueListProps) {
  return (
    <>
      <QueueTabs view={props.view} counts={props.counts} onView={props.onView} loading={props.loading} />
      {props.filters}
      <div class="rb-scroll" role="tabpanel" aria-busy={props.loading}>
        <Show
          when={!props.loading}
          fallback={
            <div role="status" aria-label="Loading the queue">
              <Index each={[0, 1, 2, 3]}>
                {() => (
                  <div class="rb-skel">
                    <span />
                    <span />
                  </div>
                )}
              </Index>
            </div>
          }
        >
          <Show
            when={props.rows.length > 0}
            fallback={
              props.filtered ? (
                <div class="rb-empty" role="status">
                  <strong>No callers match</strong>
                  <span>Nothing in {viewNames[props.view].toLowerCase()} fits this search or filter.</span>
                </div>
              ) : (
              <div class="rb-empty" role="status">
                <span class="rb-empty-icon" aria-hidden="true">
                  ✓
                </span>
                <strong>{props.view === 'unclaimed' || props.view === 'open' ? 'All caught up' : emptyText[props.view]}</strong>
                <Show when={props.view === 'unclaimed' || props.view === 'open'}>
                  <span>
                    {emptyText[props.view]}
                    <Show when={props.lastMissedAt} keyed>
                      {(at) => (
                        <>
                          {' '}
                          Last missed call <RelTime at={at} timezone={props.timezone} suffix=" ago" />.
                        </>
                      )}
                    </Show>
                  </span>
                </Show>
              </div>
              )
            }
          >
            <ul class="rb-list" data-stale={props.stale} aria-label={`${viewNames[props.view]} callers`}>
              <For each={props.rows}>
                {(t) => (
                  <QueueRow
                    thread={t}
                    state={props.rowState(t)}
                    late={props.lateness?.(t) ?? 0}
                    locationName={props.locationName(t.locationId)}
                    timezone={props.timezoneOf?.(t.locationId) ?? props.timezone}
                    selected={props.selectedId === t.id}
                    onOpen={props.onOpen}
                    picked={props.picked?.has(t.id)}
                    onPick={props.onPick}
                  />
                )}
              </For>
            </ul>
          </Show>
        </Show>
      </div>
    </>
  );
}
