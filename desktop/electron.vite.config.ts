import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import solid from 'vite-plugin-solid';

// @ringback/shared ships TypeScript source, so it is bundled, not left as a runtime require.
const bundleShared = { exclude: ['@ringback/shared'] };

export default defineConfig({
  main: {
    build: { externalizeDeps: bundleShared, rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/main/index.ts') } } },
  },
  preload: {
    // Sandboxed preloads must be one CommonJS file with nothing to require but electron.
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    plugins: [solid()],
    build: {
      // electron-vite leaves the renderer unminified by default; the size budget is for what ships.
      minify: true,
      rollupOptions: {
        input: {
          queue: resolve(import.meta.dirname, 'src/renderer/queue.html'),
          wall: resolve(import.meta.dirname, 'src/renderer/wall.html'),
          settings: resolve(import.meta.dirname, 'src/renderer/settings.html'),
        },
      },
    },
  },
});
