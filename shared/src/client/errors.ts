/** Why a relay call failed, in the terms the screens need. */
export type RelayErrorKind = 'unreachable' | 'unauthorized' | 'conflict' | 'opted-out' | 'not-found' | 'invalid' | 'server';

export class RelayError extends Error {
  constructor(
    readonly kind: RelayErrorKind,
    readonly status: number,
    readonly code: string,
    message: string,
    readonly owner?: { id: string; name: string },
  ) {
    super(message);
    this.name = 'RelayError';
  }
}

export function errorKind(status: number, code: string): RelayErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 409) return 'conflict';
  if (code === 'opted-out') return 'opted-out';
  if (status === 404) return 'not-found';
  if (status >= 400 && status < 500) return 'invalid';
  return 'server';
}

export const isRelayError = (e: unknown, kind?: RelayErrorKind): e is RelayError =>
  e instanceof RelayError && (kind === undefined || e.kind === kind);
