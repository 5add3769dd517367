import { createResource, onCleanup, Show, type JSX } from 'solid-js';
import { QueryClient, QueryClientProvider } from '@tanstack/solid-query';
import { createRelayApi, createRelaySync, type RelaySettings, type RelaySync } from '@ringback/shared/client';
import { bridge } from './bridge.js';

/** One relay connection per (URL, token): new settings from main tear the old one down and start again. */
function Connected(props: { settings: RelaySettings; children: (sync: RelaySync) => JSX.Element }) {
  const qc = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } });
  const sync = createRelaySync(qc, createRelayApi(props.settings), props.settings);
  onCleanup(() => {
    sync.close();
    qc.clear();
  });
  return <QueryClientProvider client={qc}>{props.children(sync)}</QueryClientProvider>;
}

export function RelaySession(props: { fallback: JSX.Element; children: (sync: RelaySync) => JSX.Element }) {
  const [session, { refetch }] = createResource(() => bridge().invoke('relay:session'));
  onCleanup(bridge().on('settings:changed', () => void refetch()));
  const key = () => {
    const s = session();
    return s ? `${s.relayUrl}\n${s.token}` : null;
  };
  return (
    <Show when={!session.loading || session.latest !== undefined}>
      <Show when={key()} keyed fallback={props.fallback}>
        {(_k) => <Connected settings={session.latest!}>{props.children}</Connected>}
      </Show>
    </Show>
  );
}
