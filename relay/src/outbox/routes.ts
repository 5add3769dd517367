import type { FastifyInstance } from 'fastify';
import { messageParamsSchema, type MessageReply } from '@ringback/shared';
import { requireStaff } from '../http/auth.js';
import { settle, type Ctx } from '../threads/context.js';
import type { Outbox } from './outbox.js';

/** Staff control over the outbox: cancel a text that is still waiting (a reply retrying through an outage). */
export function registerOutboxApi(app: FastifyInstance, ctx: Ctx, outbox: Outbox): void {
  app.register(async (api) => {
    api.decorateRequest('staff', null);
    api.addHook('preHandler', requireStaff(ctx.store));

    api.post('/api/threads/:id/messages/:messageId/cancel', async (req): Promise<MessageReply> => {
      const { id, messageId } = messageParamsSchema.parse(req.params);
      try {
        return { message: outbox.cancel(id, messageId, req.staff!) };
      } finally {
        // Answer only once the cancellation (and its audit entry) is on disk.
        await settle(ctx);
      }
    });
  });
}
