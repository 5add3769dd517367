/** `{{name}}` or `{{ name | fallback }}`; nothing else is syntax, so odd braces in a template stay literal. */
const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*(?:\|([^{}]*))?\}\}/g;

/** Variables a text-back template may use (README "Configuration"); anything else would render empty. */
export const TEMPLATE_VARIABLES = ['business', 'bookingUrl', 'location', 'firstName'] as const;

/** The variable names a template uses, in order, repeats included. */
export function templateVariables(template: string): string[] {
  return Array.from(template.matchAll(PLACEHOLDER), (m) => m[1] ?? '');
}

/** One message per unknown variable, with the known name it most likely meant ("first_name" → "firstName"). */
export function unknownTemplateVariables(template: string, known: readonly string[] = TEMPLATE_VARIABLES): string[] {
  const squash = (v: string) => v.toLowerCase().replace(/[^a-z0-9]/g, '');
  const unknown = [...new Set(templateVariables(template).filter((v) => !known.includes(v)))];
  return unknown.map((v) => {
    const guess = known.find((k) => squash(k) === squash(v));
    return `unknown variable {{${v}}}${guess ? ` (did you mean {{${guess}}}?)` : ''}; known: ${known.join(', ')}`;
  });
}

/**
 * Fills placeholders in one pass (a value containing "{{x}}" is not expanded again). An empty result
 * leaves no stray gap: "Hi {{name}}, thanks" → "Hi, thanks"; "Thanks {{name}} for calling" → single space.
 */
export function renderTemplate(template: string, vars: Record<string, string | null | undefined>): string {
  let out = '';
  let last = 0;
  let gap = false; // the previous piece rendered as nothing
  const append = (piece: string) => {
    if (piece === '') return;
    if (gap) {
      if (out === '' || out.endsWith(' ')) piece = piece.replace(/^ +/, '');
      if (/^[,.!?;:\n]/.test(piece)) out = out.replace(/ +$/, '');
    }
    out += piece;
    gap = false;
  };
  for (const m of template.matchAll(PLACEHOLDER)) {
    append(template.slice(last, m.index));
    last = m.index + m[0].length;
    const name = m[1] ?? '';
    const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
    const text = value != null && value.trim() !== '' ? value : (m[2] ?? '').trim();
    if (text === '') gap = true;
    else append(text);
  }
  append(template.slice(last));
  return gap ? out.replace(/ +$/, '') : out;
}

export const STOP_FOOTER = 'Reply STOP to opt out.';

/** Compliance C-7: every text-back says how to opt out; a template that already mentions STOP is left alone. */
export function withStopFooter(text: string): string {
  if (/\bstop\b/i.test(text)) return text;
  const body = text.trimEnd();
  return body === '' ? STOP_FOOTER : `${body} ${STOP_FOOTER}`;
}

// GSM 03.38 basic character set (ESC excluded) and the extension table, whose characters cost two septets.
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENDED = new Set('^{}\\[~]|€\f');

/**
 * Encoding, length in encoding units, and billed segments. Multipart messages lose room to the UDH
 * (153 septets / 67 UTF-16 units), and carriers never split an escape pair or a surrogate pair, so pack greedily.
 */
export function smsSegments(text: string): { encoding: 'GSM-7' | 'UCS-2'; units: number; segments: number } {
  const chars = Array.from(text);
  const gsm = chars.every((c) => GSM_BASIC.has(c) || GSM_EXTENDED.has(c));
  const cost = gsm ? (c: string) => (GSM_EXTENDED.has(c) ? 2 : 1) : (c: string) => c.length;
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  const units = chars.reduce((n, c) => n + cost(c), 0);
  const encoding = gsm ? 'GSM-7' : 'UCS-2';
  if (units <= single) return { encoding, units, segments: units === 0 ? 0 : 1 };
  let segments = 1;
  let used = 0;
  for (const c of chars) {
    if (used + cost(c) > multi) {
      segments += 1;
      used = 0;
    }
    used += cost(c);
  }
  return { encoding, units, segments };
}
