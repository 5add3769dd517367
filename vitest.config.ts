import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['shared', 'relay', 'shared/vitest.ui.config.ts', 'extension', 'desktop'],
    // The JSON report is what .ci/run counts; the default reporter is for people.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
