import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDataSource } from './data-source.js';
import { EMBEDDED_POOL_MAX, EMBEDDED_TEMPLATE_DIR, embeddedTemplateKey, startEmbeddedPostgres } from './embedded-postgres.js';
import { withoutPreparedStatements } from './prepared.js';

const TEMPLATE_PREFIX = 'embedded-template-';

/**
 * Make the embedded database's template (run by `npm run build`, scripts/build.mjs): a PGlite cluster
 * with every migration applied and nothing else (no seeds, no keys: each DATA_DIR seeds itself and
 * makes its own admin key at its first start), closed cleanly. It is kept in `cacheDir` under its key
 * (PGlite's version and the migrations), so a build that changes neither reuses it (initdb costs
 * 7–20 s here), and copied to dist/embedded-template, where the app looks for it.
 */
export async function makeEmbeddedTemplate(cacheDir: string): Promise<void> {
  const key = embeddedTemplateKey();
  const cached = join(cacheDir, `${TEMPLATE_PREFIX}${key}`);
  if (!existsSync(join(cached, 'pgdata', 'PG_VERSION'))) {
    mkdirSync(cacheDir, { recursive: true });
    const work = mkdtempSync(join(cacheDir, 'making-'));
    try {
      const embedded = await startEmbeddedPostgres(work, { template: null });
      try {
        const dataSource = createDataSource(embedded.url, { poolMax: EMBEDDED_POOL_MAX, connectionTimeoutMs: 30_000, statementTimeoutMs: 600_000 });
        withoutPreparedStatements(dataSource);
        await dataSource.initialize();
        try {
          await dataSource.runMigrations({ transaction: 'each' });
        } finally {
          await dataSource.destroy();
        }
      } finally {
        await embedded.stop();
      }
      writeFileSync(join(work, 'key'), `${key}\n`);
      rmSync(join(work, 'lock'), { force: true });
      try {
        renameSync(work, cached);
      } catch (err) {
        // Another build made the same template meanwhile: keep theirs.
        if (!existsSync(join(cached, 'pgdata', 'PG_VERSION'))) throw err;
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    for (const old of readdirSync(cacheDir)) {
      if (old.startsWith(TEMPLATE_PREFIX) && old !== `${TEMPLATE_PREFIX}${key}`) rmSync(join(cacheDir, old), { recursive: true, force: true });
    }
  }
  rmSync(EMBEDDED_TEMPLATE_DIR, { recursive: true, force: true });
  cpSync(cached, EMBEDDED_TEMPLATE_DIR, { recursive: true });
}
