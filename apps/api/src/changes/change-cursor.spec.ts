import { START_CURSOR, decodeCursor, encodeCursor } from './change-cursor.js';

describe('change cursor', () => {
  test('round-trips positions, including the largest xid8 and bigint', () => {
    for (const c of [START_CURSOR, { txId: 745n, id: 12n }, { txId: 2n ** 64n - 1n, id: 2n ** 63n - 1n }]) {
      const raw = encodeCursor(c);
      expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(raw)).toEqual(c);
    }
  });

  test('is base64url of "txid:id"', () => {
    expect(Buffer.from(encodeCursor({ txId: 745n, id: 12n }), 'base64url').toString()).toBe('745:12');
  });

  test.each([
    ['empty', ''],
    ['not base64url', 'abc$def'],
    ['padded base64', Buffer.from('745:1').toString('base64')],
    ['not two numbers', Buffer.from('745').toString('base64url')],
    ['negative', Buffer.from('-1:2').toString('base64url')],
    ['leading zero', Buffer.from('0745:12').toString('base64url')],
    ['xid8 overflow', Buffer.from(`${2n ** 64n}:1`).toString('base64url')],
    ['bigint overflow', Buffer.from(`1:${2n ** 63n}`).toString('base64url')],
    ['trailing garbage', Buffer.from('745:12\n').toString('base64url')],
    ['not canonical', encodeCursor({ txId: 745n, id: 12n }) + 'A'],
  ])('refuses %s', (_label, raw) => {
    expect(decodeCursor(raw)).toBeNull();
  });
});
