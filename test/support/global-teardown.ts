import { rmSync } from 'node:fs';
import pg from 'pg';

/** Removes the template global-setup.ts made (Jest loads these two files on their own: no shared import). */
export default async function globalTeardown(): Promise<void> {
  if (process.env.GT_TEMPLATE_DATA_DIR) rmSync(process.env.GT_TEMPLATE_DATA_DIR, { recursive: true, force: true });
  const template = process.env.GT_TEMPLATE_DATABASE;
  if (template) {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}
