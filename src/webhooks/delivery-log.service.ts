import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CursorScope, PAGE_CURSORS, PageCursors, timestampKeySql } from '../common/cursor';
import { notFound } from '../common/errors';
import { notifyOnCommit } from '../database/wake';
import { rowsOf } from '../database/rows';

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface EventFilters {
  type?: string;
  status?: DeliveryStatus;
  integration_id?: string;
  endpoint_id?: string;
  since?: string;
  until?: string;
  cursor?: string;
  page_size?: number;
}

/** An event with its deliveries (status per endpoint); attempts only in the single-event view. */
const EVENT_WITH_DELIVERIES = `
  SELECT e.id, e.type, e.integration_id, e.data, e.created_at, ${timestampKeySql('e.created_at')} AS created_key,
         coalesce((SELECT json_agg(json_build_object(
                     'id', d.id::text, 'endpoint_id', d.endpoint_id, 'status', d.status, 'attempts', d.attempts,
                     'next_attempt_at', CASE WHEN d.status = 'pending' THEN d.next_attempt_at END,
                     'last_status_code', d.last_status_code, 'last_error', d.last_error,
                     'first_attempt_at', d.first_attempt_at, 'completed_at', d.completed_at) ORDER BY d.id)
                     FROM webhook_deliveries d WHERE d.event_id = e.id), '[]'::json) AS deliveries
    FROM webhook_events e`;

function eventView(r: Record<string, unknown>) {
  return {
    id: r.id as string,
    type: r.type as string,
    integration_id: (r.integration_id as string | null) ?? null,
    created_at: new Date(r.created_at as string).toISOString(),
    data: r.data,
    deliveries: r.deliveries as Record<string, unknown>[],
  };
}

/** The delivery log: events newest first with each endpoint's delivery state, and redelivery. */
@Injectable()
export class DeliveryLogService {
  constructor(
    private readonly ds: DataSource,
    @Inject(PAGE_CURSORS) private readonly cursors: PageCursors,
  ) {}

  async list(environmentId: string, f: EventFilters): Promise<{ next: string | null; results: ReturnType<typeof eventView>[] }> {
    const where = ['e.environment_id = $1'];
    const params: unknown[] = [environmentId];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.type) add('e.type = ?', f.type);
    if (f.integration_id) add('e.integration_id = ?', f.integration_id);
    if (f.since) add('e.created_at >= ?', f.since);
    if (f.until) add('e.created_at < ?', f.until);
    if (f.status && f.endpoint_id) {
      params.push(f.status, f.endpoint_id);
      where.push(
        `EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.status = $${params.length - 1} AND d.endpoint_id = $${params.length})`,
      );
    } else if (f.status) add('EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.status = ?)', f.status);
    else if (f.endpoint_id) add('EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.endpoint_id = ?)', f.endpoint_id);
    const scope: CursorScope = { list: 'webhook-events', owner: environmentId, filters: { ...f } };
    if (f.cursor) {
      const [at, id] = this.cursors.decode(scope, f.cursor, 2);
      params.push(at, id);
      where.push(`(e.created_at, e.id) < ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    const size = f.page_size ?? 100;
    params.push(size + 1);
    const rows: Record<string, unknown>[] = await this.ds.query(
      `${EVENT_WITH_DELIVERIES} WHERE ${where.join(' AND ')} ORDER BY e.created_at DESC, e.id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, size).map(eventView);
    const last = rows.length > size ? (rows[size - 1] as { created_key: string; id: string }) : null;
    const next = last ? this.cursors.encode(scope, [last.created_key, last.id]) : null;
    return { next, results: page };
  }

  async get(environmentId: string, id: string) {
    const rows: Record<string, unknown>[] = await this.ds.query(`${EVENT_WITH_DELIVERIES} WHERE e.environment_id = $1 AND e.id = $2`, [environmentId, id]);
    if (!rows.length) throw eventNotFound(id);
    const attempts: Record<string, unknown>[] = await this.ds.query(
      `SELECT a.delivery_id::text AS delivery_id, d.endpoint_id, a.attempt, a.started_at, a.status_code, a.latency_ms, a.error, a.outcome
         FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
        WHERE d.event_id = $1 ORDER BY a.started_at, a.attempt`,
      [id],
    );
    return {
      ...eventView(rows[0]),
      attempts: attempts.map((a) => ({ ...a, started_at: new Date(a.started_at as string).toISOString() })),
    };
  }

  /**
   * Sends the event again to every endpoint it went to, and to endpoints created since
   * that subscribe to it. Each delivery starts a fresh retry window; the event id stays.
   */
  async redeliver(environmentId: string, id: string): Promise<{ event_id: string; deliveries: number }> {
    const ev: { type: string }[] = await this.ds.query(`SELECT type FROM webhook_events WHERE environment_id = $1 AND id = $2`, [environmentId, id]);
    if (!ev.length) throw eventNotFound(id);
    const rows = rowsOf(
      await this.ds
        .query(
          `INSERT INTO webhook_deliveries (event_id, endpoint_id)
         SELECT $2, ep.id FROM webhook_endpoints ep
          WHERE ep.environment_id = $1 AND ep.enabled
            AND (EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = $2 AND d.endpoint_id = ep.id)
                 OR CASE WHEN $3 LIKE 'hris.%' THEN ep.record_events ELSE cardinality(ep.events) = 0 OR $3 = ANY(ep.events) END)
         ON CONFLICT (event_id, endpoint_id) DO UPDATE
           SET status = 'pending', next_attempt_at = clock_timestamp(), claimed_by = NULL, claimed_until = NULL,
               first_attempt_at = NULL, completed_at = NULL
         RETURNING id`,
          [environmentId, id, ev[0].type],
        )
        .catch((e: { code?: string }) => {
          // Housekeeping pruned the event between the lookup and the insert.
          throw e.code === '23503' ? eventNotFound(id) : e;
        }),
    );
    if (rows.length) await notifyOnCommit(this.ds.manager, 'hgw_webhook_deliveries');
    return { event_id: id, deliveries: rows.length };
  }

  /** Every failed delivery of events created at or after `since` goes back to pending. */
  async redeliverFailed(environmentId: string, since: string, endpointId?: string): Promise<{ deliveries: number }> {
    const rows = rowsOf(
      await this.ds.query(
        `UPDATE webhook_deliveries d
            SET status = 'pending', next_attempt_at = clock_timestamp(), claimed_by = NULL, claimed_until = NULL,
                first_attempt_at = NULL, completed_at = NULL
           FROM webhook_events e
          WHERE e.id = d.event_id AND e.environment_id = $1 AND e.created_at >= $2 AND d.status = 'failed'
            AND ($3::text IS NULL OR d.endpoint_id = $3)
          RETURNING d.id`,
        [environmentId, since, endpointId ?? null],
      ),
    );
    if (rows.length) await notifyOnCommit(this.ds.manager, 'hgw_webhook_deliveries');
    return { deliveries: rows.length };
  }
}

export const eventNotFound = (id: string) => notFound(`No webhook event with the ID "${id}" exists in this environment.`);
