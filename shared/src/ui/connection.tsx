import { createSignal, Match, onCleanup, Show, Switch } from 'solid-js';
import type { ConnectionState } from '../client/live.js';

/** Header dot: the connection as it is, in words too. */
export function ConnectionDot(props: { state: ConnectionState }) {
  return (
    <span class="rb-conn" data-state={props.state.kind} role="status" data-testid="connection">
      <Switch>
        <Match when={props.state.kind === 'live'}>● live</Match>
        <Match when={props.state.kind === 'connecting'}>○ connecting…</Match>
        <Match when={props.state.kind === 'offline'}>✗ offline</Match>
        <Match when={props.state.kind === 'unauthorized'}>✗ signed out</Match>
      </Switch>
    </span>
  );
}

/** A one-second clock, only while a countdown is on screen. */
function useSecondTicker() {
  const [t, setT] = createSignal(Date.now());
  const id = setInterval(() => setT(Date.now()), 1000);
  onCleanup(() => clearInterval(id));
  return t;
}

/** Relay unreachable: say so, count down to the next try, offer to try now; the queue below stays, marked stale. */
export function OfflineBanner(props: { retryAt: number | null; since: string | null; timezone: string; onRetry: () => void }) {
  const tick = useSecondTicker();
  const secs = () => (props.retryAt === null ? null : Math.max(0, Math.ceil((props.retryAt - tick()) / 1000)));
  return (
    <div class="rb-banner" data-tone="red" role="alert" data-testid="offline-banner">
      <span aria-hidden="true">⚠</span>
      <span class="rb-banner-text">
        Can't reach the relay.{' '}
        <Show when={secs() !== null} fallback="Retrying…">
          {secs() === 0 ? 'Retrying…' : `Retrying in ${secs()} s.`}
        </Show>
        <Show when={props.since} keyed>
          {(s) => (
            <>
              <br />
              <span>Showing the queue as of {new Intl.DateTimeFormat('en-US', { timeZone: props.timezone, hour: 'numeric', minute: '2-digit' }).format(new Date(s))} — it may be out of date.</span>
            </>
          )}
        </Show>
      </span>
      <button type="button" class="rb-btn" onClick={() => props.onRetry()}>
        Retry now
      </button>
    </div>
  );
}

/** Token refused (revoked or mistyped): nothing else can work, so say what to do. */
export function BadToken(props: { onOpenSettings: () => void }) {
  return (
    <div class="rb-card" role="alert" data-testid="bad-token">
      <h2>Your staff token isn't accepted</h2>
      <p>It may have been revoked or pasted incompletely. Ask your manager for a new one and paste it in Settings.</p>
      <button type="button" class="rb-btn rb-btn-primary" onClick={() => props.onOpenSettings()}>
        Open settings
      </button>
    </div>
  );
}

export function NotConfigured(props: { onOpenSettings: () => void }) {
  return (
    <div class="rb-card" data-testid="not-configured">
      <h2>Connect Ringback</h2>
      <p>Enter your relay address and staff token to see missed calls here.</p>
      <button type="button" class="rb-btn rb-btn-primary" onClick={() => props.onOpenSettings()}>
        Open settings
      </button>
    </div>
  );
}
