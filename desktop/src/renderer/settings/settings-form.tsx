import { createResource, createSignal, Match, Show, Switch } from 'solid-js';
import { AlertSettingsFields } from '@ringback/shared/ui';
import type { AlertChoices, SettingsView, TestResult, WallTheme } from '../../ipc/channels.js';
import { bridge } from '../lib/bridge.js';

const storageText: Record<SettingsView['tokenStorage'], string> = {
  os: 'The token is encrypted with your system keychain.',
  basic: 'No system keyring found: the token is stored with weak encryption. Install a keyring (GNOME Keyring, KWallet) for real protection.',
  memory: 'This system cannot encrypt secrets: the token is kept only until Ringback quits, and you will paste it again next time.',
};

/** Relay address, staff token (never shown back), test connection, start at login, wall theme, alerts. */
export function SettingsForm() {
  const [view, { mutate }] = createResource(() => bridge().invoke('settings:get'));
  const [error, setError] = createSignal<{ field: string; message: string } | null>(null);
  const [saved, setSaved] = createSignal(false);
  const [test, setTest] = createSignal<TestResult | 'testing' | null>(null);
  // Edited here, saved with the form; undefined until the stored choices have loaded.
  const [alerts, setAlerts] = createSignal<AlertChoices | undefined>();
  let url!: HTMLInputElement;
  let token!: HTMLInputElement;
  let login!: HTMLInputElement;
  let theme!: HTMLSelectElement;

  const input = () => ({
    relayUrl: url.value,
    ...(token.value.trim() ? { token: token.value } : {}),
    startAtLogin: login.checked,
    wallTheme: theme.value as WallTheme,
    ...(alerts() ? { alerts: alerts()! } : {}),
  });

  async function save(e: Event) {
    e.preventDefault();
    setSaved(false);
    const r = await bridge().invoke('settings:save', input());
    if (!r.ok) return setError({ field: r.field, message: r.message });
    setError(null);
    token.value = '';
    mutate(r.settings);
    setSaved(true);
  }
  async function testConnection() {
    setTest('testing');
    const i = input();
    setTest(await bridge().invoke('settings:test', { relayUrl: i.relayUrl, ...(i.token ? { token: i.token } : {}) }));
  }

  return (
    <Show when={view()} fallback={<p class="set-loading">Loading settings…</p>}>
      {(v) => (
        <form class="set" onSubmit={save} novalidate>
          <h1>Ringback settings</h1>
          <label for="relayUrl">Relay address</label>
          <input id="relayUrl" ref={url} type="url" value={v().relayUrl} placeholder="https://ringback.example.com" aria-invalid={error()?.field === 'relayUrl'} autocomplete="off" spellcheck={false} />
          <Show when={error()?.field === 'relayUrl'}>
            <p class="set-error" role="alert">{error()!.message}</p>
          </Show>
          <label for="token">Staff token</label>
          <input id="token" ref={token} type="password" placeholder={v().hasToken ? 'Saved: leave empty to keep it' : 'Paste the token your manager gave you'} aria-invalid={error()?.field === 'token'} autocomplete="off" spellcheck={false} />
          <Show when={error()?.field === 'token'}>
            <p class="set-error" role="alert">{error()!.message}</p>
          </Show>
          <p class="set-hint">{storageText[v().tokenStorage]}</p>
          <div class="set-row">
            <button type="button" class="rb-btn" onClick={() => void testConnection()} disabled={test() === 'testing'}>
              Test connection
            </button>
            <span class="set-test" role="status" data-testid="test-result">
              <Switch>
                <Match when={test() === 'testing'}>Testing…</Match>
                <Match when={typeof test() === 'object' && test()}>
                  {(r) => {
                    const t = r() as TestResult;
                    return t.ok ? <span class="set-ok">✓ Connected to {t.business} as {t.staffName} ({t.role})</span> : <span class="set-bad">✗ {t.message}</span>;
                  }}
                </Match>
              </Switch>
            </span>
          </div>
          <label class="set-check">
            <input ref={login} type="checkbox" checked={v().startAtLogin} /> Start Ringback when I log in
          </label>
          <label for="theme">Live wall theme</label>
          <select id="theme" ref={theme} value={v().wallTheme}>
            <option value="system">Follow the system</option>
            <option value="dark">Dark</option>
            <option value="light">Light</option>
          </select>
          <AlertSettingsFields value={alerts() ?? v().alerts} onChange={setAlerts} />
          <div class="set-row">
            <button type="submit" class="rb-btn rb-btn-primary">
              Save
            </button>
            <Show when={saved()}>
              <span class="set-ok" role="status">✓ Saved</span>
            </Show>
          </div>
        </form>
      )}
    </Show>
  );
}
