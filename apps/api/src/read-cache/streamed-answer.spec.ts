import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { IDENTITY_KEEP_BYTES, StreamedAnswer } from './streamed-answer.js';

describe('StreamedAnswer', () => {
  it('gives the gzip of all its chunks, their length and digest, and the chunks themselves only up to the threshold', async () => {
    // Chunk sizes from empty to a few times the threshold, so that answers fall on both sides of it.
    const chunk = fc.oneof(fc.string({ maxLength: 40 }), fc.integer({ min: 1, max: 3 * IDENTITY_KEEP_BYTES }).map((n) => 'x'.repeat(n)));
    await fc.assert(
      fc.asyncProperty(fc.array(chunk, { maxLength: 8 }), async (texts) => {
        const chunks = texts.map((t) => Buffer.from(t, 'utf8'));
        const whole = Buffer.concat(chunks);
        const streamed = new StreamedAnswer();
        for (const c of chunks) await streamed.write(c);
        const answer = await streamed.end();
        expect(gunzipSync(answer.compressed).equals(whole)).toBe(true);
        expect(answer.length).toBe(whole.length);
        expect(answer.digest.equals(createHash('sha256').update(whole).digest())).toBe(true);
        if (whole.length <= IDENTITY_KEEP_BYTES) expect(answer.identity?.equals(whole)).toBe(true);
        else expect(answer.identity).toBeNull();
      }),
      { numRuns: 60 },
    );
  });

  it('waits while gzip is busy instead of queueing a large answer whole', async () => {
    const streamed = new StreamedAnswer();
    const page = Buffer.alloc(1024 * 1024, 'a');
    let waited = 0;
    for (let i = 0; i < 8; i++) {
      // A write that waits for gzip lets the event loop turn: this callback runs before it resolves.
      let turned = false;
      setImmediate(() => (turned = true));
      await streamed.write(page);
      if (turned) waited++;
    }
    const answer = await streamed.end();
    expect(answer.length).toBe(8 * page.length);
    expect(gunzipSync(answer.compressed).length).toBe(8 * page.length);
    expect(waited).toBe(8);
  });

  it('fails a write once the compressor is closed, instead of waiting for it forever', async () => {
    const streamed = new StreamedAnswer();
    await streamed.write(Buffer.alloc(1024 * 1024, 'a'));
    streamed.destroy();
    await expect(streamed.write(Buffer.from('more'))).rejects.toThrow();
  });

});
