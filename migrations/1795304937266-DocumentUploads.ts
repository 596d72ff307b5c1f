import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Document write-back: one row per upload request (the log and the idempotency
 * record; never the file content), and the per-integration send slots that keep
 * uploads under the HRIS's rate limit across every gateway process.
 */
export class DocumentUploads1795304937266 implements MigrationInterface {
  name = 'DocumentUploads1795304937266';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE document_uploads (
        id                  text PRIMARY KEY,
        integration_id      text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        employee_id         text NOT NULL,
        employee_remote_id  text,
        category_id         text NOT NULL,
        category_remote_id  text,
        file_name           text NOT NULL,
        content_type        text,
        title               text,
        document_date       date,
        source              text NOT NULL CHECK (source IN ('data', 'data_url')),
        size_bytes          bigint,
        sha256              text,
        idempotency_key     text,
        request_hash        text NOT NULL,
        status              text NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
        remote_id           text,
        error_code          text,
        error_message       text,
        retriable           boolean NOT NULL DEFAULT false,
        attempts            integer NOT NULL DEFAULT 0,
        lease_expires_at    timestamptz,
        -- Millisecond precision so a page cursor (a JS Date) matches the stored value exactly.
        created_at          timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        completed_at        timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX document_uploads_key_idx ON document_uploads (integration_id, idempotency_key) WHERE idempotency_key IS NOT NULL`);
    await q.query(`CREATE INDEX document_uploads_list_idx ON document_uploads (integration_id, created_at, id)`);
    await q.query(`
      CREATE TABLE document_upload_slots (
        integration_id text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        slot_at        timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX document_upload_slots_idx ON document_upload_slots (integration_id, slot_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE document_upload_slots`);
    await q.query(`DROP TABLE document_uploads`);
  }
}
