import { createResource, Match, Show, Switch } from 'solid-js';
import { browser } from 'wxt/browser';
import { createRelayApi, isRelayError, queueCounts } from '@ringback/shared/client';
import { loadSettings } from '../../lib/settings-store';
import { openPanel } from '../../lib/open-panel';

type Counts = { unclaimed: number; mine: number; breached: number };
type Loaded = { kind: 'counts'; counts: Counts; business: string } | { kind: 'unconfigured' } | { kind: 'unauthorized' } | { kind: 'unreachable' };

async function load(): Promise<Loaded> {
  const settings = await loadSettings();
  if (!settings) return { kind: 'unconfigured' };
  const api = createRelayApi(settings);
  try {
    const [me, open] = await Promise.all([api.me(), api.openThreads()]);
    const c = queueCounts(open.threads, [], {
      meId: me.staff.id,
      now: Date.now(),
      claimMinutes: me.sla.claimMinutes,
      timezone: me.locations[0]?.timezone ?? 'UTC',
    });
    return { kind: 'counts', counts: { unclaimed: c.unclaimed, mine: c.mine, breached: c.breached }, business: me.business.name };
  } catch (e) {
    return isRelayError(e, 'unauthorized') ? { kind: 'unauthorized' } : { kind: 'unreachable' };
  }
}

/** Three numbers and the way into the side panel. */
export function Popup() {
  const [data] = createResource(load);
  // Known before the click, so opening the panel stays inside the click's user gesture.
  const [win] = createResource(() => browser.windows.getCurrent());
  const open = async () => {
    await openPanel(win()?.id);
    window.close();
  };
  const settings = () => void browser.runtime.openOptionsPage().then(() => window.close());
  return (
    <main class="pop">
      <h1>
        <span>Ringback</span>
        <Show when={data()?.kind === 'counts'}>
          <span class="rb-muted" style={{ 'font-weight': 400, 'font-size': '12px' }}>
            {(data() as { business: string }).business}
          </span>
        </Show>
      </h1>
      <Switch>
        <Match when={data.loading}>
          <div class="pop-counts" aria-busy="true">
            <div class="pop-count"><b>–</b><span>unclaimed</span></div>
            <div class="pop-count"><b>–</b><span>mine</span></div>
            <div class="pop-count"><b>–</b><span>over SLA</span></div>
          </div>
        </Match>
        <Match when={data()?.kind === 'counts' && (data() as { counts: Counts }).counts}>
          {(c) => (
            <div class="pop-counts" data-testid="popup-counts">
              <div class="pop-count" data-tone={c().unclaimed ? 'amber' : undefined}>
                <b data-testid="count-unclaimed">{c().unclaimed}</b>
                <span>○ unclaimed</span>
              </div>
              <div class="pop-count" data-tone="blue">
                <b data-testid="count-mine">{c().mine}</b>
                <span>● mine</span>
              </div>
              <div class="pop-count" data-tone={c().breached ? 'red' : undefined}>
                <b data-testid="count-breached">{c().breached}</b>
                <span>▲ over SLA</span>
              </div>
            </div>
          )}
        </Match>
        <Match when={data()?.kind === 'unconfigured'}>
          <p class="note">Not connected yet. Add your relay address and staff token.</p>
        </Match>
        <Match when={data()?.kind === 'unauthorized'}>
          <p class="note" data-tone="red">✗ Your staff token isn't accepted. Paste a new one in settings.</p>
        </Match>
        <Match when={data()?.kind === 'unreachable'}>
          <p class="note" data-tone="red">✗ Can't reach the relay right now.</p>
        </Match>
      </Switch>
      <Show
        when={data()?.kind === 'unconfigured' || data()?.kind === 'unauthorized'}
        fallback={
          <button type="button" class="rb-btn rb-btn-primary" onClick={() => void open()}>
            Open side panel
          </button>
        }
      >
        <button type="button" class="rb-btn rb-btn-primary" onClick={settings}>
          Open settings
        </button>
      </Show>
    </main>
  );
}
