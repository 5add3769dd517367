// `npm run desktop:setup`: downloads Electron's binary for the desktop app. It is a step of its own, so an
// install that cannot reach Electron's download server (a firewalled relay host, CI) still succeeds.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(import.meta.dirname, '../package.json'));
let install;
try {
  install = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
} catch {
  console.error('desktop:setup: the electron package is not installed; run `npm install` where npm can reach its registry, then this again');
  process.exit(1);
}
const { ELECTRON_SKIP_BINARY_DOWNLOAD: _skip, ...env } = process.env;
const result = spawnSync(process.execPath, [install], { stdio: 'inherit', env });
if (result.status === 0) console.log('desktop:setup: Electron is ready; `npm run desktop` starts the app');
else console.error("desktop:setup: could not download Electron's binary; check the network, or set ELECTRON_MIRROR to a mirror");
process.exit(result.status ?? 1);
