// Production build: relay + @ringback/shared bundled into relay/dist as plain JavaScript for `node`.
// npm packages stay external (they are the relay's `dependencies`); the workspace's TypeScript is bundled.
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

const relay = path.resolve(import.meta.dirname, '..');
const dist = path.join(relay, 'dist');
const pkg = JSON.parse(await readFile(path.join(relay, 'package.json'), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {});

await rm(dist, { recursive: true, force: true });
await build({
  // The compactor is a file of its own: the relay starts it by path (store/compact.ts).
  entryPoints: { main: path.join(relay, 'src/main.ts'), cli: path.join(relay, 'src/cli.ts'), compactor: path.join(relay, 'src/store/compactor.ts') },
  outdir: dist,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  external,
  sourcemap: true,
  logLevel: 'warning',
});
// Files the relay reads beside its code (new URL('./x', import.meta.url)) travel with it.
await copyFile(path.join(relay, 'src/sandbox/dev-phone.html'), path.join(dist, 'dev-phone.html'));
// The CLI's source runs through tsx; the built one runs under node.
const cli = path.join(dist, 'cli.js');
await writeFile(cli, (await readFile(cli, 'utf8')).replace(/^#!.*\n/, '#!/usr/bin/env node\n'), { mode: 0o755 });
console.log(`built ${path.relative(process.cwd(), dist)}/main.js and cli.js (${pkg.name} ${pkg.version})`);
