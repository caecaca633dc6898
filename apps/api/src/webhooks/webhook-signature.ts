import { createHmac, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: the shared secret a receiver uses to check X-Signature-256. */
export function generateWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** `sha256=<hex HMAC-SHA256 of the exact body bytes>`, the value of X-Signature-256 (GitHub's scheme). */
export function signatureHeader(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}
