// Gzipped size of the JS the side panel loads (sidepanel.html's entry, its static imports and any lazy chunks).
// Usage: node extension/scripts/size.mjs [--budget-kb 60]; exits 1 over budget. Build first (npm run build:chrome).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const out = path.resolve(import.meta.dirname, '../.output/chrome-mv3');
const i = process.argv.indexOf('--budget-kb');
const budgetKb = i > 0 ? Number(process.argv[i + 1]) : 60;
const html = path.join(out, 'sidepanel.html');
if (!existsSync(html)) {
  console.error(`no build at ${out}: run "npm run build:chrome -w @ringback/extension" first`);
  process.exit(2);
}

const seen = new Set();
const queue = [...readFileSync(html, 'utf8').matchAll(/(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
while (queue.length) {
  const rel = queue.shift();
  if (seen.has(rel)) continue;
  seen.add(rel);
  const code = readFileSync(path.join(out, rel), 'utf8');
  // Static and dynamic imports between chunks are relative ("./x.js") or root-relative ("/chunks/x.js").
  for (const m of code.matchAll(/(?:import|from)\s*\(?\s*["']([./][^"']+\.js)["']/g)) {
    const target = m[1].startsWith('/') ? m[1].slice(1) : path.posix.join(path.posix.dirname(rel), m[1]);
    queue.push(target);
  }
}

let total = 0;
for (const rel of [...seen].sort()) {
  const gz = gzipSync(readFileSync(path.join(out, rel)), { level: 9 }).length;
  total += gz;
  console.log(`${(gz / 1024).toFixed(1).padStart(7)} KB  ${rel}`);
}
const ok = total <= budgetKb * 1024;
console.log(`${(total / 1024).toFixed(1).padStart(7)} KB  side panel JS, gzipped (budget ${budgetKb} KB) ${ok ? 'OK' : 'OVER BUDGET'}`);
process.exit(ok ? 0 : 1);
