import fc from 'fast-check';
import pg from 'pg';
import { sqlLiteral } from './sql-literal.js';

describe('sqlLiteral', () => {
  it('quotes plain text, doubles quotes, and uses the E form with doubled backslashes', () => {
    expect(sqlLiteral('bagdad')).toBe("'bagdad'");
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral('a\\b')).toBe(" E'a\\\\b'");
    expect(sqlLiteral("'\\'")).toBe(" E'''\\\\'''");
    expect(sqlLiteral('')).toBe("''");
  });

  it('is exactly pg.escapeLiteral for any text (JSON documents, Arabic, quotes, backslashes)', () => {
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom("'", '\\', '"', 'a', 'ب', ' ', '\n', '\u0000', '😀') }),
      fc.string({ unit: 'grapheme' }),
      fc.jsonValue().map((v) => JSON.stringify(v)),
    );
    fc.assert(fc.property(text, (s) => sqlLiteral(s) === pg.escapeLiteral(s)), { numRuns: 2000 });
  });
});
