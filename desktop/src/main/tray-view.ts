import { isPaused, pauseLabel } from './pause.js';

export type TrayConnection = 'not-configured' | 'connecting' | 'live' | 'offline' | 'unauthorized';

export interface TrayState {
  connection: TrayConnection;
  unclaimed: number;
  breached: number;
  pausedUntil: number | null;
  now: number;
  timezone: string;
}

/** red = past SLA, amber = waiting, idle = nothing waiting, off = not connected (UI.md colours). */
export type IconTone = 'red' | 'amber' | 'idle' | 'off';

export type MenuAction = 'open-queue' | 'open-wall' | 'pause-30m' | 'pause-tomorrow' | 'resume' | 'settings' | 'quit';

export type MenuItemModel =
  | { type: 'item'; label: string; action: MenuAction }
  | { type: 'info'; label: string }
  | { type: 'submenu'; label: string; items: MenuItemModel[] }
  | { type: 'separator' };

export interface TrayView {
  icon: { tone: IconTone; count: number | null };
  /** Text beside the icon (macOS menu bar only). */
  title: string;
  tooltip: string;
  menu: MenuItemModel[];
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function statusLine(s: TrayState): string {
  switch (s.connection) {
    case 'not-configured':
      return 'Not set up: open Settings';
    case 'connecting':
      return '○ Connecting…';
    case 'offline':
      return "✗ Can't reach the relay";
    case 'unauthorized':
      return '✗ Token not accepted: open Settings';
    case 'live':
      return s.unclaimed === 0
        ? '● Live · all caught up'
        : `● Live · ${plural(s.unclaimed, 'unclaimed', 'unclaimed')}${s.breached ? ` · ${s.breached} past SLA` : ''}`;
  }
}

/** Everything the tray shows, as data: the Electron side only draws it. */
export function trayView(s: TrayState): TrayView {
  const live = s.connection === 'live';
  const tone: IconTone = !live ? 'off' : s.breached > 0 ? 'red' : s.unclaimed > 0 ? 'amber' : 'idle';
  const count = live && s.unclaimed > 0 ? s.unclaimed : null;
  const paused = isPaused(s.pausedUntil, s.now);
  const pausedText = paused ? pauseLabel(s.pausedUntil!, s.now, s.timezone) : null;

  const tooltipParts = ['Ringback', statusLine(s).replace(/^[●○✗] /, '')];
  if (pausedText) tooltipParts.push(`notifications ${pausedText.toLowerCase()}`);

  const pauseItems: MenuItemModel[] = paused
    ? [{ type: 'info', label: pausedText! }, { type: 'item', label: 'Resume notifications', action: 'resume' }]
    : [
        {
          type: 'submenu',
          label: 'Pause notifications',
          items: [
            { type: 'item', label: 'For 30 minutes', action: 'pause-30m' },
            { type: 'item', label: 'Until tomorrow morning', action: 'pause-tomorrow' },
          ],
        },
      ];

  return {
    icon: { tone, count },
    title: count === null ? '' : String(count),
    tooltip: tooltipParts.join(' · '),
    menu: [
      { type: 'item', label: count ? `Open queue (${count} unclaimed)` : 'Open queue', action: 'open-queue' },
      { type: 'item', label: 'Open live wall', action: 'open-wall' },
      { type: 'separator' },
      ...pauseItems,
      { type: 'separator' },
      { type: 'info', label: statusLine(s) },
      { type: 'item', label: 'Settings…', action: 'settings' },
      { type: 'separator' },
      { type: 'item', label: 'Quit Ringback', action: 'quit' },
    ],
  };
}
