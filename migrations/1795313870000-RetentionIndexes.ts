import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the housekeeping job (src/housekeeping): each retention rule finds its
 * oldest rows by time across every integration, and sync_runs keeps the latest run and
 * the latest successful run of each type per integration, which it looks up per row.
 */
export class RetentionIndexes1795313870000 implements MigrationInterface {
  name = 'RetentionIndexes1795313870000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX sync_runs_finished_idx ON sync_runs (finished_at) WHERE finished_at IS NOT NULL`);
    await q.query(`CREATE INDEX sync_runs_latest_idx ON sync_runs (integration_id, type, finished_at, id) WHERE finished_at IS NOT NULL`);
    await q.query(`CREATE INDEX sync_runs_latest_success_idx ON sync_runs (integration_id, type, finished_at, id) WHERE status = 'SUCCEEDED'`);
    await q.query(`CREATE INDEX webhook_events_created_idx ON webhook_events (created_at)`);
    await q.query(`CREATE INDEX document_uploads_created_idx ON document_uploads (created_at)`);
    await q.query(`CREATE INDEX connect_links_expires_idx ON connect_links (expires_at)`);
    // Deleting a link deletes its activation tokens (ON DELETE CASCADE), which needs this.
    await q.query(`CREATE INDEX activation_tokens_link_idx ON activation_tokens (link_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const ix of [
      'activation_tokens_link_idx',
      'connect_links_expires_idx',
      'document_uploads_created_idx',
      'webhook_events_created_idx',
      'sync_runs_latest_success_idx',
      'sync_runs_latest_idx',
      'sync_runs_finished_idx',
    ]) {
      await q.query(`DROP INDEX ${ix}`);
    }
  }
}
