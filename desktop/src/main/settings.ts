import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { app, safeStorage } from 'electron';
import { createSettingsStore, type SettingsFile, type SettingsStore } from './settings-store.js';

/** settings.json in the user-data folder, written atomically; the token through safeStorage. */
export function openSettings(): SettingsStore {
  const path = join(app.getPath('userData'), 'settings.json');
  const file: SettingsFile = {
    read() {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return null;
      }
    },
    write(text) {
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, text, { mode: 0o600 });
      renameSync(tmp, path);
    },
  };
  return createSettingsStore(file, {
    isEncryptionAvailable: () => safeStorage.isEncryptionAvailable(),
    encryptString: (s) => safeStorage.encryptString(s),
    decryptString: (b) => safeStorage.decryptString(b),
    ...(process.platform === 'linux' ? { getSelectedStorageBackend: () => safeStorage.getSelectedStorageBackend() } : {}),
  });
}
