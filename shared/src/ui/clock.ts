import { createRoot, createSignal, type Accessor } from 'solid-js';

let clock: Accessor<number> | undefined;

/** One shared ticking clock, so every relative time on screen moves together (every 15 s). */
export function now(): number {
  if (!clock) {
    clock = createRoot(() => {
      const [t, setT] = createSignal(Date.now());
      setInterval(() => setT(Date.now()), 15_000);
      return t;
    });
  }
  return clock();
}
