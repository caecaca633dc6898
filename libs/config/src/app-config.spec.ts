import { ConfigError, loadConfig } from './app-config.js';

describe('PUBLIC_BASE_URL', () => {
  test('unset or blank: null (links stay paths under the API origin)', () => {
    expect(loadConfig({}).publicBaseUrl).toBeNull();
    expect(loadConfig({ PUBLIC_BASE_URL: ' ' }).publicBaseUrl).toBeNull();
  });

  test('an origin or a path prefix, trailing slashes dropped', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://tracker.example.org' }).publicBaseUrl).toBe('https://tracker.example.org');
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://tracker.example.org/' }).publicBaseUrl).toBe('https://tracker.example.org');
    expect(loadConfig({ PUBLIC_BASE_URL: 'http://news.example:8080/tracker//' }).publicBaseUrl).toBe('http://news.example:8080/tracker');
  });

  test.each(['/api', 'tracker.example.org', 'ftp://tracker.example.org', 'https://tracker.example.org/?a=1', 'https://tracker.example.org/#x', 'https://user:pw@tracker.example.org'])(
    '%s stops the boot with one line',
    (value) => {
      expect(() => loadConfig({ PUBLIC_BASE_URL: value })).toThrow(ConfigError);
      try {
        loadConfig({ PUBLIC_BASE_URL: value });
      } catch (err) {
        expect((err as ConfigError).problems).toEqual([expect.stringMatching(/^PUBLIC_BASE_URL must be an absolute http\(s\) URL/)]);
      }
    },
  );
});
