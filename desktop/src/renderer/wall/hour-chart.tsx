import { For, Show } from 'solid-js';
import type { HourBar } from './wall-model.js';

const W = 900;
const H = 380;
const PAD = { left: 16, right: 16, top: 44, bottom: 46 };

/** Missed calls per hour today (bars) against the usual for this weekday (dashed marks): where staffing falls short. */
export function HourChart(props: { bars: HourBar[]; nowHour: number; weekday: string }) {
  const max = () => Math.max(1, ...props.bars.map((b) => Math.max(b.missed, b.usual ?? 0)));
  const slot = () => (W - PAD.left - PAD.right) / props.bars.length;
  const y = (v: number) => H - PAD.bottom - (v / max()) * (H - PAD.top - PAD.bottom);
  const hasUsual = () => props.bars.some((b) => b.usual !== null);
  return (
    <section class="wall-panel wall-hours" aria-labelledby="wall-hours-h">
      <h2 id="wall-hours-h">
        Missed by hour
        <span class="wall-legend">
          <span class="wall-key wall-key-today" aria-hidden="true" /> today
          <Show when={props.bars.some((b) => b.over)}>
            <span class="wall-key wall-key-over" aria-hidden="true" /> well above usual
          </Show>
          <Show when={hasUsual()}>
            <span class="wall-key wall-key-usual" aria-hidden="true" /> usual {props.weekday}
          </Show>
        </span>
      </h2>
      <svg class="wall-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Missed calls by hour today${hasUsual() ? ` and the usual ${props.weekday}` : ''}`} data-testid="wall-hours">
        <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} class="wall-axis" />
        <For each={props.bars}>
          {(b, i) => {
            const x = () => PAD.left + i() * slot();
            const bw = () => slot() * 0.62;
            return (
              <g classList={{ 'wall-bar-now': b.hour === props.nowHour }}>
                <Show when={b.missed > 0}>
                  <rect x={x() + (slot() - bw()) / 2} y={y(b.missed)} width={bw()} height={H - PAD.bottom - y(b.missed)} rx="4" class="wall-bar" classList={{ 'wall-bar-over': b.over }} />
                  <text x={x() + slot() / 2} y={y(b.missed) - 10} class="wall-bar-val" text-anchor="middle">
                    {b.missed}
                  </text>
                </Show>
                <Show when={b.usual !== null && b.usual > 0}>
                  <line x1={x() + 4} x2={x() + slot() - 4} y1={y(b.usual!)} y2={y(b.usual!)} class="wall-usual" />
                </Show>
                <text x={x() + slot() / 2} y={H - 12} class="wall-hour" text-anchor="middle">
                  {b.label}
                </text>
              </g>
            );
          }}
        </For>
      </svg>
    </section>
  );
}
