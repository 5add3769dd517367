/**
 * What Plivo's carrier side adds to an SMS: the MessageIntent of compliance keywords (research/plivo.md §4,
 * "STOP handling") and the number of billing units. These are Plivo's lists, deliberately separate from the relay's
 * own keyword handling, which must not rely on Plivo having recognised anything.
 */

export type MessageIntent = 'optout' | 'optin' | 'help' | '';

const optOut = new Set(['STOP', 'STOPALL', 'STOP ALL', 'END', 'QUIT', 'CANCEL', 'UNSUBSCRIBE', 'UNSUB']);
const optIn = new Set(['START', 'YES', 'RESUME', 'UNSTOP', 'GO']);
const help = new Set(['HELP', 'INFO']);

/** Only a message that is exactly one keyword (any case, surrounding spaces ignored) carries an intent. */
export function messageIntent(text: string): MessageIntent {
  const word = text.trim().replace(/\s+/g, ' ').toUpperCase();
  if (optOut.has(word)) return 'optout';
  if (optIn.has(word)) return 'optin';
  if (help.has(word)) return 'help';
  return '';
}

// GSM 03.38 basic set plus the extension table (whose characters cost two septets).
const gsmBasic = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const gsmExtended = new Set('^{}\\[~]|€\f');

/** Billing units: 160/153 septets per part in GSM-7, 70/67 UTF-16 code units in UCS-2. */
export function smsUnits(text: string): number {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (gsmBasic.has(ch)) septets += 1;
    else if (gsmExtended.has(ch)) septets += 2;
    else gsm = false;
  }
  if (gsm) return septets <= 160 ? 1 : Math.ceil(septets / 153);
  const units16 = text.length; // UCS-2 counts UTF-16 code units: an emoji takes two
  return units16 <= 70 ? 1 : Math.ceil(units16 / 67);
}
