import { createSignal, onCleanup, Show } from 'solid-js';
import { QueryClient, QueryClientProvider } from '@tanstack/solid-query';
import { browser } from 'wxt/browser';
import { createRelayApi, createRelaySync, reviewPageUrl, type RelaySettings } from '@ringback/shared/client';
import { NotConfigured, Panel } from '@ringback/shared/ui';
import { loadSettings, onSettingsChanged } from '../../lib/settings-store';
import { addSnooze, loadSnoozes, onSnoozesChanged, updateSnoozes } from '../../lib/snooze-store';
import type { Snooze } from '@ringback/shared/client';
import type { SnoozeApi } from '@ringback/shared/ui';
import { watchOpenThread } from '../../lib/open-thread';

/** Thread reminders in chrome.storage; the background turns each into an alarm. */
function useSnoozes(): SnoozeApi {
  const [list, setList] = createSignal<Snooze[]>([]);
  void loadSnoozes().then(setList);
  onCleanup(onSnoozesChanged(setList));
  return {
    at: (id) => list().find((s) => s.threadId === id)?.at ?? null,
    set: (threadId, at, caller) => void addSnooze({ threadId, at, caller: caller.slice(0, 200) }).then(setList),
    clear: (threadId) => void updateSnoozes((l) => l.filter((s) => s.threadId !== threadId)).then(setList),
  };
}

/** One relay session per (URL, token): new settings tear the old one down. */
function Session(props: { settings: RelaySettings; openThread: () => string | null }) {
  const qc = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } });
  const api = createRelayApi(props.settings);
  const sync = createRelaySync(qc, api, props.settings);
  // A browser tab cannot send the token: the relay hands out a single-use link for it.
  const openReview = async () => {
    const { path } = await api.reviewLink();
    await browser.tabs.create({ url: reviewPageUrl(props.settings.relayUrl, path) });
  };
  const snooze = useSnoozes();
  onCleanup(() => {
    sync.close();
    qc.clear();
  });
  return (
    <QueryClientProvider client={qc}>
      <Panel sync={sync} openThread={props.openThread} onOpenSettings={() => void browser.runtime.openOptionsPage()} onOpenReview={openReview} snooze={snooze} />
    </QueryClientProvider>
  );
}

export function SidePanel() {
  const [settings, setSettings] = createSignal<RelaySettings | null | undefined>(undefined);
  const [openThread, setOpenThread] = createSignal<string | null>(null, { equals: false });
  const load = () => void loadSettings().then(setSettings);
  load();
  onCleanup(onSettingsChanged(load));
  onCleanup(watchOpenThread(setOpenThread));
  const key = () => {
    const s = settings();
    return s ? `${s.relayUrl}\n${s.token}` : null;
  };
  return (
    <Show when={settings() !== undefined}>
      <Show when={key()} keyed fallback={<div class="rb-panel"><header class="rb-header"><h1>Ringback</h1></header><NotConfigured onOpenSettings={() => void browser.runtime.openOptionsPage()} /></div>}>
        {(_k) => <Session settings={settings()!} openThread={openThread} />}
      </Show>
    </Show>
  );
}
