/**
 * Replies that come from a machine (an out-of-office, a "driving" auto-reply, another business's bot) must not
 * get an automatic answer, or two systems text each other in a loop. Two simple signals, either is enough:
 * typical auto-reply wording, or an answer within a few seconds of our own automatic text (faster than a person
 * reads and types). STOP and HELP are still honoured: a machine may speak for its owner.
 */
export const AUTO_REPLY_WINDOW_MS = 5_000;

const PHRASES: readonly RegExp[] = [
  /\bauto(?:matic|mated)?[ -]?(?:reply|response|responder|message)\b/,
  /\bthis is an automated\b/,
  /\bout of (?:the )?office\b/,
  /\b(?:i'?m|i am) (?:currently )?(?:driving|away|unavailable|on vacation|out of the office)\b/,
  /\bdriving (?:right now|with do not disturb|focus)\b/,
  /\bdo not disturb\b/,
  /\b(?:do not|don'?t|please do not) reply\b/,
  /\bno[- ]?reply\b/,
  /\bthis (?:number|inbox) is not monitored\b/,
  /\bi'?ll (?:get back to you|respond|reply) (?:when|as soon as) (?:i|i'm|i am) (?:can|back|available|able)\b/,
  /\bsent from my (?:car|vehicle)\b/,
];

export function looksAutomated(text: string, msSinceOurAutomaticText: number | null): boolean {
  if (msSinceOurAutomaticText !== null && msSinceOurAutomaticText >= 0 && msSinceOurAutomaticText < AUTO_REPLY_WINDOW_MS) return true;
  const t = text.toLowerCase().replace(/[’]/g, "'").replace(/\s+/g, ' ');
  return PHRASES.some((re) => re.test(t));
}
