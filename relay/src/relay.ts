import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import formbody from '@fastify/formbody';
import { pino, type Logger } from 'pino';
import { buildConfig, type RelayConfig } from './config/load.js';
import { eventIcsUrl } from './booking/links.js';
import { selfBookingPort } from './booking/page/port.js';
import { registerBookingPage } from './booking/page/routes.js';
import { registerApi } from './http/api.js';
import { registerDeskApi } from './http/desk-api.js';
import { registerSettingsApi } from './http/settings-api.js';
import { Settings } from './settings/settings.js';
import { createCallApi, type CallApi } from './plivo/call-api.js';
import { Callbacks } from './threads/callbacks.js';
import { Contacts } from './threads/contacts.js';
import { Escalations } from './threads/escalations.js';
import { QuickReplies } from './threads/quick-replies.js';
import { FailedAuthLimiter } from './http/auth-limit.js';
import { freePort } from './http/free-port.js';
import { installErrorHandling } from './http/errors.js';
import { registerLocalBackup } from './http/local-backup.js';
import { originAllowed, startLive } from './live/server.js';
import { defaultOutboxOptions, Outbox, type OutboxOptions } from './outbox/outbox.js';
import { registerOutboxApi } from './outbox/routes.js';
import { createPlivoRest, type PlivoRest } from './plivo/rest.js';
import { registerPlivoRoutes } from './plivo/routes.js';
import { registerSandbox, type DeskView } from './sandbox/sandbox.js';
import { addStaff, revokeStaff, revokeStaffById } from './staff/tokens.js';
import { DEMO_STAFF } from './staff/demo.js';
import { enterMode } from './config/enter-mode.js';
import { Ops } from './ops/ops.js';
import { registerOps } from './ops/routes.js';
import { isLocalAdmin, registerLocalAdmin, writeAdminFile } from './staff/local-admin.js';
import { ArchiveReader } from './store/archive-reader.js';
import { own } from './store/own.js';
import { Store } from './store/store.js';
import { backupDirOf, startBackupSchedule } from './store/backup-schedule.js';
import { Calls } from './threads/calls.js';
import { Changes } from './threads/changes.js';
import type { Ctx } from './threads/context.js';
import { closeDays } from './threads/close-days.js';
import { ColdFacts } from './threads/cold-facts.js';
import { History } from './threads/history.js';
import { Indexes } from './threads/indexes.js';
import { LineTypes } from './threads/line-types.js';
import { Queries } from './threads/queries.js';
import { StaffActions } from './threads/staff-actions.js';
import { Texts } from './threads/texts.js';
import { Assistant } from './booking/assistant.js';
import { Bookings } from './booking/bookings.js';
import { registerBookingApi } from './booking/routes.js';

/** Changes that touch closed days are gathered this long before they are counted again. */
const RECOUNT_DELAY_MS = 5_000;

export interface RelayOptions {
  config: RelayConfig;
  now?: () => Date;
  log?: Logger;
  outbox?: Partial<OutboxOptions>;
  /** Replace the Plivo REST client (benchmarks measure the real one; this is for fault tests). */
  rest?: PlivoRest;
  /** Replace Plivo's Call API client (call-backs). */
  callApi?: CallApi;
  /** How often SLA escalations are checked (tests make it short and move the clock). */
  escalationTickMs?: number;
  /** How long a Plivo REST call may take before its outcome counts as unknown. */
  plivoTimeoutMs?: number;
}

export interface Relay {
  url: string;
  config: RelayConfig;
  store: Store;
  app: FastifyInstance;
  queries: Queries;
  /** Settles once closed days are kept, old records archived and the figures warm (as /healthz figuresReady). */
  figuresReady: Promise<void>;
  /** The booking service (assistant, self-booking page, staff). */
  bookings: Bookings;
  /** The booking assistant; `idle()` resolves once the replies it is working on are answered. */
  assistant: Assistant;
  /** Staff token of the demo desk (sandbox mode only; revoked at close). */
  demoToken: string | null;
  close(): Promise<void>;
}

/** Wire the relay together and listen. Port 0 picks a free port (tests). */
export async function startRelay(opts: RelayOptions): Promise<Relay> {
  let config = opts.config;
  if (config.env.PORT === 0) {
    const port = await freePort(config.env.HOST);
    config = buildConfig({ ...config.env, PORT: port }, config.business, config.businessSource, port);
    // The sandbox's credentials were random per build; keep the ones the caller saw if they set them.
    if (opts.config.sandbox) config.plivo.authToken = opts.config.plivo.authToken;
  }
  const log = opts.log ?? pino({ level: config.env.LOG_LEVEL });
  const now = opts.now ?? (() => new Date());
  const store = await Store.open(config.env.RINGBACK_DATA_DIR, { warn: (m) => log.warn(m), backupDir: backupDirOf(config.env) });
  try {
    return await wire(config, store, log, now, opts);
  } catch (e) {
    await store.close();
    throw e;
  }
}

async function wire(config: RelayConfig, store: Store, log: Logger, now: () => Date, opts: RelayOptions): Promise<Relay> {
  // First, before anything touches the data: sandbox only on demo data, and no demo token survives plivo mode.
  const entered = enterMode(store, config.mode, { host: config.env.HOST, force: config.forceSandbox, now: now() });
  if (entered.forced.length) log.warn({ problems: entered.forced }, 'RINGBACK_FORCE_SANDBOX=1: sandbox mode started anyway');
  if (entered.revoked.length) log.warn({ staff: entered.revoked.map((s) => s.name) }, 'plivo mode: demo staff revoked');
  const rest = opts.rest ?? createPlivoRest(config.plivo, opts.plivoTimeoutMs);
  let outbox: Outbox | null = null;
  const ctx: Ctx = {
    store,
    config,
    now,
    log,
    changes: new Changes(store, now),
    indexes: new Indexes(store.data),
    rest,
    kickOutbox: () => outbox?.kick(),
    ops: new Ops(store, log, now, config.sandbox ? 'sandbox' : 'plivo'),
  };
  outbox = new Outbox(ctx, rest, { ...defaultOutboxOptions, ...opts.outbox });
  const lineTypes = new LineTypes(ctx);
  const calls = new Calls(ctx, lineTypes);
  const contacts = new Contacts(ctx);
  const bookings = new Bookings(ctx, { contacts, calendarLink: (t) => eventIcsUrl(ctx, t.id) });
  const assistant = new Assistant(ctx, bookings);
  const texts = new Texts(ctx, assistant);
  const actions = new StaffActions(ctx, contacts);
  const callbacks = new Callbacks(ctx, opts.callApi ?? createCallApi(config.plivo, opts.plivoTimeoutMs));
  const escalations = new Escalations(ctx);
  const settings = new Settings(ctx, config.business);
  settings.load();
  const history = new History(store);
  const archive = new ArchiveReader(store.dir);
  const cold = new ColdFacts(store.dir);
  const queries = new Queries(ctx, history, cold, archive);
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= closeDays(store, queries, history, now())
      .then(() => {
        ctx.indexes.rebuild(); // without the records that left
      })
      .finally(() => (closing = null)));
  // Kept facts (for the settings in force: they set the time zones and the SLA) answer for closed days from the
  // start. Without them (first start of this release, a new shape of facts) the days are counted again once the
  // relay listens: calls and texts go on meanwhile, and figures reaching before the hot window wait for it.
  if (await cold.load(queries.factKeys().map((k) => k.key))) history.coldBefore = cold.through;
  else cold.recounting = (await archive.months()).length > 0;

  pruneProcessed(ctx);
  lineTypes.prune();
  let demo: { token: string; id: string } | null = null;
  if (config.sandbox) {
    // A fresh demo desk token each start: tokens are stored hashed, so an old one cannot be shown again.
    if (store.data.staff.some((s) => s.name === DEMO_STAFF && !s.revokedAt)) revokeStaff(store, DEMO_STAFF);
    const added = addStaff(store, DEMO_STAFF, 'manager', now(), null, true);
    demo = { token: added.token, id: added.staff.id };
  }
  await store.commit();

  // Request lines would log phone-number-bearing URLs on every webhook; handlers log what matters.
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: 64 * 1024,
    logController: new LogController({ disableRequestLogging: true }),
  });
  await app.register(formbody);
  // Browser clients (extension pages, the desktop renderer) call the API cross-origin.
  await app.register(cors, {
    origin: (origin, cb) => cb(null, originAllowed(origin, config.allowedOrigins)),
    allowedHeaders: ['authorization', 'content-type'],
  });
  installErrorHandling(app);
  const failedAuth = new FailedAuthLimiter(config.trustProxy, () => now().getTime());
  app.decorate('failedAuth', failedAuth);
  registerOps(app, ctx.ops, store, config.env.RINGBACK_METRICS_TOKEN);
  registerPlivoRoutes(app, ctx, calls, texts, callbacks);
  registerApi(app, ctx, actions, queries);
  registerSettingsApi(app, ctx, settings);
  registerBookingApi(app, ctx, bookings);
  registerOutboxApi(app, ctx, outbox);
  let revokeSockets = (_staffId: string) => {};
  registerDeskApi(app, ctx, { actions, contacts, quickReplies: new QuickReplies(ctx), callbacks, revokeSockets: (id) => revokeSockets(id) });
  let admin: Awaited<ReturnType<typeof writeAdminFile>> | null = null;
  registerLocalAdmin(app, ctx, () => admin?.secret ?? null, (id) => revokeSockets(id));
  registerLocalBackup(app, store, (req) => isLocalAdmin(req, admin?.secret ?? null));
  registerBookingPage(app, ctx, selfBookingPort(bookings));
  if (config.sandbox) {
    await registerSandbox(app, {
      publicUrl: config.publicUrl,
      authId: config.plivo.authId,
      authToken: config.plivo.authToken,
      trackingNumbers: config.business.locations.flatMap((l) => l.numbers),
      // The dev phone's desk view reads threads without a token, only for this machine, only on demo data.
      ...(entered.forced.length ? {} : { deskView: () => deskView(queries) }),
      log,
    });
  }
  await app.ready();
  const live = startLive(app.server, store, queries, config.allowedOrigins, failedAuth);
  ctx.changes.publisher = live.publisher;
  revokeSockets = live.revoke;
  ctx.ops.socketClients = () => live.io.engine.clientsCount;
  // Written before listening, so a CLI that sees the relay up also finds it. Through loopback if it listens everywhere.
  const adminHost = config.env.HOST === '0.0.0.0' ? '127.0.0.1' : config.env.HOST === '::' ? '::1' : config.env.HOST;
  admin = await writeAdminFile(store.dir, `http://${adminHost.includes(':') ? `[${adminHost}]` : adminHost}:${config.env.PORT}`);
  await app.listen({ port: config.env.PORT, host: config.env.HOST }).catch(async (e: unknown) => {
    await admin?.remove();
    throw e;
  });

  outbox.resume();
  calls.resume();
  const unanswered = assistant.resume();
  if (unanswered > 0) log.info({ replies: unanswered }, 'the booking assistant answers replies that arrived before the restart');
  await store.commit();
  outbox.kick(); // text-backs calls.resume() just decided go now that they are on disk
  escalations.start(opts.escalationTickMs ?? 30_000);
  // Days that closed while the relay was down are kept and their records archived, then the figures warm up.
  const figuresReady = close()
    .then(() => queries.warm())
    .then(
      () => void (ctx.ops.figuresReady = true),
      (e: unknown) => log.error({ err: String(e) }, 'warming the figures failed'),
    );
  const archiving = setInterval(() => {
    outbox.prune();
    pruneProcessed(ctx);
    lineTypes.prune();
    close().catch((e: unknown) => log.error({ err: String(e) }, 'archiving resolved threads failed'));
  }, 86_400_000);
  archiving.unref();
  // A new UTC day starts new spans of days: they are warmed just after midnight, before anyone asks.
  let rewarm: NodeJS.Timeout | null = null;
  const warmAfterMidnight = () => {
    if (closed) return;
    const at = (Math.floor(now().getTime() / 86_400_000) + 1) * 86_400_000 + 1000;
    rewarm = setTimeout(() => {
      queries.warm().catch((e: unknown) => log.error({ err: String(e) }, 'warming the figures failed'));
      warmAfterMidnight();
    }, Math.max(1000, at - now().getTime()));
    rewarm.unref();
  };
  void figuresReady.then(warmAfterMidnight);
  // A change to a long-open thread can touch a closed day: it is counted again from the raw months, in a batch.
  let recount: NodeJS.Timeout | null = null;
  queries.onTouched = () => {
    recount ??= setTimeout(() => {
      recount = null;
      queries.recountTouched().catch((e: unknown) => log.error({ err: String(e) }, 'recounting archived days failed'));
    }, RECOUNT_DELAY_MS);
    recount.unref();
  };
  const stopBackups = startBackupSchedule(store, backupDirOf(config.env), log, now);

  let closed = false;
  return {
    url: `http://${config.env.HOST.includes(':') ? `[${config.env.HOST}]` : config.env.HOST}:${config.env.PORT}`,
    config,
    store,
    app,
    queries,
    bookings,
    assistant,
    demoToken: demo?.token ?? null,
    figuresReady,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(archiving);
      await closing?.catch(() => {}); // an archiving run finishes (its months written, its records removed)
      if (recount) clearTimeout(recount);
      if (rewarm) clearTimeout(rewarm);
      stopBackups();
      outbox.stop();
      calls.stop();
      escalations.stop();
      await assistant.idle();
      live.io.disconnectSockets(true);
      await app.close();
      await live.close().catch(() => {});
      // The demo token ends with the demo; a crash leaves it until the next start revokes it.
      if (demo && store.data.staff.some((s) => s.id === demo.id && !s.revokedAt)) revokeStaffById(store, demo.id, now());
      await admin?.remove().catch(() => {});
      await store.close();
    },
  };
}

/**
 * Plivo stops retrying a webhook within a day; older idempotency keys only grow the file. A delivery report's
 * last `Sequence` (`dlrseq:<uuid>`) goes with its message: once that is two days old, or archived.
 */
function pruneProcessed(ctx: Ctx): void {
  const { store } = ctx;
  const horizon = ctx.now().getTime() - 48 * 3600_000;
  for (const [k, value] of Object.entries(store.data.processed)) {
    let at = value;
    if (k.startsWith('dlrseq:')) {
      const id = ctx.indexes.messageIdByUuid(k.slice('dlrseq:'.length));
      at = (id === undefined ? undefined : own(store.data.messages, id)?.at) ?? '';
    }
    if (!(Date.parse(at) >= horizon)) store.put('processed', k, undefined);
  }
}

/** What the dev phone's desk view shows: the open threads and the latest resolved ones, newest change first. */
function deskView(queries: Queries): DeskView {
  const open = queries.list('open', undefined, 100);
  return { seq: open.seq, threads: [...open.threads, ...queries.list('resolved', undefined, 20).threads] };
}
