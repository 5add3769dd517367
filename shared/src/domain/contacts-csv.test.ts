import { describe, expect, it } from 'vitest';
import { parseCsv, validateContactRows } from './contacts-csv.js';

describe('parseCsv', () => {
  it('reads quotes, embedded commas, quotes and line breaks, CRLF and a BOM', () => {
    expect(parseCsv('\uFEFFname,notes\r\n"Ruiz, Ana","said ""hi""\nthen left"\r\nBo,\n')).toEqual([
      ['name', 'notes'],
      ['Ruiz, Ana', 'said "hi"\nthen left'],
      ['Bo', ''],
    ]);
  });
  it('refuses an unclosed quote', () => {
    expect(() => parseCsv('name\n"Ana')).toThrow(/not closed/);
  });
});

describe('validateContactRows', () => {
  it('accepts national numbers, tags and dates', () => {
    const { rows, errors } = validateContactRows(parseCsv('Name,Phone,Tags,Customer Since\nAna Ruiz,(512) 555-1077,vip; ortho,2021-05-01\n'), 'US');
    expect(errors).toEqual([]);
    expect(rows).toEqual([{ line: 2, name: 'Ana Ruiz', phone: '+15125551077', tags: ['vip', 'ortho'], notes: '', customerSince: '2021-05-01' }]);
  });
  it('reports every bad row with its line and reason', () => {
    const csv = 'name,phone,customer_since\nAna,+15125551077,\n,+15125551078,\nBo,12,\nCy,+1 512 555 1077,\nDi,+15125551079,March\n';
    const { errors } = validateContactRows(parseCsv(csv), 'US');
    expect(errors).toEqual([
      { line: 3, message: 'name is empty' },
      { line: 4, message: 'phone "12" is not a valid number' },
      { line: 5, message: 'phone +15125551077 is already on line 2' },
      { line: 6, message: 'customer_since "March" is not a date like 2024-03-01' },
    ]);
  });
  it('needs name and phone columns and rejects unknown ones', () => {
    expect(validateContactRows(parseCsv('name,email\nAna,a@b.c\n'), 'US').errors.map((e) => e.message)).toEqual([
      'the header has no "phone" column (columns: name, phone, tags, notes, customer_since)',
      'unknown column: email',
    ]);
  });
  it('skips blank lines', () => {
    expect(validateContactRows(parseCsv('name,phone\n\nAna,5125551077\n'), 'US').rows).toHaveLength(1);
  });
});
