/**
 * Sends held overnight must not all leave the moment quiet hours end (a burst looks like spam to carriers and
 * lands a dozen texts at 08:00:00). Each held send takes the first free slot at windowEnd + k × spacing.
 */
export function releaseSlot(windowEnd: Date, taken: Iterable<number>, spacingMs: number): Date {
  const start = windowEnd.getTime();
  if (spacingMs <= 0) return windowEnd;
  const used = new Set<number>();
  for (const t of taken) if (t >= start && (t - start) % spacingMs === 0) used.add(t);
  let k = 0;
  while (used.has(start + k * spacingMs)) k++;
  return new Date(start + k * spacingMs);
}
