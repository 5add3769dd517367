import { test } from '@playwright/test';
import { startRelay, type Relay } from './relay.js';
import { serveRenderer } from './renderer-server.js';

/** The built renderer served on loopback and a real sandbox relay that allows its origin, for one spec file. */
export function withRendererAndRelay(): { relay: () => Relay; origin: () => string } {
  let relay: Relay | undefined;
  let server: Awaited<ReturnType<typeof serveRenderer>> | undefined;
  test.beforeAll(async () => {
    let relayUrl: string | null = null;
    server = await serveRenderer(() => relayUrl);
    relay = await startRelay(server.origin);
    relayUrl = relay.url;
  });
  test.afterAll(async () => {
    await relay?.dispose();
    await server?.close();
  });
  return { relay: () => relay!, origin: () => server!.origin };
}
