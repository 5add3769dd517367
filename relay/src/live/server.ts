import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, StaffMember } from '@ringback/shared';
import type { FailedAuthLimiter } from '../http/auth-limit.js';
import type { Store } from '../store/store.js';
import { staffByToken } from '../staff/tokens.js';
import type { Publisher } from '../threads/changes.js';
import type { Queries } from '../threads/queries.js';

interface SocketData {
  staff: StaffMember;
}

const ROOM = 'staff';
const METRICS_EVERY_MS = 1000;

/** Exact origins, or a scheme wildcard such as "chrome-extension://*". Clients without Origin (Node, Electron main) pass: the token is the real control. */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (!origin) return true;
  return allowed.some((a) => (a.endsWith('://*') ? origin.startsWith(a.slice(0, -1)) : a === origin));
}

/** Socket.IO: token checked in the handshake, the server joins the room, events are pushed only. */
export function startLive(http: HttpServer, store: Store, queries: Queries, allowedOrigins: readonly string[], failedAuth?: FailedAuthLimiter) {
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(http, {
    cors: { origin: (origin, cb) => cb(null, originAllowed(origin, allowedOrigins)) },
    allowRequest: (req, cb) => cb(null, originAllowed(req.headers.origin, allowedOrigins)),
    maxHttpBufferSize: 64 * 1024,
    pingInterval: 20_000,
  });

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    const staff = staffByToken(store, typeof token === 'string' ? token : undefined);
    if (!staff) {
      // Still "unauthorized" (clients stop on it); the data says when this address may try again.
      const wait = failedAuth ? failedAuth.fail(failedAuth.addressOf(socket.request)) : 0;
      return next(Object.assign(new Error('unauthorized'), wait > 0 ? { data: { code: 'too-many-failures', status: 429, retryAfter: wait } } : {}));
    }
    socket.data.staff = staff;
    next();
  });
  io.on('connection', (socket) => void socket.join(ROOM));

  let metricsTimer: NodeJS.Timeout | null = null;
  let lastMetricsAt = 0;
  // Encoding a packet (and computing the figures) costs even when nobody listens; skip it then.
  const listening = () => (io.sockets.adapter.rooms.get(ROOM)?.size ?? 0) > 0;
  const emitMetrics = () => {
    metricsTimer = null;
    lastMetricsAt = Date.now();
    if (listening()) io.to(ROOM).emit('metrics', { seq: store.data.seq, metrics: queries.metrics() });
  };
  const publisher: Publisher = {
    thread: (p) => {
      if (listening()) io.to(ROOM).emit('thread', p);
    },
    message: (p) => {
      if (listening()) io.to(ROOM).emit('message', p);
    },
    escalation: (p) => io.to(ROOM).emit('escalation', p),
    // KPI snapshots at most once a second, however busy the line is.
    changed: () => {
      if (metricsTimer) return;
      metricsTimer = setTimeout(emitMetrics, Math.max(0, METRICS_EVERY_MS - (Date.now() - lastMetricsAt)));
      metricsTimer.unref();
    },
  };

  /** Drop sockets of a revoked staff member at once. */
  const revoke = (staffId: string) => {
    for (const s of io.sockets.sockets.values()) if (s.data.staff?.id === staffId) s.disconnect(true);
  };

  return {
    io,
    publisher,
    revoke,
    close: () =>
      new Promise<void>((resolve) => {
        if (metricsTimer) clearTimeout(metricsTimer);
        io.close(() => resolve());
      }),
  };
}
