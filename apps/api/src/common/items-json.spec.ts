import fc from 'fast-check';
import { ItemsJsonEncoder } from './items-json.js';

describe('ItemsJsonEncoder', () => {
  it('is byte for byte JSON.stringify({ items }) of the pages together, however the items are paged', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.jsonValue(), { maxLength: 6 }), { maxLength: 6 }), (pages) => {
        const encoder = new ItemsJsonEncoder();
        for (const page of pages) encoder.add(page);
        expect(encoder.finish().equals(Buffer.from(JSON.stringify({ items: pages.flat() }), 'utf8'))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('encodes text outside ASCII as UTF-8 (the provinces have Arabic names)', () => {
    const encoder = new ItemsJsonEncoder();
    encoder.add([{ name: 'البصرة' }]);
    encoder.add([]);
    encoder.add([{ name: 'كركوك' }, null]);
    expect(encoder.finish().toString('utf8')).toBe('{"items":[{"name":"البصرة"},{"name":"كركوك"},null]}');
  });
});
