import { describe, expect, it, vi } from 'vitest';
import { menuTemplate } from './menu.js';
import { trayView } from './tray-view.js';

describe('tray menu template', () => {
  it('maps the model to Electron menu options whose clicks name the action', () => {
    const onAction = vi.fn();
    const t = menuTemplate(trayView({ connection: 'offline', unclaimed: 0, breached: 0, pausedUntil: null, now: 0, timezone: 'UTC' }).menu, onAction);
    expect(t.map((i) => i.type ?? i.label)).toEqual(['Open queue', 'Open live wall', 'separator', 'Pause notifications', 'separator', "✗ Can't reach the relay", 'Settings…', 'separator', 'Quit Ringback']);
    expect(t[5]!.enabled).toBe(false);
    (t[1]!.click as () => void)();
    const sub = t[3]!.submenu as { click: () => void }[];
    sub[1]!.click();
    expect(onAction.mock.calls.map((c) => c[0])).toEqual(['open-wall', 'pause-tomorrow']);
  });
});
