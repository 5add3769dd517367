import { ConfigError, loadConfig } from './config/load.js';
import { startRelay } from './relay.js';
import { CorruptDataError } from './store/store.js';
import { DataDirLockedError } from './store/lock.js';
import { RELAY_VERSION } from './version.js';

/** `npm start`: the relay, in sandbox mode unless Plivo credentials are set. */
async function main(): Promise<void> {
  const config = loadConfig();
  const relay = await startRelay({ config });
  const lines = [
    `Ringback relay ${RELAY_VERSION} for ${config.business.business.name} listening on ${relay.url} (pid ${process.pid})`,
    `  business config: ${config.businessSource}; data: ${config.env.RINGBACK_DATA_DIR}`,
  ];
  if (config.sandbox) {
    lines.push(
      `  sandbox mode (no PLIVO_AUTH_ID): open ${config.publicUrl}/sandbox to call and text the demo line`,
      `  demo staff token (manager, new each start): ${relay.demoToken}`,
    );
  } else {
    lines.push(`  Plivo webhooks expected at ${config.publicUrl}/plivo/voice/answer, /plivo/voice/hangup and /plivo/sms/inbound`);
  }
  console.log(lines.join('\n'));

  const stop = (signal: string) => {
    console.log(`${signal}: saving and closing…`);
    relay.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof CorruptDataError || e instanceof DataDirLockedError) {
    console.error(`ringback: ${e.message}`);
  } else {
    console.error(e);
  }
  process.exit(1);
});
