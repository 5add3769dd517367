import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import solid from 'vite-plugin-solid';
import pkg from './package.json' with { type: 'json' };

// electron is an optional dependency (its binary is a separate step) and may be absent; the build only needs
// its major version, which electron-vite otherwise reads from the installed package.
process.env.ELECTRON_MAJOR_VER ??= pkg.optionalDependencies.electron.split('.')[0];

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
