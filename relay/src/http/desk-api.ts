import type { FastifyInstance } from 'fastify';
import {
  assignBodySchema,
  callbackBodySchema,
  contactBodySchema,
  contactListQuerySchema,
  contactPatchSchema,
  parsePhone,
  quickReplyBodySchema,
  quickReplyPatchSchema,
  quickReplyQuerySchema,
  reviewBodySchema,
  staffCreateSchema,
  type ContactListReply,
  type QuickReplyListReply,
  type StaffListReply,
} from '@ringback/shared';
import { z } from 'zod';
import { bookingUrlFor } from '../booking/links.js';
import { addStaff, publicStaff, revokeStaffById } from '../staff/tokens.js';
import { own } from '../store/own.js';
import type { Callbacks } from '../threads/callbacks.js';
import { decideRevocation } from '../threads/consent.js';
import type { Contacts } from '../threads/contacts.js';
import { audit, settle, type Ctx } from '../threads/context.js';
import { DomainError, notFound } from '../threads/errors.js';
import type { QuickReplies } from '../threads/quick-replies.js';
import type { StaffActions } from '../threads/staff-actions.js';
import { requireManager, requireStaff } from './auth.js';
import { streamCsv } from './csv.js';

const idParams = z.object({ id: z.string().min(1).max(64) });
const CSV_LIMIT = 2 * 1024 * 1024;

export interface DeskServices {
  actions: StaffActions;
  contacts: Contacts;
  quickReplies: QuickReplies;
  callbacks: Callbacks;
  /** Drops the live sockets of a revoked staff member (bound once the socket server runs). */
  revokeSockets: (staffId: string) => void;
}

/** Front-desk operations: assignment, opt-out review, call-backs, staff, contacts, quick replies. */
export function registerDeskApi(app: FastifyInstance, ctx: Ctx, s: DeskServices): void {
  app.register(async (api) => {
    api.decorateRequest('staff', null);
    api.addHook('preHandler', requireStaff(ctx.store));
    api.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: CSV_LIMIT }, (_req, body, done) => done(null, body));

    const command = async <T>(fn: () => T): Promise<T> => {
      try {
        return ctx.store.transaction(fn);
      } finally {
        await settle(ctx);
      }
    };
    const thread = (id: string) => {
      const t = ctx.store.edit('threads', id);
      if (!t) throw notFound('thread');
      return t;
    };

    api.post('/api/threads/:id/assign', async (req) => {
      const manager = requireManager(req);
      const { id } = idParams.parse(req.params);
      const { staffId } = assignBodySchema.parse(req.body ?? {});
      return { thread: await command(() => s.actions.assign(id, manager, staffId)) };
    });

    api.post('/api/threads/:id/reopen', async (req) => {
      const { id } = idParams.parse(req.params);
      return { thread: await command(() => s.actions.reopen(id, req.staff!)) };
    });

    api.post('/api/threads/:id/opt-out-review', async (req) => {
      const { id } = idParams.parse(req.params);
      const { decision } = reviewBodySchema.parse(req.body ?? {});
      return { thread: await command(() => decideRevocation(ctx, thread(id), req.staff!, decision)) };
    });

    api.post('/api/threads/:id/callback', async (req, reply) => {
      const { id } = idParams.parse(req.params);
      const body = callbackBodySchema.parse(req.body ?? {});
      return reply.status(201).send({ callback: await s.callbacks.start(id, req.staff!, body.phone) });
    });

    // Staff: managers add and revoke over the API too (the CLI stays for the first manager).
    api.get('/api/staff', async (req): Promise<StaffListReply> => {
      requireManager(req);
      return { staff: ctx.store.data.staff.map((r) => ({ ...publicStaff(r), createdAt: r.createdAt, revokedAt: r.revokedAt })) };
    });
    api.post('/api/staff', async (req, reply) => {
      const manager = requireManager(req);
      const body = staffCreateSchema.parse(req.body ?? {});
      let phone: string | null = null;
      if (body.phone) {
        const p = parsePhone(body.phone, ctx.config.business.business.country);
        if (!p.ok) throw new DomainError(400, 'invalid', `phone "${body.phone}" is not a valid number`);
        phone = p.e164;
      }
      const created = await command(() => {
        let result;
        try {
          result = addStaff(ctx.store, body.name, body.role, ctx.now(), phone);
        } catch (e) {
          throw new DomainError(409, 'exists', (e as Error).message);
        }
        audit(ctx, manager, 'staff-add', null, { staffId: result.staff.id, name: result.staff.name, role: result.staff.role });
        return result;
      });
      return reply.status(201).send(created);
    });
    api.delete('/api/staff/:id', async (req) => {
      const manager = requireManager(req);
      const { id } = idParams.parse(req.params);
      if (id === manager.id) throw new DomainError(409, 'self', 'You cannot revoke your own token.');
      const staff = await command(() => {
        let revoked;
        try {
          revoked = revokeStaffById(ctx.store, id, ctx.now());
        } catch {
          throw notFound('staff member');
        }
        audit(ctx, manager, 'staff-revoke', null, { staffId: id, name: revoked.name });
        return revoked;
      });
      s.revokeSockets(id);
      return { staff };
    });

    // Contacts: every desk reads them; managers change them.
    api.get('/api/contacts', async (req): Promise<ContactListReply> => {
      const q = contactListQuerySchema.parse(req.query);
      return { contacts: s.contacts.list(q.tag, q.q) };
    });
    api.get('/api/contacts/:id', async (req) => s.contacts.get(idParams.parse(req.params).id));
    api.post('/api/contacts', async (req, reply) => {
      const manager = requireManager(req);
      const body = contactBodySchema.parse(req.body ?? {});
      return reply.status(201).send({ contact: await command(() => s.contacts.create(body, manager)) });
    });
    api.patch('/api/contacts/:id', async (req) => {
      const manager = requireManager(req);
      const { id } = idParams.parse(req.params);
      const patch = contactPatchSchema.parse(req.body ?? {});
      return { contact: await command(() => s.contacts.update(id, patch, manager)) };
    });
    api.delete('/api/contacts/:id', async (req, reply) => {
      const manager = requireManager(req);
      const { id } = idParams.parse(req.params);
      await command(() => s.contacts.remove(id, manager));
      return reply.status(204).send();
    });
    api.post('/api/contacts/import', async (req) => {
      const manager = requireManager(req);
      if (typeof req.body !== 'string') throw new DomainError(415, 'unsupported-media-type', 'Send the file as text/csv.');
      const body = req.body;
      return command(() => s.contacts.importCsv(body, manager));
    });
    api.get('/api/export/contacts.csv', async (req, reply) => {
      const manager = requireManager(req);
      await command(() => audit(ctx, manager, 'export', null, { what: 'contacts.csv' }));
      const rows = s.contacts.list().map((c) => [c.name, c.phone, c.tags.join(';'), c.notes, c.customerSince ?? '']);
      return streamCsv(reply, 'contacts.csv', ['name', 'phone', 'tags', 'notes', 'customer_since'], rows);
    });

    // Quick replies: every desk reads (rendered for a thread on request); managers write.
    api.get('/api/quick-replies', async (req): Promise<QuickReplyListReply> => {
      const q = quickReplyQuerySchema.parse(req.query);
      const t = q.thread ? thread(q.thread) : undefined;
      const list = s.quickReplies.list(q.location ?? t?.locationId);
      if (!t) return { quickReplies: list };
      return { quickReplies: list.map((r) => ({ ...r, rendered: s.quickReplies.render(r, t, req.staff!) })), bookingUrl: bookingUrlFor(ctx, t) };
    });
    api.post('/api/quick-replies', async (req, reply) => {
      const manager = requireManager(req);
      const body = quickReplyBodySchema.parse(req.body ?? {});
      return reply.status(201).send({ quickReply: await command(() => s.quickReplies.create(body, manager)) });
    });
    api.patch('/api/quick-replies/:id', async (req) => {
      const manager = requireManager(req);
      const { id } = idParams.parse(req.params);
      const patch = quickReplyPatchSchema.parse(req.body ?? {});
      return { quickReply: await command(() => s.quickReplies.update(id, patch, manager)) };
    });
    api.delete('/api/quick-replies/:id', async (req, reply) => {
      const manager = requireManager(req);
      const { id } = idParams.parse(req.params);
      await command(() => s.quickReplies.remove(id, manager));
      return reply.status(204).send();
    });
  });
}
