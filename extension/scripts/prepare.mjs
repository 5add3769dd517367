// postinstall: `wxt prepare` writes .wxt/ (types the extension's tsconfig extends). A production install
// (`npm ci --omit=dev`) has no wxt and nothing to type-check, so it skips; any other failure still fails.
import { spawnSync } from 'node:child_process';

const result = spawnSync('wxt', ['prepare'], { stdio: 'inherit' });
if (result.error && 'code' in result.error && result.error.code === 'ENOENT') {
  console.log('extension: wxt is not installed (production install), skipping wxt prepare');
  process.exit(0);
}
process.exit(result.status ?? 1);
