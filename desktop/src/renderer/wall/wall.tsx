import { createMemo, createSignal, For, Index, onCleanup, Show } from 'solid-js';
import { useQuery, useQueryClient } from '@tanstack/solid-query';
import { isRelayError, keys, type ConnectionState, type RelaySync } from '@ringback/shared/client';
import { BadToken, ConnectionDot, OfflineBanner } from '@ringback/shared/ui';
import { FigureTile } from './figure-tile.js';
import { FunnelStrip } from './funnel-strip.js';
import { HourChart } from './hour-chart.js';
import { Leaderboard } from './leaderboard.js';
import { WaitingList } from './waiting-list.js';
import { figures, funnelStrip, hours, leaderboard, nowTiles, timings } from './wall-model.js';

/** A one-second clock for the header time and the ages; the wall is read at a glance, so it must be exact. */
function useClock() {
  const [t, setT] = createSignal(Date.now());
  const id = setInterval(() => setT(Date.now()), 1000);
  onCleanup(() => clearInterval(id));
  return t;
}

const fmt = (tz: string, o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-US', { timeZone: tz, ...o });

/**
 * The manager's live wall: right now (waiting, past SLA, urgent, oldest wait), today's figures, timings against the SLA, the booking funnel, who is waiting, missed calls by hour,
 * staff. Fed by `metrics` and `thread` pushes through the shared sync; nothing polls.
 */
export function Wall(props: { sync: RelaySync; onOpenSettings: () => void }) {
  const qc = useQueryClient();
  const api = props.sync.api;
  const retry = (n: number, e: unknown) => !isRelayError(e, 'unauthorized') && n < 2;
  const me = useQuery(() => ({ queryKey: keys.me, queryFn: () => api.me(), staleTime: 60_000, retry }));
  const metrics = useQuery(() => ({ queryKey: keys.metrics, queryFn: () => api.metrics(), staleTime: Infinity, retry }));
  const open = useQuery(() => ({ queryKey: keys.open, queryFn: () => props.sync.fetchOpen(), staleTime: Infinity, retry }));

  const [conn, setConn] = createSignal<ConnectionState>(props.sync.connection());
  onCleanup(props.sync.onConnection((s) => {
    setConn(s);
    // Back from an outage: the figures may have moved without a push reaching us.
    if (s.kind === 'live') void qc.invalidateQueries({ queryKey: keys.metrics });
  }));
  const now = useClock();

  const tz = () => me.data?.locations[0]?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const claimMinutes = () => me.data?.sla.claimMinutes ?? 5;
  const unauthorized = () => conn().kind === 'unauthorized' || [me.error, metrics.error, open.error].some((e) => isRelayError(e, 'unauthorized'));
  const offline = () => conn().kind === 'offline' || [me.error, metrics.error, open.error].some((e) => isRelayError(e, 'unreachable'));
  const nowHour = () => Number(fmt(tz(), { hour: 'numeric', hourCycle: 'h23' }).format(now()));

  // Index, not For: the figures are rebuilt on each push, and a tile must see its own previous value to pulse.
  const figs = createMemo(() => (metrics.data ? figures(metrics.data) : []));
  const tiles = createMemo(() => nowTiles(open.data?.threads ?? [], now(), claimMinutes()));
  const times = createMemo(() => (metrics.data ? timings(metrics.data, claimMinutes()) : []));
  const bars = createMemo(() => (metrics.data ? hours(metrics.data, nowHour()) : null));
  const staff = createMemo(() => (metrics.data ? leaderboard(metrics.data) : null));
  const funnel = createMemo(() => (metrics.data ? funnelStrip(metrics.data) : null));
  const lastMissedAt = () =>
    (open.data?.threads ?? []).reduce<string | null>((a, t) => (t.lastMissedAt && (!a || t.lastMissedAt > a) ? t.lastMissedAt : a), null);

  return (
    <div class="wall" classList={{ 'wall-stale': offline() }} data-testid="wall">
      <header class="wall-head">
        <h1>
          {me.data?.business.name ?? 'Ringback'} <span class="wall-today">· today, {fmt(tz(), { weekday: 'long', month: 'short', day: 'numeric' }).format(now())}</span>
        </h1>
        <div class="wall-status">
          <ConnectionDot state={unauthorized() ? { kind: 'unauthorized' } : conn()} />
          <time class="wall-clock">{fmt(tz(), { hour: 'numeric', minute: '2-digit' }).format(now())}</time>
        </div>
      </header>
      <Show when={!unauthorized()} fallback={<div class="wall-center"><BadToken onOpenSettings={props.onOpenSettings} /></div>}>
        <Show when={offline()}>
          <OfflineBanner
            retryAt={(() => {
              const c = conn();
              return c.kind === 'offline' ? c.retryAt : null;
            })()}
            since={metrics.dataUpdatedAt ? new Date(metrics.dataUpdatedAt).toISOString() : null}
            timezone={tz()}
            onRetry={() => {
              props.sync.retryNow();
              void qc.refetchQueries({ type: 'active' });
            }}
          />
        </Show>
        <Show when={metrics.data && me.data} fallback={<WallSkeleton />}>
          <div class="wall-now" data-testid="wall-now">
            <Index each={tiles()}>{(f) => <FigureTile figure={f()} big />}</Index>
          </div>
          <div class="wall-figs" data-testid="wall-figures">
            <Index each={figs()}>{(f) => <FigureTile figure={f()} />}</Index>
          </div>
          <div class="wall-times">
            <For each={times()}>
              {(t) => (
                <div class="wall-time" data-over={t.over ? 'yes' : 'no'} data-testid={`time-${t.key}`}>
                  <span class="wall-time-label">{t.label}</span>
                  <span class="wall-time-value">
                    {t.text}
                    {/* The SLA itself is on the Past SLA tile; here only when a timing is over it. */}
                    <Show when={t.over}>
                      <span class="wall-time-sla"> ▲ over SLA {claimMinutes()} min</span>
                    </Show>
                  </span>
                </div>
              )}
            </For>
          </div>
          <Show when={funnel()}>{(f) => <FunnelStrip strip={f()} />}</Show>
          <div class="wall-main" classList={{ 'wall-main-single': !bars() }}>
            <WaitingList threads={open.data?.threads ?? []} now={now()} claimMinutes={claimMinutes()} timezone={tz()} lastMissedAt={lastMissedAt()} />
            <Show when={bars()}>{(b) => <HourChart bars={b()} nowHour={nowHour()} weekday={fmt(tz(), { weekday: 'long' }).format(now())} />}</Show>
          </div>
          <Show when={staff()}>{(rows) => <Leaderboard rows={rows()} />}</Show>
        </Show>
      </Show>
    </div>
  );
}

/** Loading: the wall's shape in grey, never a blank screen. */
function WallSkeleton() {
  return (
    <div class="wall-skeleton" aria-busy="true" aria-label="Loading today's figures" data-testid="wall-loading">
      <div class="wall-now">
        <For each={[1, 2, 3, 4]}>{() => <div class="wall-fig wall-fig-big wall-sk" />}</For>
      </div>
      <div class="wall-figs">
        <For each={[1, 2, 3, 4, 5, 6, 7]}>{() => <div class="wall-fig wall-sk" />}</For>
      </div>
      <div class="wall-main">
        <div class="wall-panel wall-sk" />
        <div class="wall-panel wall-sk" />
      </div>
    </div>
  );
}
