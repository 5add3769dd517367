import { describe, expect, it } from 'vitest';
import { resolveAppFile } from './app-files.js';
import { contentSecurityPolicy } from './csp.js';

describe('app:// files', () => {
  const root = '/opt/ringback/out/renderer';
  it('serves files inside the renderer folder', () => {
    expect(resolveAppFile('app://ringback/wall.html', root)).toEqual({ path: `${root}/wall.html`, type: 'text/html; charset=utf-8' });
    expect(resolveAppFile('app://ringback/assets/wall-1.js?x=1', root)?.path).toBe(`${root}/assets/wall-1.js`);
    expect(resolveAppFile('app://ringback/', root)?.path).toBe(`${root}/queue.html`);
  });
  it('refuses escapes, other hosts and unknown types', () => {
    expect(resolveAppFile('app://ringback/../../etc/passwd', root)).toBeNull();
    // The URL parser folds encoded dots too; whatever comes out stays inside the root.
    expect(resolveAppFile('app://ringback/%2e%2e/%2e%2e/etc/passwd.html', root)?.path).toBe(`${root}/etc/passwd.html`);
    expect(resolveAppFile('app://ringback/a/%2F..%2F..%2F..%2Fetc%2Fx.html', root)).toBeNull();
    expect(resolveAppFile('app://evil/wall.html', root)).toBeNull();
    expect(resolveAppFile('file:///opt/ringback/out/renderer/wall.html', root)).toBeNull();
    expect(resolveAppFile('app://ringback/main.exe', root)).toBeNull();
    expect(resolveAppFile('app://ringback/%00.html', root)).toBeNull();
  });
});

describe('CSP', () => {
  it('allows only the relay for network access', () => {
    const csp = contentSecurityPolicy('https://relay.example.com/base');
    expect(csp).toContain("connect-src 'self' https://relay.example.com wss://relay.example.com");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(contentSecurityPolicy('http://127.0.0.1:8787')).toContain('connect-src \'self\' http://127.0.0.1:8787 ws://127.0.0.1:8787');
    expect(contentSecurityPolicy(null)).toContain("connect-src 'self';");
  });
});
