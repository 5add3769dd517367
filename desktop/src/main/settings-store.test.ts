import { describe, expect, it } from 'vitest';
import { createSettingsStore, type SecretBox, type SettingsFile } from './settings-store.js';

/** Reversible "encryption" that is visibly not the plain text. */
const box = (available = true, backend?: string): SecretBox => ({
  isEncryptionAvailable: () => available,
  encryptString: (s) => Buffer.from(`enc:${[...s].reverse().join('')}`),
  decryptString: (b) => {
    const s = b.toString();
    if (!s.startsWith('enc:')) throw new Error('not ours');
    return [...s.slice(4)].reverse().join('');
  },
  ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
});
const memFile = (initial: string | null = null): SettingsFile & { text: string | null } => {
  const f = { text: initial, read: () => f.text, write: (t: string) => void (f.text = t) };
  return f;
};
const input = { relayUrl: 'https://relay.example.com/', token: 'tok-123', startAtLogin: true, wallTheme: 'dark' as const };

describe('settings store', () => {
  it('stores the token encrypted, never in clear text, and reads it back', () => {
    const file = memFile();
    const s = createSettingsStore(file, box());
    expect(s.save(input)).toMatchObject({ ok: true, settings: { relayUrl: 'https://relay.example.com', hasToken: true, tokenStorage: 'os' } });
    expect(file.text).not.toContain('tok-123');
    expect(JSON.parse(file.text!).tokenEncrypted).toBe(Buffer.from('enc:321-kot').toString('base64'));
    const again = createSettingsStore(file, box());
    expect(again.session()).toEqual({ relayUrl: 'https://relay.example.com', token: 'tok-123' });
    expect(again.view()).toMatchObject({ startAtLogin: true, wallTheme: 'dark' });
  });

  it('keeps the stored token when the form leaves it blank', () => {
    const file = memFile();
    const s = createSettingsStore(file, box());
    s.save(input);
    expect(s.save({ ...input, relayUrl: 'http://127.0.0.1:8787', token: '' })).toMatchObject({ ok: true });
    expect(s.session()).toEqual({ relayUrl: 'http://127.0.0.1:8787', token: 'tok-123' });
  });

  it('rejects a bad address or a missing token with the field to fix', () => {
    const s = createSettingsStore(memFile(), box());
    expect(s.save({ ...input, relayUrl: 'relay' })).toMatchObject({ ok: false, field: 'relayUrl' });
    expect(s.save({ ...input, relayUrl: 'ftp://x' })).toMatchObject({ ok: false, field: 'relayUrl' });
    expect(s.save({ ...input, token: undefined })).toMatchObject({ ok: false, field: 'token' });
    expect(() => s.save({ ...input, startAtLogin: 'yes' } as never)).toThrow();
  });

  it('without OS encryption keeps the token in memory only', () => {
    const file = memFile();
    const s = createSettingsStore(file, box(false));
    expect(s.save(input)).toMatchObject({ ok: true, settings: { tokenStorage: 'memory', hasToken: true } });
    expect(file.text).not.toContain('tok-123');
    expect(JSON.parse(file.text!).tokenEncrypted).toBeNull();
    expect(s.session()?.token).toBe('tok-123');
    expect(createSettingsStore(file, box(false)).session()).toBeNull();
  });

  it("reports Linux's basic_text backend as weak", () => {
    const s = createSettingsStore(memFile(), box(true, 'basic_text'));
    expect(s.view().tokenStorage).toBe('basic');
  });

  it('starts from defaults on a damaged file, and on a token it cannot decrypt', () => {
    expect(createSettingsStore(memFile('{not json'), box()).view()).toMatchObject({ relayUrl: '', hasToken: false, wallTheme: 'system' });
    const foreign = memFile(JSON.stringify({ relayUrl: 'https://r.example', tokenEncrypted: Buffer.from('xx').toString('base64') }));
    expect(createSettingsStore(foreign, box()).session()).toBeNull();
  });

  it('persists the pause', () => {
    const file = memFile();
    createSettingsStore(file, box()).setPausedUntil(1234);
    expect(createSettingsStore(file, box()).pausedUntil()).toBe(1234);
  });

  it('keeps alert choices and reminders across restarts; saving the form keeps the reminders', () => {
    const file = memFile();
    const s = createSettingsStore(file, box());
    const alerts = { sound: 'bell' as const, urgentSound: 'chime' as const, urgentOnly: true, quietTimes: [{ days: ['sat' as const], from: '22:00', to: '07:00', mode: 'no-popups' as const }] };
    s.addSnooze({ threadId: 't1', at: 5000, caller: 'Ana' });
    expect(s.save({ ...input, alerts })).toMatchObject({ ok: true, settings: { alerts } });
    const again = createSettingsStore(file, box());
    expect(again.alerts()).toEqual({ ...alerts, snoozes: [{ threadId: 't1', at: 5000, caller: 'Ana' }] });
    // A save without alert choices (an older settings window) leaves them as they were.
    again.save(input);
    expect(createSettingsStore(file, box()).alerts().urgentOnly).toBe(true);
  });

  it('damaged alert settings fall back to defaults without losing the relay address', () => {
    const file = memFile();
    createSettingsStore(file, box()).save(input);
    file.text = JSON.stringify({ ...JSON.parse(file.text!), alerts: { sound: 'siren', snoozes: 'x' } });
    const s = createSettingsStore(file, box());
    expect(s.session()?.relayUrl).toBe('https://relay.example.com');
    expect(s.alerts()).toMatchObject({ sound: 'chime', urgentOnly: false, snoozes: [] });
  });

  it('refuses bad alert choices from the settings window', () => {
    const s = createSettingsStore(memFile(), box());
    const bad = { sound: 'chime', urgentSound: 'bell', urgentOnly: false, quietTimes: [{ days: ['mon'], from: '9am', to: '10:00', mode: 'no-sound' }] };
    expect(() => s.save({ ...input, alerts: bad as never })).toThrow();
  });
});
