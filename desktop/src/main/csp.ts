/**
 * The pages' Content-Security-Policy (reliability.md E-3): our own scripts and styles only, and network access
 * only to the configured relay (HTTP for REST, WebSocket for Socket.IO).
 */
export function contentSecurityPolicy(relayUrl: string | null): string {
  let connect = "'self'";
  let media = "'self' https:";
  if (relayUrl) {
    try {
      const u = new URL(relayUrl);
      const ws = u.protocol === 'https:' ? 'wss:' : 'ws:';
      connect += ` ${u.origin} ${ws}//${u.host}`;
      // Voicemails the relay serves itself (the sandbox line, a plain-http relay on the office network).
      if (u.protocol === 'http:') media += ` ${u.origin}`;
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
    `media-src ${media}`, // voicemail recordings play from Plivo's https URLs, or from the relay
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
