import { For, Show } from 'solid-js';
import type { FunnelStrip as Strip } from './wall-model.js';

/** Today's booking funnel in one line: each step's count, its share of the step before, who booked, how fast. */
export function FunnelStrip(props: { strip: Strip }) {
  return (
    // The arrows say what it is; the heading's width goes to the figures.
    <section class="wall-funnel" aria-label="Booking funnel today" data-testid="wall-funnel">
      <ol class="wall-funnel-steps">
        <For each={props.strip.steps}>
          {(s, i) => (
            <li class="wall-funnel-step" data-tone={s.tone} data-testid={`funnel-${s.key}`}>
              <Show when={i() > 0}>
                <span class="wall-funnel-arrow" aria-hidden="true">
                  →
                </span>
              </Show>
              <span class="wall-funnel-label">{s.label}</span>
              <span class="wall-funnel-value">{s.value}</span>
              <Show when={s.rate}>{(r) => <span class="wall-funnel-rate">{r()}</span>}</Show>
            </li>
          )}
        </For>
      </ol>
      <div class="wall-funnel-note" data-testid="funnel-note">
        <Show when={props.strip.variants}>{(v) => <span data-testid="funnel-ab">{v()}</span>}</Show>
        <Show when={props.strip.by} fallback={<span>no bookings yet</span>}>
          {(by) => <span>booked by {by()}</span>}
        </Show>
        <Show when={props.strip.timeToBooking}>
          {(t) => (
            <span>
              median <b>{t()}</b> call to booking
            </span>
          )}
        </Show>
      </div>
    </section>
  );
}
