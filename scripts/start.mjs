// `npm start`: build when the sources changed since the last build (scripts/build-inputs.mjs), then run the API.
import { spawnSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIsCurrent } from './build-inputs.mjs';
import { serverProcessEnv } from './server-node-options.mjs';

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!buildIsCurrent(PROJECT)) {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: PROJECT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const child = spawn(process.execPath, [path.join(PROJECT, 'dist/apps/api/src/main.js')], {
  stdio: 'inherit',
  env: serverProcessEnv(),
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
