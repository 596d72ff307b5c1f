import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The page memo of full reads (src/sync/page-memos.ts): per integration, what the connector
 * derived from each page body it read (ids, source fingerprints), keyed by a digest of the
 * body, so a page that arrives byte for byte as before is not parsed again. Derived data only:
 * losing it costs one read the work it saves; it goes with its integration.
 */
export class SyncPageMemos1795360000300 implements MigrationInterface {
  name = 'SyncPageMemos1795360000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE sync_page_memos (
      integration_id text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
      digest         text NOT NULL,
      summary        text NOT NULL,
      PRIMARY KEY (integration_id, digest)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sync_page_memos`);
  }
}
