// What a build is made from, hashed: `npm run build` writes the hash to dist/ when it succeeds, and
// `npm start` builds again only when the hash of the sources differs (~20 ms for ~300 files, where a
// build takes 10–30 s on this machine). A content hash, not file times: a checkout that changes
// nothing costs nothing, and an edit made during a build is seen.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const BUILD_STAMP = 'dist/.build-sources.sha256';

/** Folders compiled into dist/ (apps/*\/tsconfig.app.json), and the files that shape the build. */
const INPUT_DIRS = ['apps', 'libs', 'migrations', 'seeds'];
const INPUT_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'nest-cli.json', 'scripts/build.mjs'];

function filesUnder(root, dir, out) {
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) filesUnder(root, rel, out);
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

export function sourcesHash(project) {
  const files = [...INPUT_DIRS.flatMap((d) => filesUnder(project, d, [])), ...INPUT_FILES.filter((f) => existsSync(path.join(project, f)))].sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(path.join(project, file))).update('\0');
  return hash.digest('hex');
}

/** Is dist/ the build of the sources as they are now? */
export function buildIsCurrent(project) {
  const stamp = path.join(project, BUILD_STAMP);
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === sourcesHash(project);
}
