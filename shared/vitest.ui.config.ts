import { defineConfig } from 'vitest/config';
import solid from 'vite-plugin-solid';

// Solid component tests for src/ui (jsdom); `globals: true` lets testing-library clean up between tests.
export default defineConfig({
  plugins: [solid()],
  test: {
    name: 'ui',
    root: import.meta.dirname,
    include: ['src/ui/**/*.test.tsx'],
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/ui/test-setup.ts'],
  },
});
