import { RowShapeError, readFirst, readRows } from './row.js';

describe('readRows', () => {
  const at = new Date('2024-01-20T15:00:00.000Z');

  it('maps each row with the types the caller reads, from driver values and JSON values alike', () => {
    const rows = readRows(
      [
        { id: 7, name: 'basra', kind: 'breach', at, json_at: '2024-01-20T15:00:00.000Z', body: { a: 1 }, gone: null, live: true, tags: ['x'] },
      ],
      (r) => ({
        id: r.int('id'),
        name: r.text('name'),
        kind: r.oneOf('kind', ['breach', 'at_risk'] as const),
        at: r.instant('at'),
        jsonAt: r.instant('json_at'),
        body: r.object('body'),
        gone: r.instantOrNull('gone'),
        live: r.bool('live'),
        tags: r.array('tags', String),
      }),
    );
    expect(rows).toEqual([{ id: 7, name: 'basra', kind: 'breach', at, jsonAt: at, body: { a: 1 }, gone: null, live: true, tags: ['x'] }]);
  });

  it('names the column whose value is not what the caller reads', () => {
    expect(() => readRows([{ id: '7' }], (r) => r.int('id'))).toThrow(new RowShapeError('column "id": expected an integer, got string'));
    expect(() => readRows([{ kind: 'other' }], (r) => r.oneOf('kind', ['breach', 'at_risk']))).toThrow(/column "kind": expected breach \| at_risk/);
    expect(() => readRows([{ at: 'yesterday' }], (r) => r.instant('at'))).toThrow(/column "at": expected an instant/);
    expect(() => readRows([{ name: null }], (r) => r.text('name'))).toThrow(/column "name": expected text, got null/);
    expect(() => readRows([{}], (r) => r.json('missing'))).toThrow(/column "missing"/);
  });

  it('refuses a result that is not a list of rows', () => {
    expect(() => readRows({ rows: [] }, (r) => r)).toThrow(RowShapeError);
    expect(() => readRows([null], (r) => r)).toThrow(RowShapeError);
  });

  it('readFirst: the first row, or null for none', () => {
    expect(readFirst([{ n: 1 }, { n: 2 }], (r) => r.int('n'))).toBe(1);
    expect(readFirst([], (r) => r.int('n'))).toBeNull();
  });
});
