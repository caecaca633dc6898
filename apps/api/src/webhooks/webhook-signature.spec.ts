import { createHmac } from 'node:crypto';
import { generateWebhookSecret, signatureHeader } from './webhook-signature.js';

describe('webhook signature', () => {
  it('is the hex HMAC-SHA256 of the exact body, prefixed sha256=', () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    expect(signatureHeader('Jefe', 'what do ya want for nothing?')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('changes with one byte of the body (non-ASCII text signed as UTF-8)', () => {
    const body = JSON.stringify({ name: 'البصرة' });
    expect(signatureHeader('s', body)).toBe(`sha256=${createHmac('sha256', 's').update(Buffer.from(body, 'utf8')).digest('hex')}`);
    expect(signatureHeader('s', body)).not.toBe(signatureHeader('s', `${body} `));
  });

  it('secrets are 32 random bytes in base64url', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});
