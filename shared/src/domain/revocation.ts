/**
 * Consent revoked "by any reasonable means" (FCC 2024 order; reliability.md C-2): short messages that plainly ask
 * us to stop texting, though they are not an exact keyword. Errs toward opting out, because texting someone who
 * said stop is the violation, but only for short messages and only on phrases about texting or a list, so
 * "can you stop by tomorrow?" or "the leak won't stop" stay ordinary messages for staff.
 */
export const MAX_REVOCATION_WORDS = 12;

/** Words that may surround a bare "stop": "please stop", "STOP STOP", "stop it now, thanks". */
const POLITE = new Set(['please', 'pls', 'plz', 'now', 'thanks', 'thank', 'you', 'thx', 'ty', 'it', 'already', 'just', 'ok', 'okay', 'asap', 'me', 'all', 'sorry']);
const BARE_STOP = new Set(['stop', 'stopall', 'unsubscribe', 'unsub', 'optout', 'quit', 'revoke']);

const TEXTING = String.raw`(?:texts?|texting|txts?|txting|msgs?|messag\w*|sms|contact\w*|calls?|calling|spam\w*|bother\w*|harass\w*)`;
const PHRASES: readonly RegExp[] = [
  new RegExp(String.raw`\b(?:stop|quit|cease)(?: (?:all|the|these|those|your|ur|sending|me|with))* ${TEXTING}\b`), // stop texting me
  /\b(?:dont|do not|never)(?: ever)? (?:text|txt|message|msg|sms|contact)\w*(?: (?:me|this|again|anymore|any more|my|us)\b|$)/, // don't text me
  /\bno more (?:texts?|txts?|messages?|msgs?|sms|calls?)\b/, // no more texts
  /\b(?:unsubscribe|unsub|optout|stopall|revoke\w*)\b/, // unsubscribe me, I revoke consent
  /\bwrong (?:number|person|#)/, // wrong number
  /\bleave me alone\b/,
];
const REMOVE_ME = /\b(?:remove|delete|take) (?:me|my (?:number|phone|name|info|details|contact))\b/; // remove me from your list
/** "Remove me from the waitlist" is about an appointment, not about texts. */
const ABOUT_BOOKING = /\b(?:remove|delete|take) (?:me|my \w+) (?:from|off) (?:the |my |your |this |that )?(?:appointment|appt|schedule|wait ?list|calendar|booking|reservation|slot)/;

/** `normalised` is the output of normalizeInbound (upper case, collapsed, trimmed). */
export function looksLikeRevocation(normalised: string): boolean {
  const t = normalised
    .toLowerCase()
    .replace(/'/g, '') // don't → dont
    .replace(/[^\p{L}\p{N}# ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const words = t === '' ? [] : t.split(' ');
  if (words.length === 0 || words.length > MAX_REVOCATION_WORDS) return false;
  if (words.some((w) => BARE_STOP.has(w)) && words.every((w) => BARE_STOP.has(w) || POLITE.has(w))) return true;
  return PHRASES.some((re) => re.test(t)) || (REMOVE_ME.test(t) && !ABOUT_BOOKING.test(t));
}
