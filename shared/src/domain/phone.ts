import { getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js';

export type ParsedPhone = { ok: true; e164: string } | { ok: false; reason: 'anonymous' | 'invalid-number' };

/** What carriers and Plivo put in From when the caller ID is withheld. */
const WITHHELD = new Set(['', 'anonymous', 'restricted', 'private', 'unknown', 'unavailable', 'blocked', 'withheld']);

const country = (c: string): CountryCode | undefined => {
  const up = c.toUpperCase();
  return isSupportedCountry(up) ? up : undefined;
};

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/*
 * Acceptance: isValid() first. The bundled 'min' metadata (1.13.16) does accept the fictional NANP 555-01xx
 * numbers (+15125550100), so no NANP special case is needed. We still fall back to isPossible() (right length
 * for the country code) because caller IDs come from the network and are real: metadata pinned in a release goes
 * stale as ranges are allocated, and reserved test ranges such as Ofcom's +44 7700 900xxx fail isValid().
 */
const good = (p: PhoneNumber | undefined, strict: boolean): p is PhoneNumber =>
  p !== undefined && (p.isValid() || (!strict && p.isPossible()));

/** Caller ID (Plivo `From`, a typed number, a SIP URI) → E.164, or why it is not a number we can text. */
const parsed = new Map<string, ParsedPhone>();

/** Every webhook and every send parses the same few numbers again: remember the last few thousand answers. */
export function parsePhone(raw: string, defaultCountry = 'US'): ParsedPhone {
  const key = `${defaultCountry}|${raw}`;
  const hit = parsed.get(key);
  if (hit) return hit;
  const result = parseUncached(raw, defaultCountry);
  if (parsed.size >= 5000) parsed.delete(parsed.keys().next().value!);
  parsed.set(key, result);
  return result;
}

function parseUncached(raw: string, defaultCountry: string): ParsedPhone {
  let s = raw.trim();
  const sip = /^sips?:([^@;]*)/i.exec(s);
  if (sip) s = safeDecode(sip[1] ?? '');
  if (WITHHELD.has(s.toLowerCase())) return { ok: false, reason: 'anonymous' };
  // A SIP caller whose user part is a name, not a number, has no number to text back: treat as withheld.
  const cleaned = s.replace(/[\s\-().]/g, '');
  if (!/^\+?\d+$/.test(cleaned)) return { ok: false, reason: sip ? 'anonymous' : 'invalid-number' };

  let found: PhoneNumber | undefined;
  if (cleaned.startsWith('+')) {
    const p = parsePhoneNumberFromString(cleaned);
    if (good(p, false)) found = p;
  } else {
    // Plivo sends E.164 without '+'. Only a *valid* '+digits' wins outright, so "5125550123" is not read as Peru (+51).
    const intl = parsePhoneNumberFromString('+' + cleaned);
    const cc = country(defaultCountry);
    const national = cc ? parsePhoneNumberFromString(cleaned, cc) : undefined;
    found = [intl, national].find((p) => good(p, true)) ?? [national, intl].find((p) => good(p, false));
  }
  return found ? { ok: true, e164: found.number } : { ok: false, reason: 'invalid-number' };
}

/** "(512) 555-1077" for home-country numbers, "+44 7700 900123" otherwise; unparsable input comes back as is. */
export function formatPhone(e164: string, homeCountry = 'US'): string {
  const parsed = parsePhone(e164, homeCountry);
  if (!parsed.ok) return e164;
  const p = parsePhoneNumberFromString(parsed.e164);
  if (!p) return e164;
  const home = country(homeCountry);
  // Numbers the metadata cannot pin to one country (e.g. +1 555 area code) count as home when the calling code matches.
  const isHome =
    home !== undefined && (p.country === home || (p.country === undefined && p.countryCallingCode === getCountryCallingCode(home)));
  return isHome ? p.formatNational() : p.formatInternational();
}
