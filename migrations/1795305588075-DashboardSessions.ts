import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions of the operator dashboard. The cookie holds a random session id; only its
 * sha256 is stored, so a database dump signs nobody in. A session opened with an API
 * key remembers the key and ends when the key is revoked; an admin session (no key)
 * may switch environments.
 */
export class DashboardSessions1795305588075 implements MigrationInterface {
  name = 'DashboardSessions1795305588075';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dashboard_sessions (
        id_hash         text PRIMARY KEY,
        environment_id  text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        api_key_id      text REFERENCES api_keys(id) ON DELETE CASCADE,
        is_admin        boolean NOT NULL,
        csrf_key        text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        expires_at      timestamptz NOT NULL,
        CHECK (is_admin OR api_key_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX dashboard_sessions_expires_idx ON dashboard_sessions (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dashboard_sessions`);
  }
}
