// `npm run build`: compile (nest build), make the embedded database's template data dir
// (dist/embedded-template, so that a first `npm start` copies a migrated cluster instead of running
// initdb), then stamp dist/ with the hash of the sources it was built from: `npm start` skips a build
// that would change nothing (scripts/build-inputs.mjs).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUILD_STAMP, sourcesHash } from './build-inputs.mjs';

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Hashed before compiling: a source edited during the build leaves a stamp that no longer matches.
const hash = sourcesHash(PROJECT);
const compile = spawnSync('npx', ['nest', 'build', 'api'], { cwd: PROJECT, stdio: 'inherit' });
if (compile.status !== 0) process.exit(compile.status ?? 1);
const { makeEmbeddedTemplate } = await import(pathToFileURL(path.join(PROJECT, 'dist/libs/database/src/embedded-template.js')).href);
await makeEmbeddedTemplate(path.join(PROJECT, 'node_modules/.cache/governor-tracker'));
writeFileSync(path.join(PROJECT, BUILD_STAMP), `${hash}\n`);
