import { createRelayApi, isRelayError, reviewPageUrl, type RelaySettings } from '@ringback/shared/client';
import type { ReviewResult } from '../ipc/channels.js';

/**
 * The monthly review in the default browser: main holds the token, asks the relay for a single-use link and
 * opens only the relay's own review page with it. The renderer can ask for this, never for an address.
 */
export async function openReview(
  session: RelaySettings | null,
  openExternal: (url: string) => Promise<void>,
  fetchImpl?: typeof fetch,
): Promise<ReviewResult> {
  if (!session) return { ok: false, message: 'Set up the relay address and token first.' };
  try {
    const { path } = await createRelayApi(session, fetchImpl).reviewLink();
    await openExternal(reviewPageUrl(session.relayUrl, path));
    return { ok: true };
  } catch (e) {
    if (isRelayError(e, 'unauthorized')) return { ok: false, message: 'The relay refused this token. Open Settings.' };
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}
