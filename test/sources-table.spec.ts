import { readFileSync } from 'node:fs';
// @ts-expect-error -- a plain ESM script without types (scripts/ is not part of the TypeScript project)
import { OUTPUT, render, seedDocuments } from '../scripts/sources-table.mjs';

describe('docs/sources.md (issue 21)', () => {
  test('is what `npm run docs:sources` writes from the seed documents: regenerate it after changing seeds/*.json', () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(render(seedDocuments()));
  });

  test('lists every shipped event once, with its source', () => {
    const docs = seedDocuments() as { councils: { events?: { source: { url?: string } }[] }[] }[];
    const events = docs.flatMap((d) => d.councils.flatMap((c) => c.events ?? []));
    const rows = render(docs)
      .split('\n')
      .filter((line: string) => /^\| \d+ \|/.test(line));
    expect(rows).toHaveLength(events.length);
    for (const e of events) expect(render(docs)).toContain(`](${e.source.url})`);
  });
});
