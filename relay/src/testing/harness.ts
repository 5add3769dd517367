import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import {
  businessConfigSchema,
  envSchema,
  type BusinessConfigInput,
  type ClientToServerEvents,
  type Role,
  type ServerToClientEvents,
} from '@ringback/shared';
import { pino } from 'pino';
import { buildConfig } from '../config/load.js';
import { demoConfig } from '../config/demo.js';
import { startRelay, type Relay, type RelayOptions } from '../relay.js';
import { addStaff } from '../staff/tokens.js';
import { unjournaled } from './disk-state.js';

export const TRACKING = '+15125550100';
export const CALLER = '+15125551077';

/** The demo business, open around the clock, its booking assistant off, unless a test says otherwise. */
export function testBusiness(patch: (c: BusinessConfigInput) => void = () => {}): BusinessConfigInput {
  const c = structuredClone(demoConfig);
  const allDay: [string, string][] = [['00:00', '24:00']];
  c.locations[0]!.hours = { sun: allDay, mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay };
  if (c.locations[0]!.booking) c.locations[0]!.booking.assistant = 'never';
  patch(c);
  return c;
}

export interface TestRelay extends Relay {
  dir: string;
  /** A staff token, added straight to the store. */
  staff(name: string, role?: Role): Promise<string>;
  api<T = any>(token: string | null, method: string, url: string, body?: unknown): Promise<{ status: number; body: T }>;
  call(input: {
    from?: string;
    to?: string;
    answered: boolean;
    voicemail?: number;
    hangupWhileRinging?: boolean;
    landline?: boolean;
    deskVoicemail?: boolean;
    callerName?: string;
  }): Promise<any>;
  sms(text: string, from?: string): Promise<{ messageUuid: string; status: number }>;
  sent(): Promise<{ uuid: string; from: string; to: string; text: string; status: string }[]>;
  socket(token: string): Socket<ServerToClientEvents, ClientToServerEvents>;
  stop(): Promise<void>;
}

export async function startTestRelay(
  opts: { business?: BusinessConfigInput; dir?: string; env?: Record<string, string>; plivoToken?: string } & Omit<RelayOptions, 'config'> = {},
): Promise<TestRelay> {
  const dir = opts.dir ?? (await mkdtemp(path.join(tmpdir(), 'ringback-test-')));
  const env = envSchema.parse({ PORT: '0', HOST: '127.0.0.1', RINGBACK_DATA_DIR: dir, LOG_LEVEL: 'silent', ...opts.env });
  const business = businessConfigSchema.parse(opts.business ?? testBusiness());
  const config = buildConfig(env, business, 'test');
  // The sandbox's webhook token is random per start; a restart test keeps it to sign like the same Plivo account.
  if (opts.plivoToken) config.plivo.authToken = opts.plivoToken;
  const relay = await startRelay({ ...opts, config, log: opts.log ?? pino({ level: 'silent' }) });
  const sockets: Socket[] = [];

  const json = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(relay.url + url, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // CSV, XML or empty bodies stay text.
    }
    return { status: res.status, body: parsed as any };
  };

  return {
    ...relay,
    dir,
    async staff(name, role = 'receptionist') {
      const { token } = addStaff(relay.store, name, role);
      await relay.store.commit();
      return token;
    },
    api: (token, method, url, body) => json(method, url, body, token ? { authorization: `Bearer ${token}` } : {}),
    async call(input) {
      const res = await json('POST', '/sandbox/calls', { from: CALLER, to: TRACKING, ...input });
      if (res.status !== 200) throw new Error(`sandbox call failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async sms(text, from = CALLER) {
      const res = await json('POST', '/sandbox/sms', { from, to: TRACKING, text });
      if (res.status !== 200) throw new Error(`sandbox sms failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async sent() {
      return (await json('GET', '/sandbox/messages')).body.messages;
    },
    socket(token) {
      const s = io(relay.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(s);
      return s;
    },
    async stop() {
      for (const s of sockets) s.close();
      // Every change a test made must be on disk as it is in memory (a crash now loses nothing).
      // Work still running (a send's answer) may change a record meanwhile: what stays different is lost.
      let lost: string[] = [];
      try {
        for (let i = 0; i < 3 && relay.store.healthy; i++) {
          await relay.store.commit().catch(() => {});
          // A test that removed the data dir itself has nothing left to compare.
          lost = await unjournaled(dir, relay.store.data).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? [] : Promise.reject(e)));
          if (lost.length === 0) break;
          await sleep(50);
        }
      } finally {
        await relay.close();
        if (!opts.dir) await rm(dir, { recursive: true, force: true });
      }
      if (lost.length > 0) throw new Error(`changes in memory that were never journaled:\n${lost.slice(0, 5).join('\n')}`);
    },
  };
}

/** Poll until `check` returns a value (not undefined/false), or fail with what was last seen. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 5000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== null && v !== false) return v as NonNullable<T>;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last: ${String(last)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
