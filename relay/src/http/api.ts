import type { FastifyInstance } from 'fastify';
import { stringify } from 'csv-stringify';
import {
  eventsQuerySchema,
  metricsQuerySchema,
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
import { requireManager, requireStaff } from './auth.js';

const idParams = z.object({ id: z.string().min(1).max(64) });

/** The staff REST API (DESIGN "Staff API"). Commands answer after their change is on disk. */
export function registerApi(app: FastifyInstance, ctx: Ctx, actions: StaffActions, queries: Queries): void {
  app.register(async (api) => {
    api.decorateRequest('staff', null);
    api.addHook('preHandler', requireStaff(ctx.store));

    /** Run a command; whatever it changed is saved (even when it refuses) before the reply. */
    const command = async <T>(fn: () => T): Promise<T> => {
      try {
        return fn();
      } finally {
        await settle(ctx);
      }
    };

    api.get('/api/me', async (req): Promise<MeReply> => {
      const { business, locations, sla } = ctx.config.business;
      return {
        staff: req.staff!,
        business: { name: business.name, bookingUrl: business.bookingUrl },
        locations: locations.map((l) => ({ id: l.id, name: l.name, timezone: l.timezone, numbers: l.numbers })),
        sla: { claimMinutes: sla.claimMinutes },
        seq: ctx.store.data.seq,
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
      const q = metricsQuerySchema.parse(req.query);
      return queries.metrics(q.from ? new Date(q.from) : undefined, q.to ? new Date(q.to) : undefined);
    });

    api.get('/api/export/threads.csv', async (req, reply) => {
      await command(() => audit(ctx, req.staff!, 'export', null, { what: 'threads.csv' }));
      const csv = stringify({
        header: true,
        columns: ['id', 'location', 'caller', 'callerName', 'status', 'openedAt', 'lastMissedAt', 'missedCount', 'lineType', 'optedOut', 'textBack', 'textBackReason', 'claimedBy', 'outcome', 'value', 'resolvedAt', 'resolvedBy'],
      });
      // Rows are written as the client reads them, so a year of threads is never one string in memory.
      const threads = Object.values(ctx.store.data.threads).sort((a, b) => a.openedAt.localeCompare(b.openedAt));
      setImmediate(() => {
        for (const t of threads) {
          csv.write([t.id, t.locationId, t.caller, t.callerName ?? '', t.status, t.openedAt, t.lastMissedAt ?? '', t.missedCount, t.lineType ?? '', t.optedOut, t.textBack?.state ?? '', t.textBack?.reason ?? '', t.claim?.staffName ?? '', t.resolution?.outcome ?? '', t.resolution?.value ?? '', t.resolution?.at ?? '', t.resolution?.staffName ?? '']);
        }
        csv.end();
      });
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="threads.csv"').send(csv);
    });

    api.get('/api/audit', async (req): Promise<AuditReply> => {
      requireManager(req);
      const q = z.object({ limit: z.coerce.number().int().min(1).max(5000).default(500) }).parse(req.query);
      return { entries: ctx.store.data.audit.slice(-q.limit).reverse() };
    });
  });
}
