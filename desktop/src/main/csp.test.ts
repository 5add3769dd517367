import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './csp.js';

const directive = (csp: string, name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `));

describe('contentSecurityPolicy', () => {
  it('lets voicemails play from a plain-http relay (the sandbox line) but not from anywhere else over http', () => {
    const csp = contentSecurityPolicy('http://127.0.0.1:8787');
    expect(directive(csp, 'media-src')).toBe("media-src 'self' https: http://127.0.0.1:8787");
    expect(directive(csp, 'connect-src')).toBe("connect-src 'self' http://127.0.0.1:8787 ws://127.0.0.1:8787");
  });
  it('an https relay needs nothing extra; no relay or a broken URL allows only our own origin and https media', () => {
    expect(directive(contentSecurityPolicy('https://desk.example.com'), 'media-src')).toBe("media-src 'self' https:");
    expect(directive(contentSecurityPolicy(null), 'connect-src')).toBe("connect-src 'self'");
    expect(directive(contentSecurityPolicy('not a url'), 'media-src')).toBe("media-src 'self' https:");
  });
});
