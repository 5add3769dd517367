/** The two client settings (DESIGN "Client settings"), validated where they are typed in. */
export interface RelaySettings {
  relayUrl: string;
  token: string;
}

export type SettingsCheck = { ok: true; settings: RelaySettings } | { ok: false; field: 'relayUrl' | 'token'; message: string };

export function checkSettings(relayUrl: string, token: string): SettingsCheck {
  let url: URL;
  try {
    url = new URL(relayUrl.trim());
  } catch {
    return { ok: false, field: 'relayUrl', message: 'Enter the full relay address, like https://ringback.example.com' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, field: 'relayUrl', message: 'The relay address must start with http:// or https://' };
  }
  if (url.username || url.password) return { ok: false, field: 'relayUrl', message: 'Leave user names and passwords out of the address' };
  const t = token.trim();
  if (!t) return { ok: false, field: 'token', message: 'Paste the staff token your manager gave you' };
  if (/\s/.test(t)) return { ok: false, field: 'token', message: 'The token has spaces in it; paste it again' };
  // Keep a path prefix (a relay behind a reverse proxy), drop a trailing slash so paths join cleanly.
  const base = (url.origin + url.pathname).replace(/\/+$/, '');
  return { ok: true, settings: { relayUrl: base, token: t } };
}

/** Match pattern for the relay's origin, for host permissions. */
export const originPattern = (relayUrl: string): string => `${new URL(relayUrl).origin}/*`;
