import { ConfigError } from '@app/config';
import { parseCorsOrigins, securityHeaders } from './security.js';

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

describe('security headers (helmet, computed once)', () => {
  test("helmet's own headers for the app's policy, X-Powered-By removed", () => {
    const headers = securityHeaders();
    expect(headers['content-security-policy']).toBe(
      "default-src 'self';script-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data:;font-src 'self' data:;" +
        "connect-src 'self';object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'",
    );
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    expect(headers).not.toHaveProperty('x-powered-by');
  });

  test('other options give other headers (nothing is hard-coded here)', () => {
    const headers = securityHeaders({ contentSecurityPolicy: false, referrerPolicy: { policy: 'same-origin' } });
    expect(headers).not.toHaveProperty('content-security-policy');
    expect(headers['referrer-policy']).toBe('same-origin');
  });
});
