import { extname, join, normalize, sep } from 'node:path';

/** The custom scheme the packaged pages load from (reliability.md E-1: not file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'ringback';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export const pageUrl = (page: 'queue' | 'wall' | 'settings', base = APP_ORIGIN): string => `${base}/${page}.html`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

/** Map an app:// URL to a file inside the renderer folder, or null for anything else (other hosts, `..`). */
export function resolveAppFile(url: string, root: string): { path: string; type: string } | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  const path = normalize(join(root, rel === '/' ? '/queue.html' : rel));
  if (!path.startsWith(normalize(root + sep))) return null;
  const type = TYPES[extname(path)];
  return type ? { path, type } : null;
}
