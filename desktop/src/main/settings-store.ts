import { z } from 'zod';
import { alertChoicesSchema, checkSettings, readAlertSettings, setSnooze, type AlertSettings, type Snooze } from '@ringback/shared/client';
import type { AlertChoices, SaveResult, SettingsInput, SettingsView, WallTheme } from '../ipc/channels.js';

/** The parts of Electron's safeStorage we use, so tests can inject a fake. */
export interface SecretBox {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means a hard-coded key (no keyring). Absent elsewhere. */
  getSelectedStorageBackend?(): string;
}

export interface SettingsFile {
  read(): string | null;
  /** Must replace the file atomically (write a temp file, rename). */
  write(text: string): void;
}

/** The file on disk. The token is only ever stored encrypted, as base64. */
const fileSchema = z.object({
  relayUrl: z.string().default(''),
  tokenEncrypted: z.string().nullable().default(null),
  startAtLogin: z.boolean().default(false),
  wallTheme: z.enum(['system', 'dark', 'light']).default('system'),
  pausedUntil: z.number().int().nonnegative().nullable().default(null),
  // Damaged alert settings fall back to their defaults on their own, keeping the relay address and token.
  alerts: z.unknown().optional().transform(readAlertSettings),
});
type Stored = z.infer<typeof fileSchema>;

/** What arrives over IPC from the settings window; validated again here because IPC is an edge. */
export const settingsInputSchema = z.object({
  relayUrl: z.string().max(2000),
  token: z.string().max(4000).optional(),
  startAtLogin: z.boolean(),
  wallTheme: z.enum(['system', 'dark', 'light']),
  alerts: alertChoicesSchema.optional(),
});

export interface SettingsStore {
  view(): SettingsView;
  /** URL and token for connecting, or null when either is missing. */
  session(): { relayUrl: string; token: string } | null;
  save(input: SettingsInput): SaveResult;
  wallTheme(): WallTheme;
  startAtLogin(): boolean;
  pausedUntil(): number | null;
  setPausedUntil(at: number | null): void;
  alerts(): AlertSettings;
  /** Replace the reminder list (set, cancel, or drop the ones that fired). */
  setSnoozes(list: Snooze[]): void;
  addSnooze(s: Snooze): Snooze[];
}

export function createSettingsStore(file: SettingsFile, box: SecretBox): SettingsStore {
  let stored: Stored = load();
  // Without OS encryption the token lives only in memory for this run: never written in clear text.
  let memoryToken: string | null = null;

  function load(): Stored {
    const text = file.read();
    if (!text) return fileSchema.parse({});
    try {
      const parsed = fileSchema.safeParse(JSON.parse(text));
      // A hand-edited or damaged file: start from defaults rather than crash the tray.
      return parsed.success ? parsed.data : fileSchema.parse({});
    } catch {
      return fileSchema.parse({});
    }
  }
  const persist = () => file.write(JSON.stringify(stored, null, 2) + '\n');

  const tokenStorage = (): SettingsView['tokenStorage'] => {
    if (!box.isEncryptionAvailable()) return 'memory';
    return box.getSelectedStorageBackend?.() === 'basic_text' ? 'basic' : 'os';
  };

  function token(): string | null {
    if (memoryToken) return memoryToken;
    if (!stored.tokenEncrypted || !box.isEncryptionAvailable()) return null;
    try {
      return box.decryptString(Buffer.from(stored.tokenEncrypted, 'base64'));
    } catch {
      // Encrypted under another user or keychain: treat as no token, the user pastes it again.
      return null;
    }
  }

  const choices = ({ snoozes: _s, ...rest }: AlertSettings): AlertChoices => rest;
  const view = (): SettingsView => ({
    relayUrl: stored.relayUrl,
    hasToken: token() !== null,
    startAtLogin: stored.startAtLogin,
    wallTheme: stored.wallTheme,
    tokenStorage: tokenStorage(),
    alerts: choices(stored.alerts),
  });

  return {
    view,
    session() {
      const t = token();
      return stored.relayUrl && t ? { relayUrl: stored.relayUrl, token: t } : null;
    },
    save(raw) {
      const input = settingsInputSchema.parse(raw);
      const newToken = input.token?.trim() ? input.token : token();
      const checked = checkSettings(input.relayUrl, newToken ?? '');
      if (!checked.ok) return checked;
      const next: Stored = { ...stored, relayUrl: checked.settings.relayUrl, startAtLogin: input.startAtLogin, wallTheme: input.wallTheme };
      if (input.alerts) next.alerts = { ...input.alerts, snoozes: stored.alerts.snoozes };
      if (box.isEncryptionAvailable()) {
        next.tokenEncrypted = box.encryptString(checked.settings.token).toString('base64');
        memoryToken = null;
      } else {
        next.tokenEncrypted = null;
        memoryToken = checked.settings.token;
      }
      stored = next;
      persist();
      return { ok: true, settings: view() };
    },
    wallTheme: () => stored.wallTheme,
    startAtLogin: () => stored.startAtLogin,
    pausedUntil: () => stored.pausedUntil,
    setPausedUntil(at) {
      stored = { ...stored, pausedUntil: at };
      persist();
    },
    alerts: () => stored.alerts,
    setSnoozes(list) {
      stored = { ...stored, alerts: { ...stored.alerts, snoozes: list } };
      persist();
    },
    addSnooze(s) {
      stored = { ...stored, alerts: { ...stored.alerts, snoozes: setSnooze(stored.alerts.snoozes, s) } };
      persist();
      return stored.alerts.snoozes;
    },
  };
}
