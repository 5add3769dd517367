import { createSignal, onMount, Show } from 'solid-js';
import { browser } from 'wxt/browser';
import { checkSettings, createRelayApi, isRelayError, originPattern, type RelaySettings } from '@ringback/shared/client';
import type { MeReply } from '@ringback/shared';
import type { AlertChoices } from '@ringback/shared/client';
import { AlertSettingsFields } from '@ringback/shared/ui';
import { notificationsEnabled, saveSettings, type StoredSettings } from '../../lib/settings-store';
import { loadAlerts, saveAlertChoices } from '../../lib/alert-store';

type Result = { tone: 'green' | 'red' | 'amber'; text: string } | null;

async function whoAmI(s: RelaySettings): Promise<Result> {
  try {
    const me: MeReply = await createRelayApi(s).me();
    return { tone: 'green', text: `✓ Connected as ${me.staff.name} (${me.staff.role}) at ${me.business.name}.` };
  } catch (e) {
    if (isRelayError(e, 'unauthorized')) return { tone: 'red', text: '✗ The relay answered, but it does not accept this token.' };
    if (isRelayError(e, 'unreachable')) return { tone: 'red', text: `✗ Can't reach ${s.relayUrl}. Check the address and that the relay is running.` };
    return { tone: 'red', text: `✗ ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Relay URL + staff token, tested with GET /api/me; the relay's origin is requested as a host permission on save. */
export function OptionsForm() {
  const [relayUrl, setRelayUrl] = createSignal('');
  const [token, setToken] = createSignal('');
  const [notify, setNotify] = createSignal(true);
  const [alerts, setAlerts] = createSignal<AlertChoices | null>(null);
  const [showToken, setShowToken] = createSignal(false);
  const [fieldError, setFieldError] = createSignal<{ field: 'relayUrl' | 'token'; message: string } | null>(null);
  const [result, setResult] = createSignal<Result>(null);
  const [busy, setBusy] = createSignal(false);

  onMount(async () => {
    const s = (await browser.storage.local.get(['relayUrl', 'token'])) as StoredSettings;
    setRelayUrl(s.relayUrl ?? '');
    setToken(s.token ?? '');
    setNotify(await notificationsEnabled());
    const { snoozes: _kept, ...choices } = await loadAlerts();
    setAlerts(choices);
  });

  const validate = () => {
    const c = checkSettings(relayUrl(), token());
    setFieldError(c.ok ? null : { field: c.field, message: c.message });
    return c.ok ? c.settings : null;
  };

  async function test() {
    const s = validate();
    if (!s) return;
    setBusy(true);
    setResult({ tone: 'amber', text: 'Testing…' });
    setResult(await whoAmI(s));
    setBusy(false);
  }

  const [access, setAccess] = createSignal<Result>(null);

  function save(e: Event) {
    e.preventDefault();
    const s = validate();
    if (!s) return;
    const origin = new URL(s.relayUrl).origin;
    // permissions.request needs the click's user gesture, so it is the first async call. Settings are saved without
    // waiting for the answer: the relay allows this extension's origin (CORS), so access is a hardening, not a must.
    setAccess({ tone: 'amber', text: `Waiting for the browser to allow access to ${origin}…` });
    browser.permissions
      .request({ origins: [originPattern(s.relayUrl)] })
      .catch(() => false)
      .then((ok) =>
        setAccess(
          ok
            ? { tone: 'green', text: `✓ Browser access to ${origin} granted.` }
            : { tone: 'amber', text: `Browser access to ${origin} was not granted; Ringback still works because the relay allows this extension.` },
        ),
      );
    setBusy(true);
    void (async () => {
      await saveSettings(s, notify());
      if (alerts()) await saveAlertChoices(alerts()!);
      setRelayUrl(s.relayUrl);
      setToken(s.token);
      const who = await whoAmI(s);
      setResult(who && { ...who, text: `Saved. ${who.text}` });
      setBusy(false);
    })();
  }

  return (
    <main class="opt">
      <h1>Ringback settings</h1>
      <p>Connect this browser to your Ringback relay. Your manager gives you the address and your personal staff token.</p>
      <form onSubmit={save} novalidate>
        <label for="relayUrl">Relay address</label>
        <input
          id="relayUrl"
          name="relayUrl"
          type="url"
          placeholder="https://ringback.example.com"
          autocomplete="url"
          value={relayUrl()}
          aria-invalid={fieldError()?.field === 'relayUrl'}
          onInput={(e) => setRelayUrl(e.currentTarget.value)}
        />
        <Show when={fieldError()?.field === 'relayUrl'}>
          <div class="field-error" role="alert">{fieldError()!.message}</div>
        </Show>
        <label for="token">Staff token</label>
        <input
          id="token"
          name="token"
          type={showToken() ? 'text' : 'password'}
          autocomplete="off"
          spellcheck={false}
          value={token()}
          aria-invalid={fieldError()?.field === 'token'}
          onInput={(e) => setToken(e.currentTarget.value)}
        />
        <Show when={fieldError()?.field === 'token'}>
          <div class="field-error" role="alert">{fieldError()!.message}</div>
        </Show>
        <label class="check">
          <input type="checkbox" checked={showToken()} onChange={(e) => setShowToken(e.currentTarget.checked)} /> Show token
        </label>
        <label class="check">
          <input type="checkbox" name="notifications" checked={notify()} onChange={(e) => setNotify(e.currentTarget.checked)} /> Desktop
          notifications for new missed calls and replies
        </label>
        <Show when={alerts()}>{(a) => <AlertSettingsFields value={a()} onChange={setAlerts} />}</Show>
        <div class="hint">The token is stored in this browser profile only. Saving asks the browser for access to the relay's address.</div>
        <div class="buttons">
          <button type="button" class="rb-btn" disabled={busy()} onClick={() => void test()}>
            Test connection
          </button>
          <button type="submit" class="rb-btn rb-btn-primary" disabled={busy()}>
            Save
          </button>
        </div>
      </form>
      <Show when={access()}>
        {(a) => (
          <div class="result" data-tone={a().tone} role="status" data-testid="options-access">
            {a().text}
          </div>
        )}
      </Show>
      <Show when={result()}>
        {(r) => (
          <div class="result" data-tone={r().tone} role="status" data-testid="options-result">
            {r().text}
          </div>
        )}
      </Show>
    </main>
  );
}
