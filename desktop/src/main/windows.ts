import { join } from 'node:path';
import { BrowserWindow, screen } from 'electron';
import type { EventChannel, EventChannels, WindowName } from '../ipc/channels.js';

const sizes: Record<WindowName, { width: number; height: number; title: string }> = {
  queue: { width: 1240, height: 780, title: 'Ringback · Queue' },
  wall: { width: 1280, height: 720, title: 'Ringback · Live wall' },
  settings: { width: 520, height: 560, title: 'Ringback · Settings' },
};

export interface Windows {
  open(name: WindowName): BrowserWindow;
  send<C extends EventChannel>(name: WindowName | 'all', channel: C, payload: EventChannels[C]): void;
  closeAll(): void;
  isOpen(name: WindowName): boolean;
}

/** One window per kind, created on demand, focused when asked again. */
export function createWindows(pageUrl: (name: WindowName) => string, preloadDir: string): Windows {
  const open = new Map<WindowName, BrowserWindow>();

  function create(name: WindowName): BrowserWindow {
    const s = sizes[name];
    const win = new BrowserWindow({
      width: s.width,
      height: s.height,
      title: s.title,
      show: false,
      autoHideMenuBar: true,
      backgroundColor: name === 'wall' ? '#0d0f12' : '#ffffff',
      webPreferences: {
        preload: join(preloadDir, 'index.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: name !== 'wall',
      },
    });
    if (name === 'wall') {
      // Full screen on the largest display: it is the office TV.
      const big = screen.getAllDisplays().sort((a, b) => b.size.width * b.size.height - a.size.width * a.size.height)[0];
      if (big) win.setBounds(big.bounds);
      win.setFullScreen(true);
    }
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => open.delete(name));
    void win.loadURL(pageUrl(name));
    open.set(name, win);
    return win;
  }

  return {
    open(name) {
      const w = open.get(name) ?? create(name);
      if (w.isMinimized()) w.restore();
      w.show();
      w.focus();
      return w;
    },
    send(name, channel, payload) {
      for (const [n, w] of open) if (name === 'all' || n === name) w.webContents.send(channel, payload);
    },
    closeAll() {
      for (const w of open.values()) w.destroy();
    },
    isOpen: (name) => open.has(name),
  };
}
