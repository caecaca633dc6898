// `npm start`: build (the TypeScript compile is incremental enough at ~10 s), then run the API.
import { spawnSync, spawn } from 'node:child_process';
import { serverProcessEnv } from './server-node-options.mjs';

const build = spawnSync('npx', ['nest', 'build', 'api'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const child = spawn(process.execPath, ['dist/apps/api/src/main.js'], {
  stdio: 'inherit',
  env: serverProcessEnv(),
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
