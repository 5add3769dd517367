import type { FastifyInstance } from 'fastify';
import {
  auditQuerySchema,
  eventsQuerySchema,
  noteBodySchema,
  replyBodySchema,
  resolveBodySchema,
  threadListQuerySchema,
  type AuditReply,
  type MeReply,
} from '@ringback/shared';
import { z } from 'zod';
import { audit, settle, type Ctx } from '../threads/context.js';
import type { Queries } from '../threads/queries.js';
import type { StaffActions } from '../threads/staff-actions.js';
import { queryAudit } from './audit-query.js';
import { allRecords } from './export-rows.js';
import { requireManager, requireStaff } from './auth.js';
import { callColumns, callRow, messageColumns, messageRow, streamCsv, threadColumns, threadRow } from './csv.js';
import { figureRange, reviewMonth } from './figure-range.js';
import { monthlyReview } from './monthly-review.js';
import { registerReviewPage } from './review-link.js';
import { bookingLabels } from './booking-labels.js';

const idParams = z.object({ id: z.string().min(1).max(64) });

/** The staff REST API (DESIGN "Staff API"). Commands answer after their change is on disk. */
export function registerApi(app: FastifyInstance, ctx: Ctx, actions: StaffActions, queries: Queries): void {
  registerReviewPage(app, ctx, queries);
  app.register(async (api) => {
    api.decorateRequest('staff', null);
    api.addHook('preHandler', requireStaff(ctx.store));

    /** Run a command; whatever it changed is saved (even when it refuses) before the reply, or undone (503). */
    const command = async <T>(fn: () => T): Promise<T> => {
      try {
        return ctx.store.transaction(fn);
      } finally {
        await settle(ctx);
      }
    };

    api.get('/api/me', async (req): Promise<MeReply> => {
      const { business, locations, sla, booking } = ctx.config.business;
      return {
        staff: req.staff!,
        business: { name: business.name, bookingUrl: business.bookingUrl, averageValue: business.averageValue },
        locations: locations.map((l) => ({ id: l.id, name: l.name, timezone: l.timezone, numbers: l.numbers })),
        sla: { claimMinutes: sla.claimMinutes, replyMinutes: sla.replyMinutes },
        seq: ctx.store.data.seq,
        ...(booking ? { booking: bookingLabels(booking) } : {}),
      };
    });

    api.get('/api/threads', async (req) => {
      const q = threadListQuerySchema.parse(req.query);
      return queries.list(q.status, q.cursor === undefined ? undefined : Number(q.cursor), q.limit);
    });

    api.get('/api/threads/:id', async (req) => queries.detail(idParams.parse(req.params).id));

    api.post('/api/threads/:id/claim', async (req) => {
      const { id } = idParams.parse(req.params);
      return { thread: await command(() => actions.claim(id, req.staff!)) };
    });

    api.post('/api/threads/:id/release', async (req) => {
      const { id } = idParams.parse(req.params);
      return { thread: await command(() => actions.release(id, req.staff!)) };
    });

    api.post('/api/threads/:id/resolve', async (req) => {
      const { id } = idParams.parse(req.params);
      const body = resolveBodySchema.parse(req.body ?? {});
      return { thread: await command(() => actions.resolve(id, req.staff!, body.outcome, body.value)) };
    });

    api.post('/api/threads/:id/messages', async (req, reply) => {
      const { id } = idParams.parse(req.params);
      const body = replyBodySchema.parse(req.body ?? {});
      const { message, created } = await command(() => actions.reply(id, req.staff!, body.text, body.clientId));
      return reply.status(created ? 201 : 200).send({ message });
    });

    api.post('/api/threads/:id/notes', async (req, reply) => {
      const { id } = idParams.parse(req.params);
      const body = noteBodySchema.parse(req.body ?? {});
      return reply.status(201).send({ note: await command(() => actions.note(id, req.staff!, body.text)) });
    });

    api.get('/api/events', async (req) => queries.since(eventsQuerySchema.parse(req.query).since));

    api.get('/api/metrics', async (req) => {
      const r = figureRange(req.query, queries, 'figures', ctx.now());
      await queries.prepare(r.from, r.to, r.location);
      return queries.metrics(r.from, r.to, r.location);
    });

    api.get('/api/experiments', async () => ({ experiments: await queries.experiments() }));

    api.get('/api/staffing', async (req) => {
      const r = figureRange(req.query, queries, 'staffing', ctx.now());
      return queries.staffing(r.from, r.to, r.location);
    });

    // The review and the exports are managers' reading: they hold every caller's number and words.
    api.get('/api/reports/monthly', async (req, reply) => {
      const manager = requireManager(req);
      const q = reviewMonth(req.query, queries, ctx.now());
      await command(() => audit(ctx, manager, 'export', null, { what: 'monthly review', month: q.month }));
      return reply.type('text/html; charset=utf-8').send(await monthlyReview(ctx, queries, q.month, q.location));
    });

    const exportCsv = (name: string, columns: readonly string[], rows: () => AsyncIterable<unknown[]>) =>
      api.get(`/api/export/${name}`, async (req, reply) => {
        const manager = requireManager(req);
        await command(() => audit(ctx, manager, 'export', null, { what: name }));
        return streamCsv(reply, name, columns, rows());
      });
    // Archived months too, read one at a time as the download goes.
    const rows = async function* <T>(records: AsyncIterable<T>, row: (r: T) => unknown[]) {
      for await (const r of records) yield row(r);
    };
    const data = ctx.store.data;
    exportCsv('threads.csv', threadColumns, () => rows(allRecords(data, queries.archive, 'threads', (t) => t.openedAt), threadRow));
    exportCsv('calls.csv', callColumns, () => rows(allRecords(data, queries.archive, 'calls', (c) => c.startedAt), callRow));
    exportCsv('messages.csv', messageColumns, () => rows(allRecords(data, queries.archive, 'messages', (m) => m.at), messageRow));
    // The staffing grid for the last four weeks (or ?from=&to=&location=), one row per weekday × hour.
    api.get('/api/export/staffing.csv', async (req, reply) => {
      const manager = requireManager(req);
      const r = figureRange(req.query, queries, 'staffing', ctx.now());
      await command(() => audit(ctx, manager, 'export', null, { what: 'staffing.csv' }));
      const grid = await queries.staffing(r.from, r.to, r.location);
      const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
      return streamCsv(reply, 'staffing.csv', ['weekday', 'hour', 'missed', 'answered'], grid.cells.map((c) => [days[c.weekday], c.hour, c.missed, c.answered]));
    });

    api.get('/api/audit', async (req): Promise<AuditReply> => {
      requireManager(req);
      return { entries: await queryAudit(ctx.store.data.audit, queries.archive, auditQuerySchema.parse(req.query)) };
    });
  });
}
