import type { MeReply, ThreadSummary } from '@ringback/shared';
import { assistantActive, breachesSla, connectLive, isRelayError, type ConnectionState, type RelayApi, type RelaySettings } from '@ringback/shared/client';
import { triggerFor, type Trigger } from './notify-plan.js';
import type { TrayConnection } from './tray-view.js';

export interface WatchSnapshot {
  connection: TrayConnection;
  unclaimed: number;
  breached: number;
  timezone: string;
}

export interface RelayWatch {
  snapshot(now: number): WatchSnapshot;
  close(): void;
}

export interface WatchDeps {
  api: RelayApi;
  settings: RelaySettings;
  connect?: typeof connectLive;
  /** Counts or connection changed: redraw the tray. */
  onChange(): void;
  /** A change worth a notification (already filtered: not others' threads, not resolved). */
  onTrigger(t: Trigger): void;
}

/**
 * The main process's own view of the relay, for the tray and notifications (they work with every window
 * closed): open threads from REST, patched by socket pushes, refetched on every (re)connect.
 */
export function watchRelay(deps: WatchDeps): RelayWatch {
  const threads = new Map<string, ThreadSummary>();
  let me: MeReply | null = null;
  let conn: ConnectionState = { kind: 'connecting' };
  let unauthorized = false;
  let loaded = false;

  const apply = (t: ThreadSummary) => {
    const prev = threads.get(t.id);
    if (prev && prev.seq >= t.seq) return;
    // Before the first snapshot we cannot tell new from old; the snapshot itself never notifies.
    const trigger = loaded && me ? triggerFor(prev, t, me.staff.id) : null;
    if (t.status === 'open') threads.set(t.id, t);
    else threads.delete(t.id);
    deps.onChange();
    if (trigger) deps.onTrigger(trigger);
  };

  async function refresh() {
    try {
      me = await deps.api.me();
      const open = await deps.api.openThreads();
      const fresh = new Map(open.threads.map((t) => [t.id, t]));
      if (loaded) {
        // Reconnected: what changed while we were away may still be news.
        for (const t of open.threads) apply(t);
        for (const id of [...threads.keys()]) if (!fresh.has(id)) threads.delete(id);
      } else {
        threads.clear();
        for (const [id, t] of fresh) threads.set(id, t);
        loaded = true;
      }
      unauthorized = false;
    } catch (e) {
      if (isRelayError(e, 'unauthorized')) unauthorized = true;
    }
    deps.onChange();
  }

  const live = (deps.connect ?? connectLive)(deps.settings, {
    connected: () => void refresh(),
    state: (s) => {
      conn = s;
      deps.onChange();
    },
    thread: (p) => apply(p.thread),
    escalation: (p) => apply(p.thread),
  });

  return {
    snapshot(now) {
      const claimMinutes = me?.sla.claimMinutes ?? 5;
      const open = [...threads.values()];
      const connection: TrayConnection = unauthorized || conn.kind === 'unauthorized' ? 'unauthorized' : conn.kind === 'live' && loaded ? 'live' : conn.kind === 'offline' ? 'offline' : 'connecting';
      return {
        connection,
        unclaimed: open.filter((t) => !t.claim && !assistantActive(t)).length,
        breached: open.filter((t) => breachesSla(t, now, claimMinutes)).length,
        timezone: me?.locations[0]?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
      };
    },
    close: () => live.close(),
  };
}
