import { execFileSync } from 'node:child_process';

/**
 * The layer rules of .dependency-cruiser.cjs over the whole source tree: no import cycle (so no Nest
 * module cycle), libs/ never importing apps/, libs/workflow importing only xstate, common/ importing no
 * feature. Checked with dependency-cruiser itself, on the files as they are (type-only imports count).
 */
interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

function cruise(...paths: string[]): { violations: Violation[]; modules: number } {
  const out = execFileSync(
    process.execPath,
    ['node_modules/dependency-cruiser/bin/dependency-cruise.mjs', '--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...paths],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const result = JSON.parse(out) as { summary: { violations: Violation[]; totalCruised: number } };
  return { violations: result.summary.violations, modules: result.summary.totalCruised };
}

const describeViolation = (v: Violation) =>
  `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (cycle: ${v.cycle.map((c) => c.name).join(' → ')})` : ''}`;

describe('architecture: the dependency rules hold', () => {
  it('apps, libs, migrations and seeds break no rule', () => {
    const { violations, modules } = cruise('apps', 'libs', 'migrations', 'seeds');
    expect(modules).toBeGreaterThan(100);
    expect(violations.map(describeViolation)).toEqual([]);
  }, 60_000);

  it('the cycle rule catches a cycle (two files that import each other)', () => {
    const { violations } = cruise('test/fixtures/import-cycle');
    expect(violations.map((v) => v.rule.name)).toContain('no-circular');
  }, 60_000);
});
