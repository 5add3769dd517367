/**
 * The pages' Content-Security-Policy (reliability.md E-3): our own scripts and styles only, and network access
 * only to the configured relay (HTTP for REST, WebSocket for Socket.IO).
 */
export function contentSecurityPolicy(relayUrl: string | null): string {
  let connect = "'self'";
  if (relayUrl) {
    try {
      const u = new URL(relayUrl);
      const ws = u.protocol === 'https:' ? 'wss:' : 'ws:';
      connect += ` ${u.origin} ${ws}//${u.host}`;
    } catch {
      // No usable relay: the page can still show the settings form.
    }
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "media-src 'self' https:", // voicemail recordings play from Plivo's https URLs
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
