import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

const require = createRequire(import.meta.url);
const MAIN = path.resolve(import.meta.dirname, '../out/main/index.js');

/** The electron npm package records its downloaded binary in path.txt; without it there is nothing to launch. */
function electronBinary(): string | null {
  try {
    const dir = path.dirname(require.resolve('electron/package.json'));
    const txt = path.join(dir, 'path.txt');
    if (!existsSync(txt)) return null;
    const bin = path.join(dir, 'dist', require('node:fs').readFileSync(txt, 'utf8').trim());
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const bin = electronBinary();
if (!bin) console.log('skipped: no Electron binary (the real-Electron launch test runs where `electron` has its dist/)');

test('the real app launches with a locked-down window and the narrow bridge', async () => {
  test.skip(!bin, 'skipped: no Electron binary');
  const app = await electron.launch({ executablePath: bin!, args: [MAIN], env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' } });
  try {
    // Not configured yet: the settings window opens first.
    const win = await app.firstWindow();
    await expect(win).toHaveTitle(/Settings/);
    expect(win.url()).toBe('app://ringback/settings.html');
    expect(await win.evaluate(() => typeof (window as any).require)).toBe('undefined');
    expect(await win.evaluate(() => typeof (window as any).process)).toBe('undefined');
    expect(await win.evaluate(() => Object.keys((window as any).ringback).sort())).toEqual(['invoke', 'on']);
    await expect(win.evaluate(() => (window as any).ringback.invoke('shell:openExternal', 'https://evil.example'))).rejects.toThrow();
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const w = BrowserWindow.getAllWindows()[0]!;
      // Not in the public typings of every version; absent → the renderer checks above still hold.
      const p = (w.webContents as unknown as { getLastWebPreferences?: () => Record<string, unknown> }).getLastWebPreferences?.() ?? {};
      return { contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration };
    });
    expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false });
  } finally {
    await app.close();
  }
});
