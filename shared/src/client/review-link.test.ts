import { describe, expect, it } from 'vitest';
import { reviewPageUrl } from './review-link.js';

describe('reviewPageUrl', () => {
  it('joins the relay address, keeping a path prefix', () => {
    expect(reviewPageUrl('http://127.0.0.1:8787', '/reports/monthly?month=2026-12&t=a.b')).toBe('http://127.0.0.1:8787/reports/monthly?month=2026-12&t=a.b');
    expect(reviewPageUrl('https://rb.example.com/ringback', '/reports/monthly?month=2026-12&t=a.b')).toBe(
      'https://rb.example.com/ringback/reports/monthly?month=2026-12&t=a.b',
    );
  });

  it('refuses anything but the relay’s own review page', () => {
    for (const path of ['//evil.example/reports/monthly?t=x', '/reports/monthly/../../api/me?x', '@evil.example/reports/monthly?t=x', '/api/me?x', 'javascript:alert(1)']) {
      expect(() => reviewPageUrl('https://rb.example.com', path), path).toThrow(/not its monthly review/);
    }
  });
});
