import { describe, expect, it } from 'vitest';
import { Response as PlivoResponse } from 'plivo';
import { parseVerbs } from './xml.js';

describe('parseVerbs', () => {
  it('reads a Dial with its action and numbers from SDK-built XML', () => {
    const r = PlivoResponse();
    r.addDial({ action: 'http://h/plivo/voice/dial?a=1&b=2', method: 'POST', timeout: 20, redirect: 'true' }).addNumber('+15125550199');
    const verbs = parseVerbs(r.toXML());
    expect(verbs).toEqual([
      { name: 'Dial', attrs: { action: 'http://h/plivo/voice/dial?a=1&b=2', method: 'POST', timeout: '20', redirect: 'true' }, numbers: ['+15125550199'], text: '+15125550199' },
    ]);
  });

  it('reads Speak, Record and Hangup in order, decoding entities', () => {
    const r = PlivoResponse();
    r.addSpeak("Sorry we missed you & we'll text you.", { voice: 'WOMAN' });
    r.addRecord({ action: 'http://h/plivo/voice/recording', maxLength: 60, redirect: false });
    r.addHangup();
    const verbs = parseVerbs(`<?xml version="1.0" encoding="utf-8"?>\n${r.toXML()}`);
    expect(verbs.map((v) => v.name)).toEqual(['Speak', 'Record', 'Hangup']);
    expect(verbs[0]!.text).toBe("Sorry we missed you & we'll text you.");
    expect(verbs[1]!.attrs).toMatchObject({ action: 'http://h/plivo/voice/recording', maxLength: '60', redirect: 'false' });
  });

  it('reads the URL of a Redirect', () => {
    expect(parseVerbs('<Response><Redirect method="POST">http://h/next?a=1&amp;b=2</Redirect></Response>')).toEqual([
      { name: 'Redirect', attrs: { method: 'POST' }, numbers: [], text: 'http://h/next?a=1&b=2' },
    ]);
  });

  it('returns nothing for text that is not a Response document', () => {
    expect(parseVerbs('')).toEqual([]);
    expect(parseVerbs('{"ok":true}')).toEqual([]);
    expect(parseVerbs('<html><body><Dial/></body></html>')).toEqual([]);
  });
});
