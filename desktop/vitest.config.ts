import { defineConfig } from 'vitest/config';
import solid from 'vite-plugin-solid';

// Main-process logic runs in node (no real electron anywhere); wall components in jsdom.
export default defineConfig({
  plugins: [solid()],
  test: {
    name: 'desktop',
    root: import.meta.dirname,
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'node',
    globals: true,
  },
});
