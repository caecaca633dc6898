import fc from 'fast-check';
import { ItemsJsonEncoder, writeJson } from './items-json.js';

/** Encode the pages, collecting what the encoder writes (through a sink that sometimes waits). */
async function encode(pages: readonly (readonly unknown[])[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const encoder = new ItemsJsonEncoder(async (chunk) => {
    if (chunks.length % 2 === 1) await new Promise((resolve) => setImmediate(resolve));
    chunks.push(chunk);
  });
  for (const page of pages) await encoder.add(page);
  await encoder.finish();
  return Buffer.concat(chunks);
}

describe('ItemsJsonEncoder', () => {
  it('is byte for byte JSON.stringify({ items }) of the pages together, however the items are paged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.jsonValue(), { maxLength: 6 }), { maxLength: 6 }), async (pages) => {
        expect((await encode(pages)).equals(Buffer.from(JSON.stringify({ items: pages.flat() }), 'utf8'))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('encodes text outside ASCII as UTF-8 (the provinces have Arabic names)', async () => {
    const bytes = await encode([[{ name: 'البصرة' }], [], [{ name: 'كركوك' }, null]]);
    expect(bytes.toString('utf8')).toBe('{"items":[{"name":"البصرة"},{"name":"كركوك"},null]}');
  });
});

describe('writeJson', () => {
  const written = async (value: unknown, sliceItems: number) => {
    const chunks: Buffer[] = [];
    await writeJson(value, (chunk) => void chunks.push(chunk), sliceItems);
    return Buffer.concat(chunks);
  };
  // JSON values, with what JSON.stringify treats specially: Dates (toJSON), undefined and functions as
  // object values (left out) and array elements (null), boxed primitives.
  const special = fc.oneof(fc.date(), fc.constant(undefined), fc.constant(() => 1), fc.constant(new Number(3)), fc.constant(new String('s')));
  const value = fc.letrec((tie) => ({
    any: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1 }), special, tie('array'), tie('object')),
    array: fc.array(tie('any'), { maxLength: 12 }),
    object: fc.dictionary(fc.string({ maxLength: 4 }), tie('any'), { maxKeys: 5 }),
  })).any;

  it('is byte for byte JSON.stringify(value), however its arrays are sliced', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(value, fc.dictionary(fc.string(), value)), fc.integer({ min: 1, max: 5 }), async (v, sliceItems) => {
        expect((await written(v, sliceItems)).equals(Buffer.from(JSON.stringify(v) ?? 'null', 'utf8'))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('writes a large answer in pieces, none of them the whole', async () => {
    const digest = { date: '2024-02-09', provinces: Array.from({ length: 20_000 }, (_, i) => ({ slug: `p-${i}`, nameAr: 'البصرة', since: new Date(i) })) };
    const chunks: Buffer[] = [];
    await writeJson(digest, (chunk) => void chunks.push(chunk));
    const whole = Buffer.from(JSON.stringify(digest), 'utf8');
    expect(Buffer.concat(chunks).equals(whole)).toBe(true);
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(whole.length / 5);
  });

  it('refuses a value that contains itself, as JSON.stringify does, instead of writing forever', async () => {
    const digest: Record<string, unknown> = { date: '2024-02-09' };
    digest.self = { provinces: [digest] };
    const list: unknown[] = [1, 2, 3];
    list.push({ list });
    for (const cyclic of [digest, { items: list }]) {
      expect(() => JSON.stringify(cyclic)).toThrow(TypeError);
      await expect(written(cyclic, 2)).rejects.toThrow(TypeError);
    }
    // The same object twice, side by side, is not a cycle.
    const shared = { a: 1 };
    expect((await written({ x: shared, y: [shared, shared, shared] }, 1)).toString()).toBe(JSON.stringify({ x: shared, y: [shared, shared, shared] }));
  });
});
