import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The HRIS account's UTC offset as the last read showed it (UnifiedBatch.utc_offset_minutes):
 * the calendar pass (src/sync/calendar.ts) re-derives statuses on the company's calendar day,
 * also in a delta run that read nothing.
 */
export class SyncScheduleUtcOffset1795320000001 implements MigrationInterface {
  name = 'SyncScheduleUtcOffset1795320000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sync_schedules ADD COLUMN utc_offset_minutes integer`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sync_schedules DROP COLUMN utc_offset_minutes`);
  }
}
