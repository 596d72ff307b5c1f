import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sync engine's durable state: run history (also the work queue) and the
 * per-integration schedule. Everything a gateway process needs to pick up where
 * another one stopped lives here, never in memory.
 */
export class SyncRuns1795304887378 implements MigrationInterface {
  name = 'SyncRuns1795304887378';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sync_runs (
        id                  text PRIMARY KEY,
        integration_id      text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        type                text NOT NULL CHECK (type IN ('FULL', 'DELTA')),
        trigger             text NOT NULL,
        status              text NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'PARTIALLY_FAILED', 'AUTHENTICATION_FAILED', 'CANCELLED', 'TIMED_OUT')),
        attempt             integer NOT NULL DEFAULT 1,
        worker_id           text,
        since               timestamptz,
        counts              jsonb NOT NULL DEFAULT '{}',
        created             integer NOT NULL DEFAULT 0,
        updated             integer NOT NULL DEFAULT 0,
        deleted             integer NOT NULL DEFAULT 0,
        unchanged           integer NOT NULL DEFAULT 0,
        pages               integer NOT NULL DEFAULT 0,
        error               text,
        error_kind          text,
        cancel_requested_at timestamptz,
        queued_at           timestamptz NOT NULL DEFAULT now(),
        started_at          timestamptz,
        heartbeat_at        timestamptz,
        finished_at         timestamptz
      )`);
    // Kombo: "We only allow 1 concurrent sync to be running or queued."
    await q.query(`CREATE UNIQUE INDEX sync_runs_one_active_idx ON sync_runs (integration_id) WHERE status IN ('QUEUED', 'RUNNING')`);
    await q.query(`CREATE INDEX sync_runs_queue_idx ON sync_runs (queued_at) WHERE status = 'QUEUED'`);
    await q.query(`CREATE INDEX sync_runs_running_idx ON sync_runs (heartbeat_at) WHERE status = 'RUNNING'`);
    await q.query(`CREATE INDEX sync_runs_history_idx ON sync_runs (integration_id, queued_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE sync_schedules (
        integration_id        text PRIMARY KEY REFERENCES integrations(id) ON DELETE CASCADE,
        next_delta_at         timestamptz NOT NULL,
        next_full_at          timestamptz NOT NULL,
        -- Start of the last successful read: the next delta asks for changes since then.
        delta_watermark       timestamptz,
        consecutive_failures  integer NOT NULL DEFAULT 0,
        retry_at              timestamptz,
        retry_type            text,
        last_success_at       timestamptz,
        updated_at            timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sync_schedules`);
    await q.query(`DROP TABLE sync_runs`);
  }
}
