/** Urgency triage of caller replies: configurable words per industry, matched as whole words or phrases. */
export const urgencyIndustries = ['general', 'dental', 'medical', 'home-services', 'legal'] as const;
export type UrgencyIndustry = (typeof urgencyIndustries)[number];

const CORE = ['urgent', 'emergency', 'asap', 'right away', 'immediately', 'now please'];
/** "Today" is urgent for a burst pipe, not for a clinic's "can you call me today?": booking talk, not pain. */
const GENERAL = [...CORE, 'today', 'tonight'];
export const URGENT_WORDS: Record<UrgencyIndustry, readonly string[]> = {
  general: GENERAL,
  dental: [...CORE, 'pain', 'painful', 'hurts', 'swelling', 'swollen', 'bleeding', 'broken tooth', 'chipped', 'cracked', 'abscess', 'knocked out', 'toothache', 'infection', 'fever'],
  medical: [...CORE, 'pain', 'bleeding', 'fever', 'chest pain', "can't breathe", 'cant breathe', 'fell', 'allergic', 'swelling'],
  'home-services': [...GENERAL, 'leak', 'leaking', 'flood', 'flooding', 'flooded', 'no heat', 'no hot water', 'no power', 'burst', 'gas smell', 'smell gas', 'sparking', 'no ac', 'sewage'],
  legal: [...GENERAL, 'arrested', 'court tomorrow', 'deadline', 'served', 'custody', 'eviction'],
};

export function urgentWordList(industry: UrgencyIndustry, extra: readonly string[] = []): string[] {
  return [...new Set([...URGENT_WORDS[industry], ...extra].map((w) => w.toLowerCase().trim()).filter(Boolean))];
}

const fold = (s: string) =>
  ` ${s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’']/g, "'")
    .replace(/[^\p{L}\p{N}']+/gu, ' ')
    .trim()} `;

const foldedWords = new Map<string, string>();
/** Word lists are short and fixed: fold each word once, not once per message. */
function folded(word: string): string {
  let f = foldedWords.get(word);
  if (f === undefined) {
    if (foldedWords.size > 1000) foldedWords.clear();
    foldedWords.set(word, (f = fold(word)));
  }
  return f;
}

/** The urgent words a text contains (whole words; "leaking" matches "leaking", "pain" does not match "paint"). */
export function scoreUrgency(text: string, words: readonly string[]): { score: number; words: string[] } {
  const t = fold(text);
  const found = words.filter((w) => t.includes(folded(w)));
  return { score: found.length, words: found };
}
