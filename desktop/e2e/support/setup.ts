import { test } from '@playwright/test';
import { startRelay, type Relay } from './relay.js';
import { serveRenderer } from './renderer-server.js';

/**
 * The built renderer served on loopback and a real sandbox relay that allows its origin, for one spec file;
 * optionally with its own business file, and something done to the relay before the first test.
 */
export function withRendererAndRelay(
  opts: { config?: (dir: string) => Promise<string>; prepare?: (relay: Relay) => Promise<void> } = {},
): { relay: () => Relay; origin: () => string } {
  let relay: Relay | undefined;
  let server: Awaited<ReturnType<typeof serveRenderer>> | undefined;
  test.beforeAll(async () => {
    let relayUrl: string | null = null;
    server = await serveRenderer(() => relayUrl);
    relay = await startRelay(server.origin, { config: opts.config });
    relayUrl = relay.url;
    await opts.prepare?.(relay);
  });
  test.afterAll(async () => {
    await relay?.dispose();
    await server?.close();
  });
  return { relay: () => relay!, origin: () => server!.origin };
}
