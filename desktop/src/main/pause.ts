import { startOfLocalDay } from '@ringback/shared';

export type PauseChoice = '30m' | 'tomorrow';

/** Hour of the next morning when "until tomorrow" ends: before the desk opens, after the night's calls. */
export const MORNING_HOUR = 7;

/** When a pause chosen now ends, in epoch ms. "Tomorrow" is the next local morning, DST-safe. */
export function pauseEnd(choice: PauseChoice, now: number, timezone: string): number {
  if (choice === '30m') return now + 30 * 60_000;
  // Noon today + 24 h lands on tomorrow whatever the DST shift; its local midnight + 7 h is the morning.
  const today = startOfLocalDay(new Date(now), timezone);
  const tomorrowNoon = new Date(today.getTime() + 36 * 3_600_000);
  const tomorrow = startOfLocalDay(tomorrowNoon, timezone);
  return localHourOn(tomorrow, MORNING_HOUR, timezone);
}

/** The instant the local clock shows `hour`:00 on the day starting at `dayStart`, stepping over DST gaps. */
function localHourOn(dayStart: Date, hour: number, timezone: string): number {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: 'numeric', hourCycle: 'h23' });
  for (let h = hour - 2; h <= hour + 2; h++) {
    const t = dayStart.getTime() + h * 3_600_000;
    if (Number(fmt.format(new Date(t))) >= hour) return t;
  }
  return dayStart.getTime() + hour * 3_600_000;
}

export const isPaused = (pausedUntil: number | null, now: number): boolean => pausedUntil !== null && now < pausedUntil;

/** "Paused until 3:45 PM" / "Paused until tomorrow 7:00 AM", for the tray menu and tooltip. */
export function pauseLabel(pausedUntil: number, now: number, timezone: string): string {
  const time = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: 'numeric', minute: '2-digit' }).format(new Date(pausedUntil));
  const day = (t: number) => startOfLocalDay(new Date(t), timezone).getTime();
  return day(pausedUntil) === day(now) ? `Paused until ${time}` : `Paused until tomorrow ${time}`;
}
