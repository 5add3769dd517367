/**
 * The browser address of a monthly review link the relay handed out (`POST /api/reports/monthly/link`):
 * only ever the relay's own review page, so an app never opens anything else on the relay's word.
 */
export function reviewPageUrl(relayUrl: string, path: string): string {
  const refused = new Error('The relay answered an address that is not its monthly review.');
  if (!path.startsWith('/reports/monthly?')) throw refused;
  const base = new URL(relayUrl);
  const url = new URL(relayUrl.replace(/\/+$/, '') + path);
  if (url.origin !== base.origin || url.pathname !== `${base.pathname.replace(/\/+$/, '')}/reports/monthly`) throw refused;
  return url.href;
}
