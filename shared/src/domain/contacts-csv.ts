import { parsePhone } from './phone.js';

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF; a BOM is dropped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new Error('a quoted field is not closed');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export const CONTACT_COLUMNS = ['name', 'phone', 'tags', 'notes', 'customer_since'] as const;

export interface ContactRow {
  line: number;
  name: string;
  phone: string;
  tags: string[];
  notes: string;
  customerSince: string | null;
}

const TAG = /^[\p{L}\p{N} _-]{1,40}$/u;

/**
 * Checks every row of a contacts CSV (header: name, phone, optional tags, notes, customer_since) and reports
 * every problem with its line, so a whole file can be fixed in one go; the caller saves nothing unless `errors`
 * is empty. Phones may be national; they come back as E.164. Tags are separated by ";" or "|".
 */
export function validateContactRows(table: string[][], country: string): { rows: ContactRow[]; errors: { line: number; message: string }[] } {
  const errors: { line: number; message: string }[] = [];
  const rows: ContactRow[] = [];
  const header = (table[0] ?? []).map((h) => h.trim().toLowerCase().replace(/[\s-]+/g, '_'));
  const col = (name: string) => header.indexOf(name);
  for (const required of ['name', 'phone']) {
    if (col(required) < 0) errors.push({ line: 1, message: `the header has no "${required}" column (columns: ${CONTACT_COLUMNS.join(', ')})` });
  }
  const unknown = header.filter((h) => h !== '' && !(CONTACT_COLUMNS as readonly string[]).includes(h));
  if (unknown.length) errors.push({ line: 1, message: `unknown column${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}` });
  if (errors.length) return { rows, errors };
  const seen = new Map<string, number>();
  table.slice(1).forEach((cells, i) => {
    const line = i + 2;
    if (cells.every((c) => c.trim() === '')) return; // blank line
    const cell = (name: string) => (col(name) >= 0 ? (cells[col(name)] ?? '').trim() : '');
    const problems: string[] = [];
    if (cells.length > header.length) problems.push(`${cells.length} fields but the header has ${header.length}`);
    const name = cell('name');
    if (!name) problems.push('name is empty');
    else if (name.length > 120) problems.push('name is longer than 120 characters');
    const rawPhone = cell('phone');
    const phone = parsePhone(rawPhone, country);
    let e164 = '';
    if (!rawPhone) problems.push('phone is empty');
    else if (!phone.ok) problems.push(`phone "${rawPhone}" is not a valid number`);
    else {
      e164 = phone.e164;
      const first = seen.get(e164);
      if (first) problems.push(`phone ${e164} is already on line ${first}`);
      else seen.set(e164, line);
    }
    const tags = cell('tags')
      .split(/[;|]/)
      .map((t) => t.trim())
      .filter(Boolean);
    const badTag = tags.find((t) => !TAG.test(t));
    if (badTag) problems.push(`tag "${badTag}" may only hold letters, digits, spaces, dashes and underscores (40 at most)`);
    const notes = cell('notes');
    if (notes.length > 4000) problems.push('notes are longer than 4000 characters');
    const since = cell('customer_since');
    if (since && (!/^\d{4}-\d{2}-\d{2}$/.test(since) || Number.isNaN(Date.parse(`${since}T00:00:00Z`)))) {
      problems.push(`customer_since "${since}" is not a date like 2024-03-01`);
    }
    if (problems.length) errors.push({ line, message: problems.join('; ') });
    else rows.push({ line, name, phone: e164, tags: [...new Set(tags)], notes, customerSince: since || null });
  });
  return { rows, errors };
}
