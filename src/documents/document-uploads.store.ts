import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { randomId } from '../common/ids';
import { rowsOf } from '../database/rows';

export type UploadStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

/** One row of document_uploads, as the API lists it (no file content is ever stored). */
export interface UploadRecord {
  id: string;
  integration_id: string;
  employee_id: string;
  employee_remote_id: string | null;
  category_id: string;
  category_remote_id: string | null;
  file_name: string;
  content_type: string | null;
  title: string | null;
  document_date: string | null;
  source: 'data' | 'data_url';
  size_bytes: number | null;
  sha256: string | null;
  idempotency_key: string | null;
  request_hash: string;
  status: UploadStatus;
  remote_id: string | null;
  error_code: string | null;
  error_message: string | null;
  retriable: boolean;
  attempts: number;
  lease_expires_at: Date | null;
  created_at: Date;
  completed_at: Date | null;
}

export type NewUpload = Pick<
  UploadRecord,
  | 'integration_id'
  | 'employee_id'
  | 'employee_remote_id'
  | 'category_id'
  | 'category_remote_id'
  | 'file_name'
  | 'title'
  | 'document_date'
  | 'source'
  | 'idempotency_key'
  | 'request_hash'
>;

export interface UploadOutcome {
  status: 'SUCCEEDED' | 'FAILED';
  remote_id?: string | null;
  error_code?: string | null;
  error_message?: string | null;
  retriable?: boolean;
}

const COLUMNS = `id, integration_id, employee_id, employee_remote_id, category_id, category_remote_id, file_name, content_type, title,
  to_char(document_date, 'YYYY-MM-DD') AS document_date, source, size_bytes::float8 AS size_bytes, sha256, idempotency_key, request_hash,
  status, remote_id, error_code, error_message, retriable, attempts, lease_expires_at, created_at, completed_at`;

/** SQL for document_uploads: the upload log and the idempotency records. */
@Injectable()
export class DocumentUploadsStore {
  constructor(private readonly ds: DataSource) {}

  /** Inserts a PENDING upload; null when the idempotency key is already taken in this integration. */
  async insert(u: NewUpload, leaseMs: number): Promise<UploadRecord | null> {
    const rows: UploadRecord[] = await this.ds.query(
      `INSERT INTO document_uploads (id, integration_id, employee_id, employee_remote_id, category_id, category_remote_id, file_name, title,
         document_date, source, idempotency_key, request_hash, status, attempts, lease_expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::date, $10, $11, $12, 'PENDING', 0, clock_timestamp() + make_interval(secs => $13))
       ON CONFLICT (integration_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        randomId(),
        u.integration_id,
        u.employee_id,
        u.employee_remote_id,
        u.category_id,
        u.category_remote_id,
        u.file_name,
        u.title,
        u.document_date,
        u.source,
        u.idempotency_key,
        u.request_hash,
        leaseMs / 1000,
      ],
    );
    return rows[0] ?? null;
  }

  async findByKey(integrationId: string, key: string): Promise<UploadRecord | null> {
    const rows: UploadRecord[] = await this.ds.query(`SELECT ${COLUMNS} FROM document_uploads WHERE integration_id = $1 AND idempotency_key = $2`, [
      integrationId,
      key,
    ]);
    return rows[0] ?? null;
  }

  async findById(integrationId: string, id: string): Promise<UploadRecord | null> {
    const rows: UploadRecord[] = await this.ds.query(`SELECT ${COLUMNS} FROM document_uploads WHERE integration_id = $1 AND id = $2`, [integrationId, id]);
    return rows[0] ?? null;
  }

  /** Gives an expired key back (older than `ttlMs`), so it can start a new upload. */
  async releaseExpiredKey(id: string, ttlMs: number): Promise<boolean> {
    const rows = rowsOf(
      await this.ds.query(
        `UPDATE document_uploads SET idempotency_key = NULL, updated_at = now()
        WHERE id = $1 AND status <> 'PENDING' AND created_at < clock_timestamp() - make_interval(secs => $2) RETURNING id`,
        [id, ttlMs / 1000],
      ),
    );
    return rows.length > 0;
  }

  /**
   * Takes an upload over for another attempt: a FAILED one marked retriable, or a
   * PENDING one whose lease ran out (its process died) before it sent anything
   * (`attempts = 0`, e.g. it died fetching the file). Exactly one caller wins.
   * An abandoned upload that did send may be in the HRIS already: see abandonUnknown.
   */
  async takeOver(id: string, leaseMs: number): Promise<UploadRecord | null> {
    const rows = rowsOf<UploadRecord>(
      await this.ds.query(
        `UPDATE document_uploads
          SET status = 'PENDING', lease_expires_at = clock_timestamp() + make_interval(secs => $2), updated_at = now(),
              error_code = NULL, error_message = NULL, completed_at = NULL
        WHERE id = $1 AND ((status = 'FAILED' AND retriable) OR (status = 'PENDING' AND lease_expires_at < clock_timestamp() AND attempts = 0))
        RETURNING ${COLUMNS}`,
        [id, leaseMs / 1000],
      ),
    );
    return rows[0] ?? null;
  }

  /**
   * Ends an abandoned upload (PENDING, lease run out) that had started sending
   * (`attempts > 0`): its outcome is unknown, so it becomes FAILED and not
   * retriable, never sent again. null when it is not such an upload (any more).
   */
  async abandonUnknown(id: string, error: { code: string; message: string }): Promise<UploadRecord | null> {
    const rows = rowsOf<UploadRecord>(
      await this.ds.query(
        `UPDATE document_uploads
          SET status = 'FAILED', error_code = $2, error_message = $3, retriable = false,
              lease_expires_at = NULL, completed_at = clock_timestamp(), updated_at = now()
        WHERE id = $1 AND status = 'PENDING' AND lease_expires_at < clock_timestamp() AND attempts > 0
        RETURNING ${COLUMNS}`,
        [id, error.code, error.message],
      ),
    );
    return rows[0] ?? null;
  }

  async recordFile(id: string, f: { size: number; sha256: string; contentType: string }): Promise<void> {
    await this.ds.query(`UPDATE document_uploads SET size_bytes = $2, sha256 = $3, content_type = $4, updated_at = now() WHERE id = $1`, [
      id,
      f.size,
      f.sha256,
      f.contentType,
    ]);
  }

  async recordAttempt(id: string): Promise<void> {
    await this.ds.query(`UPDATE document_uploads SET attempts = attempts + 1, updated_at = now() WHERE id = $1`, [id]);
  }

  async complete(id: string, o: UploadOutcome): Promise<UploadRecord> {
    const rows = rowsOf<UploadRecord>(
      await this.ds.query(
        `UPDATE document_uploads SET status = $2, remote_id = $3, error_code = $4, error_message = $5, retriable = $6,
              lease_expires_at = NULL, completed_at = clock_timestamp(), updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, o.status, o.remote_id ?? null, o.error_code ?? null, o.error_message ?? null, o.retriable ?? false],
      ),
    );
    return rows[0];
  }

  /** Newest first is what an operator wants; ids are random, so pages walk (created_at, id) backwards. */
  async list(
    integrationId: string,
    f: { employeeId?: string; status?: string; key?: string; after?: { at: string; id: string }; limit: number },
  ): Promise<UploadRecord[]> {
    const where = ['integration_id = $1'];
    const params: unknown[] = [integrationId];
    const add = (sql: string, v: unknown) => (params.push(v), where.push(sql.replace('?', `$${params.length}`)));
    if (f.employeeId) add('employee_id = ?', f.employeeId);
    if (f.status) add('status = ?', f.status);
    if (f.key) add('idempotency_key = ?', f.key);
    if (f.after) {
      params.push(f.after.at, f.after.id);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    params.push(f.limit);
    return this.ds.query(
      `SELECT ${COLUMNS} FROM document_uploads WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
  }
}
