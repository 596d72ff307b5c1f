import { MigrationInterface, QueryRunner } from 'typeorm';

const COLUMNS: Record<string, string[]> = {
  hris_employees: ['data', 'remote_data', 'remote_fields'],
  hris_employments: ['data', 'remote_data', 'remote_fields'],
  hris_groups: ['data', 'remote_data'],
  hris_legal_entities: ['data', 'remote_data'],
  hris_locations: ['data', 'remote_data'],
  hris_document_categories: ['data', 'remote_data'],
};

/**
 * The unified records' JSON is compressed with lz4 instead of pglz where the server has it.
 * A synced employee is ~10 KB of JSON; with pglz, compressing it was most of what Postgres
 * spent storing a page (1,000 employee rows: 257–412 ms with pglz, 121–178 ms with lz4,
 * 113–153 ms uncompressed; lz4 takes 15 % more space than pglz, half of uncompressed).
 * Only new values are written with lz4; stored ones stay readable as they are. A server
 * built without lz4 (or before Postgres 14) keeps pglz.
 */
export class UnifiedJsonLz41795360000001 implements MigrationInterface {
  name = 'UnifiedJsonLz41795360000001';

  async up(q: QueryRunner): Promise<void> {
    if (!(await hasLz4(q))) return;
    for (const [table, columns] of Object.entries(COLUMNS))
      await q.query(`ALTER TABLE ${table} ${columns.map((c) => `ALTER COLUMN ${c} SET COMPRESSION lz4`).join(', ')}`);
  }

  async down(q: QueryRunner): Promise<void> {
    if (!(await hasLz4(q))) return;
    for (const [table, columns] of Object.entries(COLUMNS))
      await q.query(`ALTER TABLE ${table} ${columns.map((c) => `ALTER COLUMN ${c} SET COMPRESSION default`).join(', ')}`);
  }
}

export async function hasLz4(q: QueryRunner): Promise<boolean> {
  const rows: Array<{ lz4: boolean }> = await q.query(`SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`);
  return rows[0]?.lz4 === true;
}
