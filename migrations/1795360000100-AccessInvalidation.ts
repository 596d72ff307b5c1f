import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A NOTIFY on `hgw_access` whenever an API key, an integration or an environment changes
 * or goes, sent at commit whoever writes (a replica, the CLI, psql): every process then
 * drops its cached keys and integrations (src/auth/access-cache.ts). Recording a key's use
 * (last_used_at) does not notify.
 */
export class AccessInvalidation1795360000100 implements MigrationInterface {
  name = 'AccessInvalidation1795360000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION hgw_notify_access() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('hgw_access', '');
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER api_keys_access AFTER UPDATE OF revoked_at, key_hash, environment_id OR DELETE ON api_keys
      FOR EACH STATEMENT EXECUTE FUNCTION hgw_notify_access()`);
    await q.query(`CREATE TRIGGER integrations_access AFTER UPDATE OR DELETE ON integrations FOR EACH STATEMENT EXECUTE FUNCTION hgw_notify_access()`);
    await q.query(`CREATE TRIGGER environments_access AFTER UPDATE OR DELETE ON environments FOR EACH STATEMENT EXECUTE FUNCTION hgw_notify_access()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER environments_access ON environments`);
    await q.query(`DROP TRIGGER integrations_access ON integrations`);
    await q.query(`DROP TRIGGER api_keys_access ON api_keys`);
    await q.query(`DROP FUNCTION hgw_notify_access()`);
  }
}
