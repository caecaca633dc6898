import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from './json-depth.js';

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('jsonNestsDeeperThan', () => {
  test('counts arrays and objects together, up to the limit and one past it', () => {
    const nested = (n: number) => '[{"a":'.repeat(n) + '1' + '}]'.repeat(n);
    expect(jsonNestsDeeperThan(bytes(nested(MAX_JSON_DEPTH / 2)), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonNestsDeeperThan(bytes(`[${nested(MAX_JSON_DEPTH / 2)}]`), MAX_JSON_DEPTH)).toBe(true);
  });

  test('siblings do not add up: depth is how far down, not how many', () => {
    expect(jsonNestsDeeperThan(bytes(`[${'[[1]],'.repeat(10_000)}[]]`), 3)).toBe(false);
  });

  test('brackets inside strings, escaped quotes included, are text', () => {
    expect(jsonNestsDeeperThan(bytes(JSON.stringify({ a: '['.repeat(100), b: 'say \\"[[[[\\" "' + '{'.repeat(50) })), 1)).toBe(false);
    expect(jsonNestsDeeperThan(bytes(JSON.stringify({ a: '\\', b: [[1]] })), 2)).toBe(true);
  });

  test('100,000 nested brackets (under 1 MiB) are found without recursion', () => {
    expect(jsonNestsDeeperThan(bytes('['.repeat(100_000) + ']'.repeat(100_000)), MAX_JSON_DEPTH)).toBe(true);
  });
});
