/** Idempotency key for a reply: a retried POST with the same id sends one SMS. */
export const newClientId = (): string =>
  globalThis.crypto?.randomUUID?.() ?? `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
