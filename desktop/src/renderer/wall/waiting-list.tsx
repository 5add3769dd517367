import { For, Show } from 'solid-js';
import type { ThreadSummary } from '@ringback/shared';
import { breachesSla, waitingSince } from '@ringback/shared/client';
import { ago, callerLabel, textBackLabel } from '@ringback/shared/ui';
import { waitingRows } from './wall-model.js';

const MAX_ROWS = 5;

/**
 * Unclaimed callers: urgent first, then the queue's order; red with words past the SLA, amber before. Names are
 * shown in full (they wrap; the status column gives way). Never scrolls; an urgent caller is never in "+N more".
 */
export function WaitingList(props: { threads: readonly ThreadSummary[]; now: number; claimMinutes: number; timezone: string; lastMissedAt: string | null }) {
  const list = () => waitingRows(props.threads, props.now, props.claimMinutes, props.timezone, MAX_ROWS);
  const total = () => list().rows.length + list().more;
  return (
    <section class="wall-panel wall-waiting" aria-labelledby="wall-waiting-h">
      <h2 id="wall-waiting-h">
        Waiting now <span class="wall-count">{total()}</span>
      </h2>
      <Show
        when={total() > 0}
        fallback={
          <div class="wall-empty" data-testid="wall-caught-up">
            <div class="wall-empty-big">✓ All caught up</div>
            <Show when={props.lastMissedAt}>{(at) => <div class="wall-empty-sub">last missed call {ago(at(), props.now) === 'just now' ? 'just now' : `${ago(at(), props.now)} ago`}</div>}</Show>
          </div>
        }
      >
        <ol class="wall-rows" classList={{ 'wall-rows-dense': list().rows.length > MAX_ROWS }} data-testid="wall-waiting">
          <For each={list().rows}>
            {(t) => {
              const late = () => breachesSla(t, props.now, props.claimMinutes);
              const tb = () => textBackLabel(t);
              return (
                <li class="wall-row" data-state={late() ? 'breached' : 'unclaimed'} data-urgent={t.urgent ? 'yes' : undefined}>
                  <span class="wall-row-age">{ago(waitingSince(t), props.now)}</span>
                  <span class="wall-row-who" data-testid="wall-row-name">{callerLabel(t)}</span>
                  <span class="wall-row-status">
                    <Show when={t.urgent}>
                      <span class="wall-row-urgent">⚠ URGENT</span>
                    </Show>
                    <span class="wall-row-flag">{late() ? '▲ PAST SLA' : 'waiting'}</span>
                    <span class="wall-row-tb" data-tone={tb().tone}>
                      {tb().icon} {tb().text}
                    </span>
                  </span>
                </li>
              );
            }}
          </For>
        </ol>
        <Show when={list().more > 0}>
          <div class="wall-more" data-testid="wall-more">+ {list().more} more waiting</div>
        </Show>
      </Show>
    </section>
  );
}
