import { pino } from 'pino';
import { configWarnings } from './config/check.js';
import { ConfigError, loadConfig } from './config/load.js';
import { startRelay } from './relay.js';
import { CorruptDataError, DataDirError, unwritable } from './store/store.js';
import { DataDirLockedError } from './store/lock.js';
import { RELAY_VERSION } from './version.js';

/**
 * The relay, in the mode RINGBACK_MODE names (plivo when only Plivo credentials are set). `npm start` passes
 * `--default-mode=sandbox`, so the README's first command opens the demo when nothing else is chosen.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env, process.argv.includes('--default-mode=sandbox') ? 'sandbox' : null);
  const log = pino({ level: config.env.LOG_LEVEL });
  const relay = await startRelay({ config, log });
  const warnings = configWarnings(config, relay.store.data.staff.filter((s) => !s.revokedAt).map((s) => s.name));
  // stdout carries one format, JSON lines; the banner below is for a person at a terminal.
  log.info({ event: 'start', version: RELAY_VERSION, mode: config.sandbox ? 'sandbox' : 'plivo', url: relay.url, config: config.businessSource }, 'relay started');
  for (const w of warnings) log.warn({ event: 'config' }, w);
  const lines = [
    `Ringback relay ${RELAY_VERSION} for ${config.business.business.name} listening on ${relay.url} (pid ${process.pid})`,
    `  business config: ${config.businessSource}; data: ${config.env.RINGBACK_DATA_DIR}`,
  ];
  if (config.sandbox) {
    lines.push(
      `  sandbox mode: open ${config.publicUrl}/sandbox to call and text the demo line`,
      `  demo staff token (manager, new each start, revoked at stop): ${relay.demoToken}`,
    );
  } else {
    lines.push(`  Plivo webhooks expected at ${config.publicUrl}/plivo/voice/answer, /plivo/voice/hangup and /plivo/sms/inbound`);
  }
  for (const w of warnings) lines.push(`  warning: ${w}`);
  if (process.stdout.isTTY) console.log(lines.join('\n'));
  else if (relay.demoToken) log.info({ event: 'demo-token', token: relay.demoToken }, 'demo staff token (manager, new each start)');

  const stop = (signal: string) => {
    log.info({ event: 'stop', signal }, 'saving and closing');
    relay.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(`ringback: could not save on close: ${(unwritable(config.env.RINGBACK_DATA_DIR, e) ?? (e as Error)).message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof CorruptDataError || e instanceof DataDirLockedError || e instanceof DataDirError) {
    console.error(`ringback: ${e.message}`);
  } else if (typeof (e as NodeJS.ErrnoException).syscall === 'string') {
    // A system call that failed (a port in use, a file it may not read) says enough in one line.
    console.error(`ringback: ${(e as Error).message}`);
  } else {
    console.error(e);
  }
  process.exit(1);
});
