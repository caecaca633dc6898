import { acceptsGzip, noneMatch } from './accept-encoding.js';

describe('acceptsGzip', () => {
  it.each([
    ['gzip, deflate', true],
    ['gzip, deflate, br, zstd', true],
    ['br;q=1.0, gzip;q=0.8, *;q=0.1', true],
    ['x-gzip', true],
    ['GZip', true],
    ['*', true],
    ['identity', false],
    ['', false],
    ['deflate, br', false],
    ['gzip;q=0', false],
    ['gzip;q=0.000', false],
    ['*;q=0', false],
    ['gzip;q=0, *', false],
    ['br, *;q=0.5', true],
    ['identity, *;q=0', false],
    ['gzip ;q=0, *', false],
    ['gzip ; q=0.5', true],
    ['gzip;q=abc', false],
    ['gzip;q=abc, *', true],
    ['gzip;q=1.5', false],
    ['gzip;q=0.0001', false],
    ['gzip;level=1', true],
  ])('%j → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });

  it('is false without the header', () => {
    expect(acceptsGzip(undefined)).toBe(false);
  });
});

describe('noneMatch', () => {
  const tag = '"rAbC-gz"';
  it.each([
    ['"rAbC-gz"', true],
    ['W/"rAbC-gz"', true],
    ['"other", "rAbC-gz"', true],
    ['*', true],
    ['"rAbC"', false],
    ['"other"', false],
    ['', false],
  ])('%j → %s', (header, expected) => {
    expect(noneMatch(header, tag)).toBe(expected);
  });

  it('is false without the header', () => {
    expect(noneMatch(undefined, tag)).toBe(false);
  });
});
