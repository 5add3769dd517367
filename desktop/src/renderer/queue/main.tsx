import { createSignal, onCleanup } from 'solid-js';
import { render } from 'solid-js/web';
import '@ringback/shared/ui/theme.css';
import './queue.css';
import { NotConfigured, Panel } from '@ringback/shared/ui';
import { bridge } from '../lib/bridge.js';
import { playAlertSounds, useSnoozes } from '../lib/alerts.js';
import { RelaySession } from '../lib/relay-session.js';

// The same components as the extension's side panel (shared/src/ui's Panel over the shared client), as a split inbox.
function QueueWindow() {
  const openSettings = () => void bridge().invoke('window:open', { window: 'settings' });
  // Main holds the token: it fetches a single-use link and opens it in the browser.
  const openReview = async () => {
    const r = await bridge().invoke('review:open');
    if (!r.ok) throw new Error(r.message);
  };
  const [openThread, setOpenThread] = createSignal<string | null>(null, { equals: false });
  onCleanup(bridge().on('queue:open-thread', (p) => setOpenThread(p.threadId)));
  onCleanup(playAlertSounds());
  const snooze = useSnoozes();
  // Wide enough for an inbox: list, conversation and caller side by side; narrower, one screen at a time.
  const wideQuery = window.matchMedia('(min-width: 900px)');
  const [wide, setWide] = createSignal(wideQuery.matches);
  const onWide = () => setWide(wideQuery.matches);
  wideQuery.addEventListener('change', onWide);
  onCleanup(() => wideQuery.removeEventListener('change', onWide));
  return (
    <RelaySession
      fallback={
        <div class="rb-panel">
          <header class="rb-header">
            <h1>Ringback</h1>
          </header>
          <NotConfigured onOpenSettings={openSettings} />
        </div>
      }
    >
      {(sync) => <Panel sync={sync} openThread={openThread} onOpenSettings={openSettings} split={wide()} onOpenReview={openReview} snooze={snooze} />}
    </RelaySession>
  );
}

render(() => <QueueWindow />, document.getElementById('app')!);
