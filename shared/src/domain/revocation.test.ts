import { describe, it, expect } from 'vitest';
import { normalizeInbound } from './keywords.js';
import { looksLikeRevocation, MAX_REVOCATION_WORDS } from './revocation.js';

const revokes = (text: string) => looksLikeRevocation(normalizeInbound(text));

describe('looksLikeRevocation', () => {
  it('applies only to short messages', () => {
    const pad = (n: number) => Array.from({ length: n }, () => 'really').join(' ');
    const at = (words: number) => `stop texting me ${pad(words - 3)}`;
    expect(revokes(at(MAX_REVOCATION_WORDS))).toBe(true);
    expect(revokes(at(MAX_REVOCATION_WORDS + 1))).toBe(false);
  });
  it('needs a stop word for the polite form', () => {
    expect(revokes('please stop now')).toBe(true);
    expect(revokes('please now')).toBe(false);
    expect(revokes('stop by please')).toBe(false);
  });
  it('ignores punctuation and curly apostrophes inside the message', () => {
    expect(revokes('Wrong #… remove me!')).toBe(true);
    expect(revokes('Do NOT text me.')).toBe(true);
    expect(revokes('Don’t contact me')).toBe(true);
  });
  it('tells removal from a list apart from removal from a booking', () => {
    expect(revokes('remove my number')).toBe(true);
    expect(revokes('remove me from the schedule')).toBe(false);
    expect(revokes('please take me off the wait list')).toBe(false);
    expect(revokes('stop texting me and remove me from the schedule')).toBe(true);
  });
  it('is false for empty text', () => {
    expect(looksLikeRevocation('')).toBe(false);
  });
});
