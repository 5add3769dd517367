import { For, Show } from 'solid-js';
import type { ThreadSummary } from '@ringback/shared';
import { breachesSla, waitingSince } from '@ringback/shared/client';
import { ago, callerLabel, textBackLabel } from '@ringback/shared/ui';

const MAX_ROWS = 6;

/** Unclaimed callers, longest wait first; red with words past the SLA, amber before. Never scrolls. */
export function WaitingList(props: { threads: readonly ThreadSummary[]; now: number; claimMinutes: number; lastMissedAt: string | null }) {
  const rows = () => props.threads.filter((t) => t.status === 'open' && !t.claim).sort((a, b) => waitingSince(a).localeCompare(waitingSince(b)));
  return (
    <section class="wall-panel wall-waiting" aria-labelledby="wall-waiting-h">
      <h2 id="wall-waiting-h">
        Waiting now <span class="wall-count">{rows().length}</span>
      </h2>
      <Show
        when={rows().length > 0}
        fallback={
          <div class="wall-empty" data-testid="wall-caught-up">
            <div class="wall-empty-big">✓ All caught up</div>
            <Show when={props.lastMissedAt}>{(at) => <div class="wall-empty-sub">last missed call {ago(at(), props.now) === 'just now' ? 'just now' : `${ago(at(), props.now)} ago`}</div>}</Show>
          </div>
        }
      >
        <ol class="wall-rows" data-testid="wall-waiting">
          <For each={rows().slice(0, MAX_ROWS)}>
            {(t) => {
              const late = () => breachesSla(t, props.now, props.claimMinutes);
              const tb = () => textBackLabel(t);
              return (
                <li class="wall-row" data-state={late() ? 'breached' : 'unclaimed'}>
                  <span class="wall-row-age">{ago(waitingSince(t), props.now)}</span>
                  <span class="wall-row-who">{callerLabel(t)}</span>
                  <span class="wall-row-tb" data-tone={tb().tone}>
                    {tb().icon} {tb().text}
                  </span>
                  <span class="wall-row-flag">{late() ? '▲ PAST SLA' : 'waiting'}</span>
                </li>
              );
            }}
          </For>
        </ol>
        <Show when={rows().length > MAX_ROWS}>
          <div class="wall-more">+ {rows().length - MAX_ROWS} more waiting</div>
        </Show>
      </Show>
    </section>
  );
}
