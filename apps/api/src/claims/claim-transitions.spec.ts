import { ALLOWED_MOVES, CLAIM_MOVES, CLAIM_STATUSES, MOVE_TARGET, canMove, statusesOf } from './claim-transitions.js';

describe('claim transitions', () => {
  test('the table: reported → denied | confirmed; denied → confirmed; any live status → retracted', () => {
    const table = CLAIM_STATUSES.flatMap((from) => CLAIM_MOVES.filter((m) => canMove(from, m)).map((m) => `${from}→${MOVE_TARGET[m]}`));
    expect(table).toEqual([
      'reported→denied',
      'reported→confirmed',
      'reported→retracted',
      'denied→confirmed',
      'denied→retracted',
      'confirmed→retracted',
    ]);
  });

  test('a retracted claim is final; nothing moves back to reported or from confirmed to denied', () => {
    expect(ALLOWED_MOVES.retracted).toEqual([]);
    expect(canMove('confirmed', 'deny')).toBe(false);
    expect(canMove('denied', 'deny')).toBe(false);
    expect(canMove('confirmed', 'confirm')).toBe(false);
  });

  test('the open filter is reported or denied', () => {
    expect(statusesOf('open')).toEqual(['reported', 'denied']);
    expect(statusesOf('denied')).toEqual(['denied']);
    expect(statusesOf(undefined)).toBeNull();
  });
});
