import { ConfigError } from '@app/config';
import { parseCorsOrigins } from './security.js';

describe('CORS_ORIGINS', () => {
  test('unset or blank: no origin is allowed', () => {
    expect(parseCorsOrigins(undefined)).toEqual([]);
    expect(parseCorsOrigins('  ')).toEqual([]);
  });

  test('a comma-separated list of origins', () => {
    expect(parseCorsOrigins('https://desk.newsroom.example, http://localhost:5173')).toEqual(['https://desk.newsroom.example', 'http://localhost:5173']);
  });

  test('anything that is not an origin stops the start, one line per value', () => {
    let error: unknown;
    try {
      parseCorsOrigins('*,https://newsroom.example/board,ftp://x.example,https://ok.example');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'CORS_ORIGINS: "*" is not an origin (scheme://host[:port], without a path or a trailing slash)',
      'CORS_ORIGINS: "https://newsroom.example/board" is not an origin (scheme://host[:port], without a path or a trailing slash)',
      'CORS_ORIGINS: "ftp://x.example" is not an origin (scheme://host[:port], without a path or a trailing slash)',
    ]);
  });
});
