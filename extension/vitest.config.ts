import { defineConfig } from 'vitest/config';
import solid from 'vite-plugin-solid';

export default defineConfig({
  plugins: [solid()],
  test: {
    name: 'extension',
    root: import.meta.dirname,
    include: ['lib/**/*.test.ts', 'entrypoints/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    globals: true,
  },
});
