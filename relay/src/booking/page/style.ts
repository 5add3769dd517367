import { createHash } from 'node:crypto';

/** The page's only style sheet; the CSP allows exactly this text (by its hash), and no script at all. */
export const STYLE = `
:root { color-scheme: light dark; --fg: #111827; --muted: #4b5563; --bg: #ffffff; --line: #d1d5db; --accent: #1d4ed8;
  --accent-fg: #ffffff; --soft: #eff6ff; --ok: #047857; --ok-soft: #ecfdf5; --warn: #92400e; --warn-soft: #fffbeb; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #f3f4f6; --muted: #d1d5db; --bg: #111827; --line: #4b5563; --accent: #93c5fd; --accent-fg: #111827;
    --soft: #1e293b; --ok: #6ee7b7; --ok-soft: #064e3b; --warn: #fcd34d; --warn-soft: #451a03; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 17px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  -webkit-text-size-adjust: 100%; }
main { max-width: 34rem; margin: 0 auto; padding: 20px 16px 40px; }
header { margin-bottom: 20px; }
.biz { margin: 0; font-size: 24px; line-height: 1.2; }
.where { margin: 2px 0 0; color: var(--muted); }
h2 { font-size: 19px; margin: 0 0 4px; }
h3 { font-size: 16px; margin: 22px 0 8px; }
p { margin: 0 0 12px; }
.lead { font-size: 18px; }
.muted { color: var(--muted); font-size: 15px; }
.times { display: grid; grid-template-columns: repeat(auto-fill, minmax(96px, 1fr)); gap: 10px; margin: 0; padding: 0; border: 0; min-width: 0; }
.times button { padding: 10px 4px; white-space: nowrap; }
.times button, .services a, .btn { display: flex; align-items: center; justify-content: center; min-height: 48px; padding: 10px 12px;
  border: 2px solid var(--accent); border-radius: 10px; background: var(--bg); color: var(--accent); font: inherit; font-weight: 600;
  text-decoration: none; cursor: pointer; font-variant-numeric: tabular-nums; }
.times button:hover, .times button:focus-visible, .services a:hover, .services a:focus-visible, .btn:hover, .btn:focus-visible {
  background: var(--soft); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.btn.primary { background: var(--accent); color: var(--accent-fg); }
.services { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
.services a { justify-content: space-between; text-align: left; }
.services .len { font-weight: 400; color: var(--muted); font-size: 15px; }
.nav { display: flex; gap: 10px; flex-wrap: wrap; margin: 24px 0 0; }
.nav .btn { flex: 1 1 10rem; }
.notice { border-left: 4px solid var(--warn); background: var(--warn-soft); padding: 10px 12px; border-radius: 6px; margin: 0 0 16px; }
.booked { border: 2px solid var(--ok); background: var(--ok-soft); border-radius: 12px; padding: 16px; margin: 0 0 20px; }
.booked .state { color: var(--ok); font-weight: 700; margin: 0 0 6px; }
.booked .when { font-size: 20px; font-weight: 700; margin: 0 0 4px; }
.booked p:last-child { margin-bottom: 0; }
.actions { display: grid; gap: 10px; margin: 14px 0 20px; }
.sr { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
footer { margin-top: 28px; padding-top: 14px; border-top: 1px solid var(--line); color: var(--muted); font-size: 15px; }
footer a, p a { color: var(--accent); }
`;

export const STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`;

/** Headers of every page and answer under /book: nothing cached, nothing framed, no referrer carrying the token. */
export const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-robots-tag': 'noindex, nofollow',
  'content-security-policy': `default-src 'none'; style-src '${STYLE_HASH}'; img-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
} as const;
