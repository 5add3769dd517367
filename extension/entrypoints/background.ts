import { defineBackground } from 'wxt/utils/define-background';
import { browser } from 'wxt/browser';
import { dueSnoozes } from '@ringback/shared/client';
import { loadSettings, onSettingsChanged } from '../lib/settings-store';
import { loadAlerts, onAlertsChanged } from '../lib/alert-store';
import { updateSnoozes } from '../lib/snooze-store';
import { syncReminderAlarms } from '../lib/reminders';
import { requestOpenThread } from '../lib/open-thread';
import { openPanel } from '../lib/open-panel';
import { Watcher } from '../lib/watcher';
import { BURST_ID, REMIND_PREFIX, reminderNote } from '../lib/notify-rules';

export default defineBackground(() => {
  const watcher = new Watcher();
  const restart = () => void loadSettings().then((s) => watcher.start(s));
  restart();
  onSettingsChanged(restart);

  // A minute alarm: badge turns red when the SLA passes with no event, and a restarted worker reconnects.
  void browser.alarms.create('tick', { periodInMinutes: 1 });
  // Thread reminders: an alarm each, re-synced whenever the list changes and at every start.
  void loadAlerts().then((a) => syncReminderAlarms(a.snoozes));
  onAlertsChanged((a) => void syncReminderAlarms(a.snoozes));
  browser.alarms.onAlarm.addListener((a) => {
    if (a.name.startsWith(REMIND_PREFIX)) {
      void updateSnoozes((list) => {
        const { due, waiting } = dueSnoozes(list, Date.now() + 1000);
        for (const s of due) void watcher.notify(reminderNote(s));
        return waiting;
      });
      return;
    }
    if (a.name !== 'tick') return;
    if (!watcher.isRunning()) restart();
    watcher.tick();
  });

  let lastWindowId: number | undefined;
  browser.windows.onFocusChanged.addListener((id) => {
    if (id !== browser.windows.WINDOW_ID_NONE) lastWindowId = id;
  });

  browser.notifications.onClicked.addListener((id) => {
    void browser.notifications.clear(id);
    const threadId = id === BURST_ID ? undefined : id;
    if (threadId) void requestOpenThread(threadId);
    void openPanel(lastWindowId, threadId);
  });

  // Test hook for e2e and a way for pages to ask the badge state; only our own pages can message us.
  browser.runtime.onMessage.addListener((msg: unknown, sender) => {
    if (sender.id !== browser.runtime.id || (msg as { type?: string })?.type !== 'badge') return undefined;
    return Promise.resolve(watcher.badge());
  });
});
