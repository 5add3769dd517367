import { describe, expect, it } from 'vitest';
import { trayView, type MenuItemModel, type TrayState } from './tray-view.js';

const base: TrayState = { connection: 'live', unclaimed: 0, breached: 0, pausedUntil: null, now: Date.parse('2026-03-02T20:00:00Z'), timezone: 'America/Chicago' };
const labels = (m: MenuItemModel[]): string[] => m.flatMap((i) => (i.type === 'separator' ? ['—'] : i.type === 'submenu' ? [i.label, ...labels(i.items).map((l) => `  ${l}`)] : [i.label]));

describe('tray view', () => {
  it('idle when live and nothing waits', () => {
    const v = trayView(base);
    expect(v.icon).toEqual({ tone: 'idle', count: null });
    expect(v.title).toBe('');
    expect(v.tooltip).toBe('Ringback · Live · all caught up');
  });

  it('amber with the count when callers wait, red past the SLA', () => {
    expect(trayView({ ...base, unclaimed: 3 }).icon).toEqual({ tone: 'amber', count: 3 });
    const red = trayView({ ...base, unclaimed: 3, breached: 1 });
    expect(red.icon).toEqual({ tone: 'red', count: 3 });
    expect(red.title).toBe('3');
    expect(red.tooltip).toBe('Ringback · Live · 3 unclaimed · 1 past SLA');
  });

  it('greys out and drops the count when not live', () => {
    for (const connection of ['offline', 'connecting', 'unauthorized', 'not-configured'] as const) {
      expect(trayView({ ...base, connection, unclaimed: 4, breached: 2 }).icon).toEqual({ tone: 'off', count: null });
    }
    expect(trayView({ ...base, connection: 'unauthorized' }).tooltip).toBe('Ringback · Token not accepted: open Settings');
  });

  it('has the full menu, with a pause submenu', () => {
    expect(labels(trayView({ ...base, unclaimed: 2 }).menu)).toEqual([
      'Open queue (2 unclaimed)',
      'Open live wall',
      '—',
      'Pause notifications',
      '  For 30 minutes',
      '  Until tomorrow morning',
      '—',
      '● Live · 2 unclaimed',
      'Settings…',
      '—',
      'Quit Ringback',
    ]);
  });

  it('while paused shows until when, and a way to resume', () => {
    const v = trayView({ ...base, pausedUntil: base.now + 30 * 60_000 });
    expect(labels(v.menu).slice(3, 5)).toEqual(['Paused until 2:30 PM', 'Resume notifications']);
    expect(v.tooltip).toContain('notifications paused until 2:30 pm');
    // An expired pause is no pause.
    expect(labels(trayView({ ...base, pausedUntil: base.now - 1 }).menu)[3]).toBe('Pause notifications');
  });
});
