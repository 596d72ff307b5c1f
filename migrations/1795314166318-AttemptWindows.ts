import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fixed-window attempt counters shared by every gateway process (src/common/attempt-windows.ts):
 * "Test connection" per connect link, and failed dashboard sign-ins per client address and for
 * the admin password. The connect_links.attempt_window_start / attempt_count columns are no
 * longer written; they stay so the previous release keeps working during a rolling upgrade.
 */
export class AttemptWindows1795314166318 implements MigrationInterface {
  name = 'AttemptWindows1795314166318';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE attempt_windows (
        key         text PRIMARY KEY,
        count       integer NOT NULL,
        window_end  timestamptz NOT NULL
      )`);
    // The housekeeping job deletes windows that have ended.
    await q.query(`CREATE INDEX attempt_windows_end_idx ON attempt_windows (window_end)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE attempt_windows`);
  }
}
