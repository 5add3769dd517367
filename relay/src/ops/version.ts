// Imported, not read from disk, so a bundled dist/main.js carries the version inside it.
import pkg from '../../package.json' with { type: 'json' };

export const relayVersion: string = pkg.version;
