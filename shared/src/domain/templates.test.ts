import { describe, it, expect } from 'vitest';
import { renderTemplate, smsSegments, STOP_FOOTER, templateVariables, unknownTemplateVariables, withStopFooter } from './templates.js';

describe('renderTemplate', () => {
  it('fills {{name}} and tolerates whitespace inside the braces', () => {
    expect(renderTemplate('Hi {{name}}, this is {{ business }}.', { name: 'Ana', business: 'Bright Smiles' })).toBe(
      'Hi Ana, this is Bright Smiles.',
    );
  });
  it('uses the fallback when the value is missing, null, undefined or empty', () => {
    const t = 'Hi {{ name | there }}!';
    expect(renderTemplate(t, {})).toBe('Hi there!');
    expect(renderTemplate(t, { name: null })).toBe('Hi there!');
    expect(renderTemplate(t, { name: undefined })).toBe('Hi there!');
    expect(renderTemplate(t, { name: '' })).toBe('Hi there!');
    expect(renderTemplate(t, { name: '   ' })).toBe('Hi there!');
    expect(renderTemplate(t, { name: 'Ana' })).toBe('Hi Ana!');
    expect(renderTemplate('{{x|}}', {})).toBe('');
  });
  it('leaves no double space or stray gap where an empty value was', () => {
    expect(renderTemplate('Thanks {{name}} for calling {{business}}.', { business: 'Acme' })).toBe('Thanks for calling Acme.');
    expect(renderTemplate('Hi {{name}}, sorry we missed you.', {})).toBe('Hi, sorry we missed you.');
    expect(renderTemplate('{{greeting}} We missed your call', {})).toBe('We missed your call');
    expect(renderTemplate('We missed your call {{name}}', {})).toBe('We missed your call');
    expect(renderTemplate('A {{x}} {{y}} B', {})).toBe('A B');
    expect(renderTemplate('Hi {{name}}\nBook: {{url}}', { url: 'https://x.test' })).toBe('Hi\nBook: https://x.test');
  });
  it('keeps the template\'s own spacing when nothing was empty', () => {
    expect(renderTemplate('a  b {{x}}', { x: 'c' })).toBe('a  b c');
  });
  it('does not expand values again and ignores other brace syntax', () => {
    expect(renderTemplate('{{a}}', { a: '{{b}}', b: 'no' })).toBe('{{b}}');
    expect(renderTemplate('{ {{a}} } {{#if a}} {{ }}', { a: 'x' })).toBe('{ x } {{#if a}} {{ }}');
  });
  it('does not read inherited properties', () => {
    expect(renderTemplate('[{{constructor}}][{{toString|-}}]', {})).toBe('[][-]');
  });
});

describe('withStopFooter', () => {
  it('appends the footer', () => {
    expect(withStopFooter('Sorry we missed your call.')).toBe(`Sorry we missed your call. ${STOP_FOOTER}`);
    expect(withStopFooter('Sorry we missed your call.  \n')).toBe(`Sorry we missed your call. ${STOP_FOOTER}`);
    expect(withStopFooter('')).toBe(STOP_FOOTER);
  });
  it('leaves text that already mentions STOP as a word', () => {
    expect(withStopFooter('Text stop to opt out')).toBe('Text stop to opt out');
    expect(withStopFooter('Reply STOP.')).toBe('Reply STOP.');
  });
  it('is not fooled by words containing stop', () => {
    expect(withStopFooter('Stopping by later?')).toBe(`Stopping by later? ${STOP_FOOTER}`);
  });
});

describe('smsSegments', () => {
  const gsm = (n: number) => 'a'.repeat(n);
  it.each([
    ['', 'GSM-7', 0, 0],
    [gsm(1), 'GSM-7', 1, 1],
    [gsm(160), 'GSM-7', 160, 1],
    [gsm(161), 'GSM-7', 161, 2],
    [gsm(306), 'GSM-7', 306, 2],
    [gsm(307), 'GSM-7', 307, 3],
    ['€'.repeat(80), 'GSM-7', 160, 1], // extension characters count double
    ['€'.repeat(81), 'GSM-7', 162, 2],
    ['@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!¤¿§äöñüà^{}\\[~]|', 'GSM-7', 40 + 8 * 2, 1],
    ['é'.repeat(70), 'GSM-7', 70, 1],
    ['ç', 'UCS-2', 1, 1], // lower-case ç is not in GSM-7 (only Ç is)
    ['á'.repeat(70), 'UCS-2', 70, 1],
    ['á'.repeat(71), 'UCS-2', 71, 2],
    ['á'.repeat(134), 'UCS-2', 134, 2],
    ['á'.repeat(135), 'UCS-2', 135, 3],
    ['😀'.repeat(35), 'UCS-2', 70, 1], // astral characters are two UTF-16 units
    ['Hi 😀', 'UCS-2', 5, 1],
  ])('%#: %j', (text, encoding, units, segments) => {
    expect(smsSegments(text)).toEqual({ encoding, units, segments });
  });
  it('never splits an escape pair or a surrogate pair across segments', () => {
    // 152 plain + '€' (2) would straddle the 153-septet boundary, so the € starts segment 2.
    expect(smsSegments(gsm(152) + '€' + gsm(10))).toEqual({ encoding: 'GSM-7', units: 164, segments: 2 });
    expect(smsSegments(gsm(152) + '€' + gsm(152))).toEqual({ encoding: 'GSM-7', units: 306, segments: 3 });
    expect(smsSegments('á'.repeat(66) + '😀' + 'á'.repeat(66))).toEqual({ encoding: 'UCS-2', units: 134, segments: 3 });
  });
});

describe('template variables', () => {
  it('finds every variable, with or without a fallback and spaces', () => {
    expect(templateVariables('Hi {{ firstName | there }}, {{business}}: {{bookingUrl}} {{x.y}} {not} {{}}')).toEqual(['firstName', 'business', 'bookingUrl', 'x.y']);
  });
  it('names each unknown variable once, with the known one it looks like', () => {
    expect(unknownTemplateVariables('{{firstName|there}} {{business}} {{location}} {{bookingUrl}}')).toEqual([]);
    const out = unknownTemplateVariables('{{first_name}} {{first_name}} {{BookingURL}} {{coupon}}');
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/^unknown variable \{\{first_name\}\} \(did you mean \{\{firstName\}\}\?\)/);
    expect(out[1]).toContain('did you mean {{bookingUrl}}');
    expect(out[2]).toBe('unknown variable {{coupon}}; known: business, bookingUrl, location, firstName');
    expect(unknownTemplateVariables('{{staffName}}', ['staffName'])).toEqual([]);
  });
});
