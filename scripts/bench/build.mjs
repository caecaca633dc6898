// The built API, held still for the length of a run. `nest build` deletes dist/ before it writes
// (deleteOutDir), so an `npm test` elsewhere in the checkout would pull the server from under a long
// benchmark: the run builds when dist/ is missing, then copies dist/ to a private directory (with a
// node_modules link back to the project's) and starts every server from that copy.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { log, sleep } from './util.mjs';

export const API_ENTRY = 'dist/apps/api/src/main.js';
export const CLI_ENTRY = 'dist/apps/cli/src/main.js';

function countFiles(dir) {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    n += entry.isDirectory() ? countFiles(path.join(dir, entry.name)) : 1;
  }
  return n;
}

const complete = (root) => existsSync(path.join(root, API_ENTRY)) && existsSync(path.join(root, CLI_ENTRY));

/** Build if needed; return { dir, api, cli, builtAt } of a private copy of dist/. */
export async function snapshotBuild(projectDir) {
  if (!complete(projectDir)) {
    // Maybe a build elsewhere is halfway: give it a moment before building ourselves.
    for (let i = 0; i < 15 && !complete(projectDir); i++) await sleep(1000);
    if (!complete(projectDir)) {
      log('dist/ is missing: npm run build');
      const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: projectDir, stdio: 'inherit' });
      if (build.status !== 0) throw new Error('npm run build failed');
    }
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'governor-bench-'));
  for (let attempt = 1; ; attempt++) {
    try {
      const before = countFiles(path.join(projectDir, 'dist'));
      cpSync(path.join(projectDir, 'dist'), path.join(dir, 'dist'), { recursive: true });
      const after = countFiles(path.join(projectDir, 'dist'));
      if (before === after && complete(dir) && countFiles(path.join(dir, 'dist')) === after) break;
      throw new Error('dist/ changed while it was copied');
    } catch (err) {
      if (attempt >= 10) throw new Error(`could not copy a stable dist/: ${err.message}`);
      rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
      await sleep(2000);
      if (!complete(projectDir)) await sleep(5000);
    }
  }
  symlinkSync(path.join(projectDir, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const builtAt = statSync(path.join(dir, API_ENTRY)).mtime.toISOString();
  return {
    dir,
    api: path.join(dir, API_ENTRY),
    cli: path.join(dir, CLI_ENTRY),
    builtAt,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
