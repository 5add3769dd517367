import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../contract/events.js';
import type { RelaySettings } from './settings.js';

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'live' }
  /** Lost the relay; `retryAt` (epoch ms) drives the countdown the banner shows. */
  | { kind: 'offline'; retryAt: number; attempt: number }
  | { kind: 'unauthorized' };

export type LiveHandlers = Partial<{ [E in keyof ServerToClientEvents]: ServerToClientEvents[E] }> & {
  /** Every (re)connect: the place to resync from the last seq, since the server does not replay. */
  connected?: () => void;
  state?: (s: ConnectionState) => void;
};

/** Backoff steps in seconds; the last one repeats. */
export const RETRY_STEPS = [1, 2, 5, 10, 20, 30];
/** A timer that fires this late means the machine slept: the socket may be dead without knowing it. */
const SLEEP_GAP_MS = 15_000;

export interface Live {
  state(): ConnectionState;
  retryNow(): void;
  close(): void;
}

/**
 * One Socket.IO connection with our own reconnect loop, so the UI can show an honest countdown.
 * WebSocket only: MV3 service workers have no XMLHttpRequest for the polling transport.
 */
export function connectLive(settings: RelaySettings, on: LiveHandlers): Live {
  let state: ConnectionState = { kind: 'connecting' };
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const url = new URL(settings.relayUrl);
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url.origin, {
    path: `${url.pathname.replace(/\/$/, '')}/socket.io`,
    auth: { token: settings.token },
    transports: ['websocket'],
    reconnection: false,
    timeout: 10_000,
  });

  const set = (s: ConnectionState) => {
    state = s;
    on.state?.(s);
  };
  const scheduleRetry = () => {
    if (closed || state.kind === 'unauthorized') return;
    clearTimeout(retryTimer);
    const wait = (RETRY_STEPS[Math.min(attempt, RETRY_STEPS.length - 1)] ?? 30) * 1000;
    attempt += 1;
    set({ kind: 'offline', retryAt: Date.now() + wait, attempt });
    retryTimer = setTimeout(() => socket.connect(), wait);
  };

  socket.on('connect', () => {
    attempt = 0;
    set({ kind: 'live' });
    on.connected?.();
  });
  socket.on('connect_error', (err) => {
    if (err.message === 'unauthorized') set({ kind: 'unauthorized' });
    else scheduleRetry();
  });
  socket.on('disconnect', (reason) => {
    if (closed) return;
    // The server drops the sockets of a revoked token; the handshake will then say unauthorized.
    if (reason === 'io server disconnect') {
      set({ kind: 'connecting' });
      socket.connect();
    } else scheduleRetry();
  });
  socket.on('thread', (p) => on.thread?.(p));
  socket.on('message', (p) => on.message?.(p));
  socket.on('metrics', (p) => on.metrics?.(p));
  socket.on('escalation', (p) => on.escalation?.(p));

  // Laptop sleep: a heartbeat that runs late means time passed without us; reconnect and resync.
  let lastBeat = Date.now();
  const beat = setInterval(() => {
    const now = Date.now();
    if (now - lastBeat > SLEEP_GAP_MS && socket.connected) {
      socket.disconnect();
      set({ kind: 'connecting' });
      socket.connect();
    }
    lastBeat = now;
  }, 5_000);
  const online = () => retryNow();
  globalThis.addEventListener?.('online', online);

  function retryNow() {
    if (closed || socket.connected) return;
    clearTimeout(retryTimer);
    set({ kind: 'connecting' });
    socket.connect();
  }

  return {
    state: () => state,
    retryNow,
    close() {
      closed = true;
      clearTimeout(retryTimer);
      clearInterval(beat);
      globalThis.removeEventListener?.('online', online);
      socket.close();
    },
  };
}
