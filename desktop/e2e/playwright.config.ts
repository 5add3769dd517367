import path from 'node:path';
import { defineConfig } from '@playwright/test';

const ROOT = path.resolve(import.meta.dirname, '../..');

// The desktop renderer in the system Chromium (the Playwright browser download is not available here),
// against a real sandbox relay; plus a real-Electron launch that skips where there is no Electron binary.
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  outputDir: path.join(import.meta.dirname, 'artifacts/results'),
  reporter: [['list'], ['json', { outputFile: path.join(ROOT, 'test-results/desktop-e2e.json') }]],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
    trace: 'retain-on-failure',
  },
});
