import { test } from '@playwright/test';
import { configure, launchProfile, type Profile } from './extension';
import { startSandboxRelay, type SandboxRelay } from './relay';

type Staff = 'ana' | 'riley';

/**
 * For one spec file: a real sandbox relay and a Chromium profile with the built extension for each named staff
 * member, configured with their token. The fields are filled in before the first test.
 */
export function withRelayAndProfiles<S extends Staff>(...staff: S[]): { relay: SandboxRelay } & Record<S, Profile> {
  const env = {} as { relay: SandboxRelay } & Record<S, Profile>;
  test.beforeAll(async () => {
    env.relay = await startSandboxRelay();
    for (const name of staff) {
      const profile = await launchProfile();
      (env as Record<S, Profile>)[name] = profile;
      await configure(profile, env.relay.url, env.relay.tokens[name]);
    }
  });
  test.afterAll(async () => {
    for (const name of staff) await (env as Partial<Record<S, Profile>>)[name]?.close();
    await env.relay?.dispose();
  });
  return env;
}
