import { randomUUID } from 'node:crypto';
import type { LineType } from '@ringback/shared';

/**
 * The simulated carrier database behind Lookup: every plausible number is a mobile unless the test or the dev
 * phone registered another line type. Reply shapes follow research/plivo.md §5.
 */

const carrierType: Record<LineType, string> = {
  mobile: 'mobile',
  landline: 'fixed',
  voip: 'voip',
  'toll-free': 'toll-free',
  unknown: 'unknown',
};

/** Digits only, with or without '+'. NANP numbers must have a real area code and exchange (no 0/1 lead). */
export function normalizeNumber(raw: string): string | null {
  const digits = raw.trim().replace(/^\+/, '');
  if (!/^[1-9]\d{6,14}$/.test(digits)) return null;
  if (digits.startsWith('1') && !/^1[2-9]\d{2}[2-9]\d{6}$/.test(digits)) return null;
  return `+${digits}`;
}

function country(e164: string): { name: string; iso2: string; iso3: string } {
  if (e164.startsWith('+1')) return { name: 'United States', iso2: 'US', iso3: 'USA' };
  if (e164.startsWith('+44')) return { name: 'United Kingdom', iso2: 'GB', iso3: 'GBR' };
  return { name: 'Unknown', iso2: '', iso3: '' };
}

function formats(e164: string): { e164: string; national: string; international: string; rfc3966: string } {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  if (m) {
    const [, a, b, c] = m;
    return { e164, national: `(${a}) ${b}-${c}`, international: `+1 ${a}-${b}-${c}`, rfc3966: `tel:+1-${a}-${b}-${c}` };
  }
  return { e164, national: e164.slice(1), international: e164, rfc3966: `tel:${e164}` };
}

export function lookupBody(e164: string, lineType: LineType): object {
  const type = carrierType[lineType];
  const mobile = type === 'mobile';
  return {
    api_id: randomUUID(),
    phone_number: e164,
    country: country(e164),
    format: formats(e164),
    carrier: {
      mobile_country_code: mobile ? '310' : '',
      mobile_network_code: mobile ? '160' : '',
      name: mobile ? 'Sandbox Wireless' : type === 'fixed' ? 'Sandbox Telephone Co' : 'Sandbox Networks',
      type,
      ported: 'no',
    },
    resource_uri: `/v1/Number/${e164}?type=carrier`,
  };
}
