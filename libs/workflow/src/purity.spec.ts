import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The layer rule, enforced: the workflow is pure — it imports xstate and itself, nothing else. */
const here = dirname(fileURLToPath(import.meta.url));
const sources = readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));

test.each(sources)('%s imports only xstate and its own modules, and reads no clock or environment', (file) => {
  const text = readFileSync(join(here, file), 'utf8');
  const imports = [...text.matchAll(/(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
  for (const spec of imports) expect(spec === 'xstate' || spec.startsWith('./')).toBe(true);
  expect(text).not.toMatch(/process\.env|Date\.now\(|new Date\(\)|setTimeout|setInterval|@nestjs|typeorm/);
});

test('there are workflow sources to check', () => {
  expect(sources.length).toBeGreaterThanOrEqual(8);
});
