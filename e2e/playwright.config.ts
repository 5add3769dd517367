import path from 'node:path';
import { defineConfig } from '@playwright/test';

// One worker: each test starts its own relay and Chromium profiles, and the machine has two cores.
export default defineConfig({
  testDir: './tests',
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  outputDir: './test-results',
  // The JSON report is what .ci/run counts.
  reporter: [['list'], ['json', { outputFile: path.resolve(import.meta.dirname, '../test-results/e2e.json') }]],
  use: { trace: 'retain-on-failure' },
});
