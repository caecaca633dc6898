import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The `public` role: keys that read only publishable items (issue 7). */
export class PublicRole1764460800000 implements MigrationInterface {
  name = 'PublicRole1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_key DROP CONSTRAINT api_key_role_check`);
    await q.query(`ALTER TABLE api_key ADD CONSTRAINT api_key_role_check CHECK (role IN ('public', 'viewer', 'editor', 'admin'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_key DROP CONSTRAINT api_key_role_check`);
    await q.query(`ALTER TABLE api_key ADD CONSTRAINT api_key_role_check CHECK (role IN ('viewer', 'editor', 'admin'))`);
  }
}
