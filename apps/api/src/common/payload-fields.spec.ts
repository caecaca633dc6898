import { fieldsOf, nonBlank, num, str } from './payload-fields.js';

test('str keeps any non-empty string; nonBlank also refuses white space alone (a search must not index a blank name)', () => {
  expect([str('Ali'), str(' '), str(''), str(3), str(null)]).toEqual(['Ali', ' ', null, null, null]);
  expect([nonBlank(' Ali '), nonBlank(' \t'), nonBlank(''), nonBlank(3)]).toEqual([' Ali ', null, null, null]);
});

test('num keeps finite numbers only', () => {
  expect([num(0), num(13), num(Number.NaN), num(Number.POSITIVE_INFINITY), num('13')]).toEqual([0, 13, null, null, null]);
});

test('fieldsOf reads a nested object, and anything else as no fields', () => {
  expect(fieldsOf({ name: 'Ali' })).toEqual({ name: 'Ali' });
  expect([fieldsOf(null), fieldsOf(undefined), fieldsOf('Ali')]).toEqual([{}, {}, {}]);
});
