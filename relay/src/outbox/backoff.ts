/** Capped exponential backoff with jitter: base, 2×base, 4×base… up to max, each between half and all of it. */
export function backoffMs(step: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const full = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(step - 1, 0), 30));
  // "Equal jitter": never less than half the step, so retries still back off, but never in lockstep.
  return Math.round(full / 2 + (random() * full) / 2);
}
