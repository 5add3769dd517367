import type { FastifyInstance } from 'fastify';
import { settingsPatchSchema } from '@ringback/shared';
import type { Settings } from '../settings/settings.js';
import { settle, type Ctx } from '../threads/context.js';
import { requireManager, requireStaff } from './auth.js';

/** Manager-only: read and change the run-time settings; every change is audited. */
export function registerSettingsApi(app: FastifyInstance, ctx: Ctx, settings: Settings): void {
  app.register(async (api) => {
    api.decorateRequest('staff', null);
    api.addHook('preHandler', requireStaff(ctx.store));
    api.get('/api/settings', async (req) => {
      requireManager(req);
      return settings.read();
    });
    api.patch('/api/settings', async (req) => {
      const staff = requireManager(req);
      const patch = settingsPatchSchema.parse(req.body ?? {});
      const before = ctx.config.business;
      const reply = ctx.store.transaction(() => settings.change(patch, staff));
      // Not saved: the stored patch is undone with the command, and the settings in force with it.
      await settle(ctx).catch((e: unknown) => {
        ctx.config.business = before;
        throw e;
      });
      return reply;
    });
  });
}
