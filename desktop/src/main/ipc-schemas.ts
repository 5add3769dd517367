import { z } from 'zod';
import type { InvokeChannel } from '../ipc/channels.js';
import { snoozeSchema } from '@ringback/shared/client';
import { settingsInputSchema } from './settings-store.js';

/** One argument schema per invoke channel; `satisfies` makes a new channel without a schema a compile error. */
export const invokeSchemas = {
  'settings:get': z.undefined(),
  'settings:save': settingsInputSchema,
  'settings:test': z.object({ relayUrl: z.string().max(2000), token: z.string().max(4000).optional() }),
  'relay:session': z.undefined(),
  'window:open': z.object({ window: z.enum(['queue', 'wall', 'settings']), threadId: z.string().min(1).max(200).optional() }),
  'review:open': z.undefined(),
  'alerts:snoozes': z.undefined(),
  'alerts:snooze': snoozeSchema,
  'alerts:unsnooze': z.object({ threadId: z.string().min(1).max(200) }),
} satisfies Record<InvokeChannel, z.ZodType>;

/** Only our own pages may call main: the app:// origin in the packaged app, the dev server in development. */
export function isTrustedSender(frameUrl: string | undefined, appOrigins: readonly string[]): boolean {
  if (!frameUrl) return false;
  try {
    const u = new URL(frameUrl);
    return appOrigins.includes(u.origin) || appOrigins.includes(`${u.protocol}//${u.host}`);
  } catch {
    return false;
  }
}
