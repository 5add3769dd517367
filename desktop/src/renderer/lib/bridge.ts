import type { RingbackBridge, WallTheme } from '../../ipc/channels.js';

declare global {
  interface Window {
    ringback?: RingbackBridge;
  }
}

/** The preload's bridge; a page opened outside the app has none and says so instead of failing silently. */
export function bridge(): RingbackBridge {
  if (!window.ringback) throw new Error('Ringback pages run inside the Ringback app');
  return window.ringback;
}

/** Dark/light per the setting, else the system's. */
export function applyTheme(theme: WallTheme): void {
  if (theme === 'system') delete document.documentElement.dataset['theme'];
  else document.documentElement.dataset['theme'] = theme;
}
