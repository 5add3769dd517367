import { expect, chromium, type BrowserContext, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seriousA11yViolations } from './axe';

export const EXTENSION_DIR = path.resolve(import.meta.dirname, '../../extension/.output/chrome-mv3');
export const ARTIFACTS = path.resolve(import.meta.dirname, '../artifacts');

export interface Profile {
  context: BrowserContext;
  id: string;
  page(file: string): Promise<Page>;
  close(): Promise<void>;
}

/** A fresh Chromium profile with the built extension loaded (Debian's Chromium, headless). */
export async function launchProfile(): Promise<Profile> {
  const userDir = await mkdtemp(path.join(tmpdir(), 'ringback-profile-'));
  const context = await chromium.launchPersistentContext(userDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 400, height: 720 },
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  let [sw] = context.serviceWorkers();
  if (!sw) sw = await context.waitForEvent('serviceworker');
  const id = new URL(sw.url()).host;
  return {
    context,
    id,
    async page(file) {
      const p = await context.newPage();
      await p.goto(`chrome-extension://${id}/${file}`);
      return p;
    },
    async close() {
      await context.close();
      await rm(userDir, { recursive: true, force: true });
    },
  };
}

/** Fill the options page like a person would and save; returns the result line. */
export async function configure(profile: Profile, relayUrl: string, token: string): Promise<string> {
  const page = await profile.page('options.html');
  await page.getByLabel('Relay address').fill(relayUrl);
  await page.getByLabel('Staff token').fill(token);
  await page.getByRole('button', { name: 'Save' }).click();
  const result = page.getByTestId('options-result');
  await result.filter({ hasText: 'Saved' }).waitFor();
  const text = (await result.textContent()) ?? '';
  await page.close();
  return text;
}

/** A screenshot for a person to look at, and axe over the same screen: no serious or critical violations. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  expect(await seriousA11yViolations(page), `accessibility of ${name}`).toEqual([]);
}
