import fc from 'fast-check';
import { ItemsJsonEncoder } from './items-json.js';

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
