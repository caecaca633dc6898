// `npm run cli -- <command>`: runs the compiled CLI, building first when there is no build yet.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const entry = 'dist/apps/cli/src/main.js';
if (!existsSync(entry)) {
  const build = spawnSync('npx', ['nest', 'build', 'api'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const run = spawnSync(process.execPath, [entry, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
