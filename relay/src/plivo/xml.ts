// The XML builder alone: the package's main entry loads the whole REST client (~20 MB) with it.
import { Response as PlivoResponse } from 'plivo/dist/utils/plivoxml.js';
import type { Location } from '@ringback/shared';

interface XmlElement {
  addNumber(n: string): XmlElement;
}
interface XmlResponse {
  addDial(attrs: Record<string, unknown>): XmlElement;
  addSpeak(text: string, attrs: Record<string, unknown>): XmlElement;
  addRecord(attrs: Record<string, unknown>): XmlElement;
  addHangup(attrs?: Record<string, unknown>): XmlElement;
  toXML(): string;
}
// The package types Response as a plain function; at runtime it is a constructor (plivo.md §3).
const Response = PlivoResponse as unknown as new () => XmlResponse;

/** Answer XML, built with the plivo SDK so attribute names and escaping follow Plivo's schema. */

export function dialXml(location: Location, publicUrl: string): string {
  const r = new Response();
  const dial = r.addDial({
    action: `${publicUrl}/plivo/voice/dial`,
    method: 'POST',
    timeout: location.ringSeconds,
    redirect: 'true',
    // The desk must press a key, so its own voicemail picking up does not count as answered (plivo.md §3).
    ...(location.confirmKey ? { confirmSound: `${publicUrl}/plivo/voice/confirm`, confirmKey: location.confirmKey } : {}),
  });
  for (const n of location.ring) dial.addNumber(n);
  return r.toXML();
}

/** Greeting + voicemail: after hours at once, in hours once the desk did not pick up. */
export function voicemailXml(greeting: string, publicUrl: string): string {
  const r = new Response();
  r.addSpeak(greeting, { voice: 'WOMAN', language: 'en-US' });
  r.addRecord({
    action: `${publicUrl}/plivo/voice/recording`,
    method: 'POST',
    maxLength: 120,
    playBeep: true,
    finishOnKey: '#',
    redirect: 'false',
  });
  r.addHangup();
  return r.toXML();
}

export function hangupXml(): string {
  const r = new Response();
  r.addHangup();
  return r.toXML();
}

export function emptyXml(): string {
  return new Response().toXML();
}

/** Played to the desk that picked up a forwarded call: only a person can press the key. */
export function confirmSoundXml(key: string, location: string): string {
  const r = new Response();
  r.addSpeak(`Call for ${location}. Press ${key} to take this call.`, { voice: 'WOMAN', language: 'en-US' });
  return r.toXML();
}

/** A call-back: the staff member answered, now ring the caller from the tracking number. */
export function callbackBridgeXml(caller: string, trackingNumber: string, action: string): string {
  const r = new Response();
  r.addSpeak('Connecting you to the caller.', { voice: 'WOMAN', language: 'en-US' });
  r.addDial({ action, method: 'POST', callerId: trackingNumber, timeout: 30, redirect: 'true' }).addNumber(caller);
  return r.toXML();
}
