/**
 * Phone numbers in logs: enough to tell callers apart and find the area, never the whole number.
 * "+15125551077" → "+1512***1077"; anything too short to mask safely is hidden entirely.
 */
export function maskNumber(value: string | null | undefined): string {
  if (!value) return '';
  const digits = value.replace(/\D/g, '');
  if (digits.length < 8) return digits.length ? '***' : value;
  return `${value.startsWith('+') ? '+' : ''}${digits.slice(0, 4)}***${digits.slice(-4)}`;
}

/** Masks every phone-number-like run of digits inside free text (carrier error messages). */
export function maskNumbersIn(text: string): string {
  return text.replace(/\+?\d[\d\s().-]{6,}\d/g, (m) => (m.replace(/\D/g, '').length >= 8 ? maskNumber(m) : m));
}
