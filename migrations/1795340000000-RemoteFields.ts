import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every field the HRIS sent for an employee or employment, flat (`key` → plain value), so
 * custom fields, integration fields and list filters read it instead of a tool's raw payload.
 * Rows synced before come with their fields derived here from the only raw shape stored so
 * far, Personio's (`remote_data->'/company/employees'->'attributes'->key->'value'`); the
 * next sync writes the connector's own remote_fields. The content hash does not cover the
 * column (remote_data does), so the backfill makes no stored row look changed.
 */
export class RemoteFields1795340000000 implements MigrationInterface {
  name = 'RemoteFields1795340000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['hris_employees', 'hris_employments']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN remote_fields jsonb NOT NULL DEFAULT '{}'::jsonb`);
      await q.query(`
        UPDATE ${table} SET remote_fields = (
          SELECT coalesce(jsonb_object_agg(a.key, CASE WHEN jsonb_typeof(a.value) = 'object' AND a.value ? 'value' THEN a.value->'value' ELSE a.value END), '{}'::jsonb)
            FROM jsonb_each(remote_data->'/company/employees'->'attributes') a)
         WHERE jsonb_typeof(remote_data->'/company/employees'->'attributes') = 'object'`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['hris_employees', 'hris_employments']) await q.query(`ALTER TABLE ${table} DROP COLUMN remote_fields`);
  }
}
