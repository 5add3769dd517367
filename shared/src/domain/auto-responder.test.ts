import { describe, expect, it } from 'vitest';
import { looksAutomated } from './auto-responder.js';

describe('looksAutomated', () => {
  it.each([
    "I'm driving with Do Not Disturb on. I'll get notifications when I arrive.",
    'Auto-reply: I am out of the office until Monday.',
    'This is an automated message. Please do not reply.',
    "Thanks for your message! I'm currently unavailable.",
    'AUTOMATIC REPLY: on vacation',
  ])('flags %s', (text) => expect(looksAutomated(text, null)).toBe(true));

  it.each(['HOURS', 'What are your hours?', 'yes please call me back', "I'm out front, are you open?", 'Reply to Ana please'])(
    'lets %s through',
    (text) => expect(looksAutomated(text, null)).toBe(false),
  );

  it('an answer seconds after our automatic text is a machine', () => {
    expect(looksAutomated('HOURS', 1_200)).toBe(true);
    expect(looksAutomated('HOURS', 5_000)).toBe(false);
    expect(looksAutomated('HOURS', 60_000)).toBe(false);
  });
});
