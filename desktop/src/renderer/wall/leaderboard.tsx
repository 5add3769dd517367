import { For, Show } from 'solid-js';
import type { StaffRow } from './wall-model.js';

/** Staff today: who claimed, replied and booked. Names and numbers, big enough for the back of the room. */
export function Leaderboard(props: { rows: StaffRow[] }) {
  return (
    <section class="wall-staff" aria-labelledby="wall-staff-h" data-testid="wall-staff">
      <h2 id="wall-staff-h">Staff today</h2>
      <Show when={props.rows.length > 0} fallback={<p class="wall-staff-none">No callbacks claimed yet today</p>}>
        <ol class="wall-staff-list">
          <For each={props.rows}>
            {(r) => (
              <li class="wall-staff-item">
                <span class="wall-staff-name">{r.name}</span>
                <span class="wall-staff-nums">
                  <b>{r.claimed}</b> claimed · <b>{r.replied}</b> replied · <b>{r.booked}</b> booked
                </span>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </section>
  );
}
