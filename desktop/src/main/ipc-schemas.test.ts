import { describe, expect, it } from 'vitest';
import { eventChannels, invokeChannels, isEventChannel, isInvokeChannel } from '../ipc/channels.js';
import { invokeSchemas, isTrustedSender } from './ipc-schemas.js';

describe('IPC allow-list', () => {
  it('every invoke channel has a schema, and no schema lacks a channel', () => {
    expect(Object.keys(invokeSchemas).sort()).toEqual([...invokeChannels].sort());
  });

  it('knows its channels and nothing else', () => {
    expect(isInvokeChannel('settings:get')).toBe(true);
    expect(isInvokeChannel('shell:openExternal')).toBe(false);
    expect(isInvokeChannel('__proto__')).toBe(false);
    expect(isEventChannel('queue:open-thread')).toBe(true);
    expect(isEventChannel('settings:get')).toBe(false);
    expect(new Set([...invokeChannels, ...eventChannels]).size).toBe(invokeChannels.length + eventChannels.length);
  });

  it('validates payloads', () => {
    expect(invokeSchemas['window:open'].safeParse({ window: 'wall' }).success).toBe(true);
    expect(invokeSchemas['window:open'].safeParse({ window: 'devtools' }).success).toBe(false);
    expect(invokeSchemas['window:open'].safeParse({ window: 'queue', threadId: 42 }).success).toBe(false);
    expect(invokeSchemas['settings:get'].safeParse(undefined).success).toBe(true);
    expect(invokeSchemas['settings:get'].safeParse({ evil: 1 }).success).toBe(false);
    expect(invokeSchemas['settings:save'].safeParse({ relayUrl: 'x', startAtLogin: true, wallTheme: 'neon' }).success).toBe(false);
    expect(invokeSchemas['alerts:snooze'].safeParse({ threadId: 't1', at: 1, caller: 'Ana' }).success).toBe(true);
    expect(invokeSchemas['alerts:snooze'].safeParse({ threadId: '', at: 1 }).success).toBe(false);
    expect(invokeSchemas['alerts:snooze'].safeParse({ threadId: 't1', at: -1 }).success).toBe(false);
    expect(invokeSchemas['alerts:snooze'].safeParse({ threadId: 't1', at: 1, extra: true }).success).toBe(false);
    expect(invokeSchemas['alerts:unsnooze'].safeParse({ threadId: 'x'.repeat(201) }).success).toBe(false);
  });

  it('trusts only the app origin', () => {
    const origins = ['app://ringback'];
    expect(isTrustedSender('app://ringback/wall.html', origins)).toBe(true);
    expect(isTrustedSender('https://evil.example/app://ringback', origins)).toBe(false);
    expect(isTrustedSender('file:///etc/passwd', origins)).toBe(false);
    expect(isTrustedSender(undefined, origins)).toBe(false);
    expect(isTrustedSender('not a url', origins)).toBe(false);
  });
});
