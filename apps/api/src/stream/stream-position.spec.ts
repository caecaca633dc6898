import { LOG_START, comparePositions, decodePosition, encodePosition } from './stream-position.js';

describe('stream position', () => {
  test('round-trips positions, including the largest xid8 and bigint', () => {
    for (const p of [LOG_START, { txId: 745n, id: 12n, delivered: 2 }, { txId: 2n ** 64n - 1n, id: 2n ** 63n - 1n, delivered: 1000 }]) {
      const raw = encodePosition(p);
      expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodePosition(raw)).toEqual(p);
    }
  });

  test('is base64url of "txid:id:delivered"', () => {
    expect(Buffer.from(encodePosition({ txId: 745n, id: 12n, delivered: 1 }), 'base64url').toString()).toBe('745:12:1');
  });

  test.each([
    ['empty', ''],
    ['a heartbeat counter of the old stream', '3'],
    ['a /changes cursor (two numbers)', Buffer.from('745:12').toString('base64url')],
    ['not base64url', 'abc$def$ghi'],
    ['negative', Buffer.from('-1:2:0').toString('base64url')],
    ['leading zero', Buffer.from('745:012:0').toString('base64url')],
    ['xid8 overflow', Buffer.from(`${2n ** 64n}:1:0`).toString('base64url')],
    ['bigint overflow', Buffer.from(`1:${2n ** 63n}:0`).toString('base64url')],
    ['too many delivered', Buffer.from('1:2:1001').toString('base64url')],
    ['not canonical', encodePosition({ txId: 745n, id: 12n, delivered: 1 }) + 'A'],
  ])('refuses %s', (_label, raw) => {
    expect(decodePosition(raw)).toBeNull();
  });

  test('orders by transaction, then row, then notices delivered', () => {
    const sorted = [
      LOG_START,
      { txId: 5n, id: 90n, delivered: 0 },
      { txId: 5n, id: 90n, delivered: 1 },
      { txId: 5n, id: 91n, delivered: 0 },
      { txId: 6n, id: 2n, delivered: 3 },
    ];
    for (let i = 0; i < sorted.length; i++) {
      for (let j = 0; j < sorted.length; j++) expect(Math.sign(comparePositions(sorted[i], sorted[j]))).toBe(Math.sign(i - j));
    }
  });
});
