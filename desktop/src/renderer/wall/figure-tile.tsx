import { createEffect, on } from 'solid-js';
import type { Figure } from './wall-model.js';

const calm = () => window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

/** A big KPI figure. When it goes up it pulses once, then holds still (UI.md: nothing moves by itself). */
export function FigureTile(props: { figure: Figure; big?: boolean }) {
  let el!: HTMLDivElement;
  createEffect(
    on(
      () => props.figure.value,
      (v, prev) => {
        if (prev !== undefined && v > prev && !props.figure.steady && !calm()) {
          el.animate([{ transform: 'scale(1.14)' }, { transform: 'scale(1)' }], { duration: 700, easing: 'ease-out' });
        }
      },
    ),
  );
  return (
    <div class="wall-fig" classList={{ 'wall-fig-big': !!props.big }} data-tone={props.figure.tone} data-testid={`fig-${props.figure.key}`}>
      <div class="wall-fig-label">{props.figure.label}</div>
      <div class="wall-fig-value" ref={el}>
        {props.figure.text}
      </div>
      <div class="wall-fig-note">{props.figure.note ?? '\u00a0'}</div>
    </div>
  );
}
