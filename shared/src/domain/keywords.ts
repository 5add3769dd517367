import { looksLikeRevocation } from './revocation.js';

export type InboundKind = 'opt-out' | 'opt-in' | 'help' | 'message';

// reliability.md C-1: union of the FCC, Twilio, Plivo and AWS lists (ARRET/TD: French-Canadian).
export const OPT_OUT_KEYWORDS: ReadonlySet<string> = new Set([
  'STOP', 'STOPALL', 'UNSUBSCRIBE', 'UNSUB', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT', 'REMOVE', 'ARRET', 'TD',
]);
export const OPT_IN_KEYWORDS: ReadonlySet<string> = new Set(['START', 'UNSTOP', 'YES', 'RESUME', 'GO', 'RESUME ALL']);
export const HELP_KEYWORDS: ReadonlySet<string> = new Set(['HELP', 'INFO']);

// Cyrillic/Greek capitals drawn like Latin ones (NFKC leaves them alone): "SТОР" with a Cyrillic Т, О, Р is STOP.
const LOOKALIKES: Record<string, string> = {
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', У: 'Y', Ѕ: 'S', І: 'I', Ј: 'J',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
};
const LOOKALIKE_RE = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'g');

/**
 * C-1 normalisation: NFKC (fullwidth ＳＴＯＰ, 𝐒𝐓𝐎𝐏 → STOP), drop invisible characters and accents (ARRÊT → ARRET),
 * upper-case, collapse whitespace, strip punctuation, symbols and emoji at either end, and join the two-word
 * forms OPT OUT / OPT-OUT → OPTOUT, STOP ALL → STOPALL, RESUME-ALL → RESUME ALL.
 */
export function normalizeInbound(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\p{Cf}]/gu, '')
    .replace(/[\u2018\u2019\u02BC\u0060\u00B4]/g, "'")
    .toUpperCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .normalize('NFC')
    .replace(LOOKALIKE_RE, (c) => LOOKALIKES[c] ?? c)
    .replace(/\s+/g, ' ')
    .replace(/^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$/gu, '')
    .replace(/\bOPT[ _-]?OUT\b/g, 'OPTOUT')
    .replace(/\bSTOP[ _-]?ALL\b/g, 'STOPALL')
    .replace(/\bRESUME[_-]?ALL\b/g, 'RESUME ALL');
}

/**
 * Classifies an inbound SMS before anything else sees it (C-1). Exact keywords first; opt-in words count only
 * while the number is suppressed, so an ordinary "yes" reaches staff (C-5); then plain-language revocation (C-2).
 */
export function classifyInbound(text: string, suppressed: boolean): { kind: InboundKind; keyword: string | null; byIntent: boolean } {
  const n = normalizeInbound(text);
  if (OPT_OUT_KEYWORDS.has(n)) return { kind: 'opt-out', keyword: n, byIntent: false };
  if (suppressed && OPT_IN_KEYWORDS.has(n)) return { kind: 'opt-in', keyword: n, byIntent: false };
  if (HELP_KEYWORDS.has(n)) return { kind: 'help', keyword: n, byIntent: false };
  if (looksLikeRevocation(n)) return { kind: 'opt-out', keyword: null, byIntent: true };
  return { kind: 'message', keyword: null, byIntent: false };
}

/** A business auto-reply keyword from config (e.g. HOURS): the whole message, one word, after normalisation. */
export function matchKeyword(text: string, keywords: Record<string, string>): string | null {
  const n = normalizeInbound(text);
  return n !== '' && !n.includes(' ') && Object.hasOwn(keywords, n) ? n : null;
}
