import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface RateWindow {
  /** Sends allowed per window (the connector's `uploadRate`, which keeps a margin below the HRIS's limit). */
  perWindow: number;
  windowMs: number;
}

export type SlotGrant = { granted: true; waitMs: number } | { granted: false; retryAfterMs: number };

/**
 * The per-integration upload queue, shared by every gateway process through
 * Postgres. Each send reserves a time slot in document_upload_slots under an
 * advisory lock: slots are handed out in non-decreasing time order, and a new
 * slot is never earlier than the one `perWindow` places back plus the window,
 * so no window of `windowMs` ever holds more than `perWindow` sends, however
 * many replicas upload for the integration. The wait is computed by the
 * database's clock, so replicas with skewed clocks still agree. A caller whose
 * slot would come later than it can wait gets no slot (and nothing is booked).
 * A connector's own per-process limiter may stay in front of the socket as a
 * second line (Personio's client does); its internal retries of 429/503 are the only sends
 * this table does not book (see docs/documents.md).
 */
@Injectable()
export class UploadRateGate {
  constructor(private readonly ds: DataSource) {}

  async reserve(integrationId: string, window: RateWindow, maxWaitMs: number): Promise<SlotGrant> {
    return this.ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`document_upload_slots:${integrationId}`]);
      await em.query(`DELETE FROM document_upload_slots WHERE integration_id = $1 AND slot_at < clock_timestamp() - make_interval(secs => $2)`, [
        integrationId,
        (2 * window.windowMs) / 1000,
      ]);
      // One statement computes and books the slot, so the stored time is exactly the computed one.
      const rows: Array<{ wait_ms: number; booked: number }> = await em.query(
        `WITH nth AS (
           SELECT slot_at FROM document_upload_slots WHERE integration_id = $1 ORDER BY slot_at DESC OFFSET $2 LIMIT 1
         ), latest AS (
           SELECT max(slot_at) AS slot_at FROM document_upload_slots WHERE integration_id = $1
         ), candidate AS (
           SELECT greatest(clock_timestamp(), (SELECT slot_at FROM latest), (SELECT slot_at FROM nth) + make_interval(secs => $3)) AS slot_at
         ), booked AS (
           INSERT INTO document_upload_slots (integration_id, slot_at)
           SELECT $1, slot_at FROM candidate WHERE slot_at <= clock_timestamp() + make_interval(secs => $4)
           RETURNING slot_at
         )
         SELECT (extract(epoch FROM c.slot_at - clock_timestamp()) * 1000)::float8 AS wait_ms, (SELECT count(*) FROM booked)::int AS booked
           FROM candidate c`,
        [integrationId, window.perWindow - 1, window.windowMs / 1000, maxWaitMs / 1000],
      );
      const waitMs = Math.max(0, Number(rows[0].wait_ms));
      if (Number(rows[0].booked) === 0) return { granted: false, retryAfterMs: waitMs };
      return { granted: true, waitMs };
    });
  }
}
