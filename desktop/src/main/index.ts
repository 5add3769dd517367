import { join } from 'node:path';
import { app, shell } from 'electron';
import { createRelayApi, isRelayError } from '@ringback/shared/client';
import type { WindowName } from '../ipc/channels.js';
import { APP_ORIGIN, pageUrl } from './app-files.js';
import { registerIpc } from './ipc.js';
import { createNotifier } from './notifications.js';
import { pauseEnd } from './pause.js';
import { createReminders } from './reminders.js';
import { registerAppScheme, serveApp } from './protocol.js';
import { openReview } from './review.js';
import { watchRelay, type RelayWatch } from './relay-watch.js';
import { harden } from './security.js';
import { openSettings } from './settings.js';
import { createTray, type TrayHandle } from './tray.js';
import { trayView, type MenuAction } from './tray-view.js';
import { createWindows } from './windows.js';

// Composition root: wires the plain modules to Electron. Behaviour lives in the modules beside this file.

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  start();
}

function start() {
  // electron-vite's dev server in development; app:// in the built app.
  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  const origins = [APP_ORIGIN, ...(devUrl ? [new URL(devUrl).origin] : [])];
  const isAppUrl = (url: string) => {
    try {
      return origins.includes(new URL(url).origin) || url.startsWith(`${APP_ORIGIN}/`);
    } catch {
      return false;
    }
  };
  const page = (name: WindowName) => (devUrl ? `${devUrl}/${name}.html` : pageUrl(name));

  let tray: TrayHandle | null = null;
  let watch: RelayWatch | null = null;
  let clock: NodeJS.Timeout | undefined;

  app.on('second-instance', () => windows.open('queue'));
  app.on('window-all-closed', () => {
    // A tray app keeps running with no windows.
  });

  const settings = () => store!;
  let store: ReturnType<typeof openSettings> | null = null;
  const windows = createWindows(page, join(import.meta.dirname, '../preload'));

  const timezone = () => watch?.snapshot(Date.now()).timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const notifier = createNotifier({
    pausedUntil: () => settings().pausedUntil(),
    alerts: () => ({ settings: settings().alerts(), timezone: timezone() }),
    play(sound) {
      if (!windows.isOpen('queue')) return false;
      windows.send('queue', 'alerts:play', { sound });
      return true;
    },
    onOpen(threadId) {
      windows.open('queue');
      if (threadId) windows.send('queue', 'queue:open-thread', { threadId });
    },
  });

  const snoozesChanged = () => {
    reminders.reschedule();
    windows.send('all', 'alerts:snoozes-changed', { snoozes: settings().alerts().snoozes });
    return settings().alerts().snoozes;
  };
  const reminders = createReminders({
    list: () => settings().alerts().snoozes,
    save: (list) => {
      settings().setSnoozes(list);
      windows.send('all', 'alerts:snoozes-changed', { snoozes: list });
    },
    fire: (s) => notifier.remind(s),
  });

  function redraw() {
    const now = Date.now();
    const snap = watch?.snapshot(now);
    tray?.render(
      trayView({
        connection: snap?.connection ?? 'not-configured',
        unclaimed: snap?.unclaimed ?? 0,
        breached: snap?.breached ?? 0,
        pausedUntil: settings().pausedUntil(),
        now,
        timezone: snap?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
      }),
    );
  }

  function connect() {
    watch?.close();
    watch = null;
    const s = settings().session();
    if (s) watch = watchRelay({ api: createRelayApi(s), settings: s, onChange: redraw, onTrigger: (t) => notifier.push(t) });
    redraw();
  }

  function onAction(a: MenuAction) {
    const tz = watch?.snapshot(Date.now()).timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    switch (a) {
      case 'open-queue':
        return void windows.open('queue');
      case 'open-wall':
        return void windows.open('wall');
      case 'settings':
        return void windows.open('settings');
      case 'pause-30m':
      case 'pause-tomorrow':
        settings().setPausedUntil(pauseEnd(a === 'pause-30m' ? '30m' : 'tomorrow', Date.now(), tz));
        return redraw();
      case 'resume':
        settings().setPausedUntil(null);
        return redraw();
      case 'quit':
        return app.quit();
    }
  }

  void app.whenReady().then(() => {
    store = openSettings();
    harden(isAppUrl);
    serveApp(join(import.meta.dirname, '../renderer'), () => settings().session()?.relayUrl ?? null);
    registerIpc(
      {
        'settings:get': () => settings().view(),
        'settings:save': (input) => {
          const r = settings().save(input);
          if (r.ok) {
            // Packaged builds only: in development this would register the bare electron binary.
            if (app.isPackaged) app.setLoginItemSettings({ openAtLogin: input.startAtLogin });
            connect();
            windows.send('all', 'settings:changed', { wallTheme: input.wallTheme });
          }
          return r;
        },
        'settings:test': async ({ relayUrl, token }) => {
          const t = token?.trim() || settings().session()?.token || '';
          try {
            const me = await createRelayApi({ relayUrl: relayUrl.trim().replace(/\/+$/, ''), token: t }).me();
            return { ok: true, staffName: me.staff.name, role: me.staff.role, business: me.business.name };
          } catch (e) {
            if (isRelayError(e, 'unauthorized')) return { ok: false, message: 'The relay refused this token. Ask your manager for a new one.' };
            return { ok: false, message: e instanceof Error ? e.message : String(e) };
          }
        },
        'relay:session': () => settings().session(),
        'window:open': ({ window, threadId }) => {
          windows.open(window);
          if (window === 'queue' && threadId) windows.send('queue', 'queue:open-thread', { threadId });
        },
        'review:open': () => openReview(settings().session(), (url) => shell.openExternal(url)),
        'alerts:snoozes': () => settings().alerts().snoozes,
        'alerts:snooze': (s) => {
          settings().addSnooze(s);
          return snoozesChanged();
        },
        'alerts:unsnooze': ({ threadId }) => {
          settings().setSnoozes(settings().alerts().snoozes.filter((s) => s.threadId !== threadId));
          return snoozesChanged();
        },
      },
      () => origins,
    );
    tray = createTray(onAction);
    connect();
    reminders.reschedule();
    // Breaching the SLA is a matter of time passing, not of an event: re-check the tray every 15 s.
    clock = setInterval(redraw, 15_000);
    if (!settings().session()) windows.open('settings');
  });

  app.on('before-quit', () => {
    clearInterval(clock);
    reminders.dispose();
    notifier.dispose();
    watch?.close();
    tray?.destroy();
  });
}
