// Gzipped renderer JS per window (the page's entry plus every chunk it preloads), against a 60 KB budget.
// Run after `npm run build -w @ringback/desktop`; exits 1 when a window is over budget.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'renderer');
const BUDGET_KB = 60;
if (!existsSync(root)) {
  console.error('No build at out/renderer: run `npm run build -w @ringback/desktop` first.');
  process.exit(2);
}
let over = false;
for (const page of ['queue', 'wall', 'settings']) {
  const html = readFileSync(join(root, `${page}.html`), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\.?\/?([^"]+\.js)"/g)].map((m) => m[1]);
  const gz = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(root, f)), { level: 9 }).length, 0);
  const kb = gz / 1024;
  if (kb > BUDGET_KB) over = true;
  console.log(`desktop ${page.padEnd(8)} ${kb.toFixed(1).padStart(6)} KB gzipped JS (${files.length} files)${kb > BUDGET_KB ? `  OVER ${BUDGET_KB} KB` : ''}`);
}
process.exit(over ? 1 : 0);
