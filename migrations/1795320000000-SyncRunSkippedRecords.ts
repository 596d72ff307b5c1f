import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Records a sync left out because Postgres refused their content (src/sync/store.ts), listed
 * with the run: `[{model, remote_id, reason}]`. Such a run ends PARTIALLY_FAILED.
 */
export class SyncRunSkippedRecords1795320000000 implements MigrationInterface {
  name = 'SyncRunSkippedRecords1795320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sync_runs ADD COLUMN skipped jsonb NOT NULL DEFAULT '[]'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sync_runs DROP COLUMN skipped`);
  }
}
