import { readFileSync } from 'node:fs';

/** The relay's release: relay/package.json's version, found one level up from src/ and from dist/ alike. */
export const RELAY_VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
