import type { Choice } from '../../contract/booking.js';

/**
 * Answers to the assistant's questions as callers write them: "2", "#2", "the second one", a label, a
 * synonym, or a sentence naming exactly one option ("a cleaning please"). Anything ambiguous is null, so
 * the assistant asks again rather than guessing.
 */

const fold = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^\p{L}\p{N}#]+/gu, ' ')
    .trim();

const ORDINALS: Record<string, number> = {
  first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4, fifth: 5, '5th': 5,
  sixth: 6, '6th': 6, seventh: 7, '7th': 7, eighth: 8, '8th': 8, ninth: 9, '9th': 9, tenth: 10, '10th': 10,
};
const CARDINALS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };

/** Words around a bare pick ("I'll take the 2nd one please") that do not change which option it is. */
const FILLER = new Set(
  `the a an one option options choice number no nr num # i ill id im will would like take want go with lets let do
  please pls plz ok okay yes yeah yep sure that this is fine sounds good great perfect works work for me thanks thank
  you ty one time slot appointment book it`.split(/\s+/),
);

/** The 1-based option a message picks by position, or null. "the 2nd one" → 2, "#3" → 3, "last" → n. */
export function pickIndex(text: string, count: number): number | null {
  const words = fold(text).replace(/#/g, ' # ').split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 8) return null;
  let picked: number | null = null;
  const set = (n: number): boolean => {
    if (picked !== null && picked !== n) return false;
    picked = n;
    return true;
  };
  let cardinal: number | null = null;
  for (const w of words) {
    if (/^\d{1,2}$/.test(w)) {
      if (!set(Number(w))) return null;
    } else if (Object.hasOwn(ORDINALS, w)) {
      if (!set(ORDINALS[w]!)) return null;
    } else if (w === 'last') {
      if (!set(count)) return null;
    } else if (Object.hasOwn(CARDINALS, w) && w !== 'one') {
      cardinal = CARDINALS[w]!;
    } else if (!FILLER.has(w)) {
      return null;
    }
  }
  // "one" alone is the first option; "the second one" is the second.
  if (picked === null) picked = cardinal ?? (words.length === 1 && words[0] === 'one' ? 1 : null);
  if (picked === null || picked < 1 || picked > count) return null;
  return picked;
}

/** The forms a choice goes by: its label, its synonyms, and its id read as words ("new-patient" → "new patient"). */
function terms(c: Choice): string[] {
  return [...new Set([c.label, ...c.synonyms, c.id.replace(/-/g, ' ')].map(fold).filter((t) => t.length >= 2))];
}

/** Whole-word containment, tolerant of a plural "s" ("cleanings"). */
function mentions(text: string, term: string): boolean {
  return ` ${text} `.includes(` ${term} `) || ` ${text} `.includes(` ${term}s `);
}

/** The choice a message names (its id), or null when it names none or several. */
export function pickChoice(text: string, choices: readonly Choice[]): string | null {
  const byIndex = pickIndex(text, choices.length);
  if (byIndex !== null) return choices[byIndex - 1]!.id;
  const t = fold(text);
  if (t === '') return null;
  const exact = choices.filter((c) => terms(c).includes(t));
  if (exact.length === 1) return exact[0]!.id;
  const named = choices.filter((c) => terms(c).some((term) => mentions(t, term)));
  if (named.length === 1) return named[0]!.id;
  if (named.length > 1) {
    // "deep cleaning" also contains "cleaning": a match inside another option's longer match does not count.
    const hits = named.map((c) => ({ c, found: terms(c).filter((term) => mentions(t, term)) }));
    const distinct = hits.filter((h) => h.found.some((f) => !hits.some((o) => o !== h && o.found.some((g) => g !== f && g.includes(f)))));
    if (distinct.length === 1) return distinct[0]!.c.id;
  }
  return null;
}

const YES = new Set(['yes', 'y', 'yeah', 'yea', 'yep', 'yup', 'sure', 'ok', 'okay', 'k', 'correct', 'right', 'absolutely', 'definitely', 'please', 'perfect', 'great', 'good', 'fine', 'works', 'confirm', 'confirmed']);
const NO = new Set(['no', 'n', 'nope', 'nah', 'not', 'negative', 'never', 'none', 'neither', 'dont', 'cant', 'wont']);

/** A yes or a no, or null when the message is neither or both. */
export function yesNo(text: string): 'yes' | 'no' | null {
  const words = fold(text).split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 8) return null;
  const yes = words.some((w) => YES.has(w)) || /\bsounds good\b|\bthat works\b/.test(words.join(' '));
  const no = words.some((w) => NO.has(w));
  if (yes === no) return null;
  return yes ? 'yes' : 'no';
}

/** After a booking: does the caller want to cancel it, or move it? (A bare "CANCEL" is an opt-out keyword and never gets here.) */
export function bookingIntent(text: string): 'cancel' | 'move' | null {
  const t = fold(text);
  const cancel = /\b(cancel\w*|call it off|cant make it|cannot make it|wont make it|not coming)\b/.test(t);
  const move = /\b(move|reschedule\w*|rebook|change|another (day|time)|different (day|time)|later|earlier|push)\b/.test(t);
  if (cancel === move) return null;
  return cancel ? 'cancel' : 'move';
}
