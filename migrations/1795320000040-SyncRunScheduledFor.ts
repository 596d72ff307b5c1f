import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The time a scheduled run was due (its lag is started_at minus this), and an index on
 * each schedule's next due time: the scheduler sleeps until the earliest one instead of
 * scanning every schedule on a fixed tick.
 */
export class SyncRunScheduledFor1795320000040 implements MigrationInterface {
  name = 'SyncRunScheduledFor1795320000040';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sync_runs ADD COLUMN scheduled_for timestamptz`);
    await q.query(
      `CREATE INDEX sync_schedules_due_idx ON sync_schedules ((CASE WHEN retry_at IS NOT NULL THEN retry_at ELSE LEAST(next_delta_at, next_full_at) END))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX sync_schedules_due_idx`);
    await q.query(`ALTER TABLE sync_runs DROP COLUMN scheduled_for`);
  }
}
