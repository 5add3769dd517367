import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signV2 } from '../plivo/signature.js';
import { CALLER, startTestRelay, TRACKING, type TestRelay } from '../testing/harness.js';

/** Disk full, for real: the data dir is a 1 MB tmpfs (needs root to mount; says so plainly otherwise). */
let mnt = '';
let mounted = false;
beforeAll(async () => {
  mnt = await mkdtemp(path.join(tmpdir(), 'ringback-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt], { stdio: 'ignore' });
    mounted = true;
  } catch {
    console.warn('skipped disk-full test: cannot mount a tmpfs here (needs root)');
  }
});
afterAll(async () => {
  if (mounted) execFileSync('umount', [mnt]);
  await rm(mnt, { recursive: true, force: true });
});

async function sms(relay: TestRelay, uuid: string, text: string): Promise<number> {
  const url = `${relay.config.publicUrl}/plivo/sms/inbound`;
  // One nonce per message, as Plivo sends: the same nonce with another body is refused as a replay.
  const nonce = `n-${uuid}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-plivo-signature-v2': signV2(url, nonce, relay.config.plivo.authToken),
      'x-plivo-signature-v2-nonce': nonce,
    },
    body: new URLSearchParams({ MessageUUID: uuid, From: CALLER, To: TRACKING, Text: text }).toString(),
  });
  return res.status;
}

describe('disk full', () => {
  it('answers 503 while nothing can be saved, then takes Plivo retry once space is back', async (ctx) => {
    if (!mounted) return ctx.skip();
    let relay = await startTestRelay({ dir: mnt });
    const filler = path.join(mnt, 'filler');
    await writeFile(filler, Buffer.alloc(4 * 1024 * 1024)).catch(() => {}); // fills the tmpfs to the last page
    const text = 'x'.repeat(1500);
    const statuses: number[] = [];
    for (let i = 0; i < 6 && !statuses.includes(503); i++) statuses.push(await sms(relay, `full-${i}`, text));
    expect(statuses).toContain(503);
    expect((await fetch(`${relay.url}/healthz`)).status).toBe(503);
    const failed = `full-${statuses.indexOf(503)}`;

    await rm(filler);
    expect(await sms(relay, failed, text)).toBe(200); // Plivo's retry
    expect((await fetch(`${relay.url}/healthz`)).status).toBe(200);
    await relay.stop();
    relay = await startTestRelay({ dir: mnt });
    const stored = Object.values(relay.store.data.messages).filter((m) => m.plivoUuid === failed);
    expect(stored).toHaveLength(1);
    await relay.stop();
  });
});
