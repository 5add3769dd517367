import { localTime, pickChoice, slotLabel, type Choice, type Contact, type Question, type Slot } from '@ringback/shared';

export type Answer = { ok: true; value: string } | { ok: false; reason: 'unclear' | 'not-allowed' };

/** A reply to a question: one of its options, or free text that fits its pattern and allowed list. */
export function answerQuestion(q: Question, text: string): Answer {
  if (q.options) {
    const id = pickChoice(text, q.options);
    return id ? { ok: true, value: id } : { ok: false, reason: 'unclear' };
  }
  const trimmed = text.trim();
  if (q.pattern) {
    const m = new RegExp(q.pattern).exec(trimmed) ?? new RegExp(q.pattern).exec(trimmed.replace(/\s+/g, ''));
    if (!m) return { ok: false, reason: 'unclear' };
    const value = m[0];
    if (q.allowed && !q.allowed.includes(value)) return { ok: false, reason: 'not-allowed' };
    return { ok: true, value };
  }
  if (q.allowed) {
    const hit = q.allowed.find((a) => new RegExp(`(^|\\W)${a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\W|$)`, 'i').test(trimmed));
    return hit ? { ok: true, value: hit } : { ok: false, reason: 'not-allowed' };
  }
  return trimmed ? { ok: true, value: trimmed.slice(0, 200) } : { ok: false, reason: 'unclear' };
}

/**
 * What a known contact has already answered: a tag naming one of the options wins ("new" / "existing"),
 * else `knownForContacts` is the answer for anyone on file (every contact is an "existing" patient).
 */
export function knownAnswer(q: Question, contact: Contact | undefined): string | null {
  if (!contact || !q.knownForContacts) return null;
  const tagged = q.options?.find((o) => contact.tags.includes(o.id));
  if (tagged) return tagged.id;
  if (q.options && !q.options.some((o) => o.id === q.knownForContacts)) return null;
  return q.knownForContacts;
}

/** Offered slots as choices: by number, by label, or by the time as people write it ("the 9:30", "2pm"). */
export function slotChoices(offered: readonly Slot[], timezone: string, now: Date): Choice[] {
  return offered.map((s, i) => {
    const { minutes } = localTime(new Date(s.start), timezone);
    const h24 = Math.floor(minutes / 60);
    const mm = String(minutes % 60).padStart(2, '0');
    const h = h24 % 12 || 12;
    const ampm = h24 < 12 ? 'am' : 'pm';
    const synonyms = [`${h}:${mm}`, `${h}:${mm} ${ampm}`, `${h}:${mm}${ampm}`, ...(mm === '00' ? [`${h}${ampm}`, `${h} ${ampm}`, `${h} oclock`] : [])];
    return { id: String(i), label: slotLabel(s, timezone, now), synonyms };
  });
}
