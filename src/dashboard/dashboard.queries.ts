// Read-only SQL the dashboard needs and no owning module offers: the integrations
// overview joins integrations, sync_schedules and sync_runs, with the employee count
// from the records module. Runs, webhook events and environments come from their owners' services.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { timestampKeySql } from '../common/cursor';
import { liveEmployeeCountSql } from '../records/queries';

export interface IntegrationOverview {
  id: string;
  tool: string;
  status: 'ACTIVE' | 'INVALID' | 'INACTIVE';
  setup_status: string;
  status_reason: string | null;
  organization: string;
  email: string | null;
  origin_id: string | null;
  created_at: Date;
  /** created_at as a page cursor carries it (timestampKeySql). */
  created_key: string;
  last_success_at: Date | null;
  /** null while paused (INACTIVE/INVALID) or not yet scheduled. */
  next_sync_at: Date | null;
  next_sync_type: 'FULL' | 'DELTA' | null;
  employees: number;
  /** Status of a queued or running run, if any. */
  active_run: 'QUEUED' | 'RUNNING' | null;
  last_run_status: string | null;
  last_run_error: string | null;
  /** Change-notification subscription at the HRIS (null: none); its reason when not ACTIVE. */
  realtime_status: string | null;
  realtime_reason: string | null;
}

export interface RunPoint {
  finished_at: Date;
  duration_seconds: number;
  records: number;
  status: string;
}

@Injectable()
export class DashboardQueries {
  constructor(private readonly ds: DataSource) {}

  /**
   * A page of the environment's integrations (the overview), newest first; `after` is the last
   * one shown (its `created_key` and id). Only the page's integrations are joined and counted:
   * an environment of thousands costs a page, not all of them.
   */
  integrations(environmentId: string, after: { createdKey: string; id: string } | null, limit: number): Promise<IntegrationOverview[]> {
    return after
      ? this.overview(
          'AND (i.created_at < $2::timestamptz OR (i.created_at = $2::timestamptz AND i.id > $3))',
          [environmentId, after.createdKey, after.id],
          limit,
        )
      : this.overview('', [environmentId], limit);
  }

  /** One integration of the environment (its runs and delete pages), without reading the others. */
  async integration(environmentId: string, id: string): Promise<IntegrationOverview | null> {
    return (await this.overview('AND i.id = $2', [environmentId, id], 1))[0] ?? null;
  }

  private async overview(andWhere: string, params: string[], limit: number): Promise<IntegrationOverview[]> {
    const order = 'ORDER BY i.created_at DESC, i.id';
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT i.id, i.tool, i.status, i.setup_status, i.status_reason, i.end_user_organization_name AS organization,
              ${timestampKeySql('i.created_at')} AS created_key,
              i.end_user_email AS email, i.end_user_origin_id AS origin_id, i.created_at, s.last_success_at,
              CASE WHEN i.status <> 'ACTIVE' OR s.integration_id IS NULL THEN NULL
                   WHEN s.retry_at IS NOT NULL THEN s.retry_at
                   ELSE LEAST(s.next_delta_at, s.next_full_at) END AS next_sync_at,
              CASE WHEN i.status <> 'ACTIVE' OR s.integration_id IS NULL THEN NULL
                   WHEN s.retry_at IS NOT NULL THEN COALESCE(s.retry_type, 'FULL')
                   WHEN s.next_full_at <= s.next_delta_at OR s.delta_watermark IS NULL THEN 'FULL' ELSE 'DELTA' END AS next_sync_type,
              ${liveEmployeeCountSql('i.id')} AS employees,
              (SELECT r.status FROM sync_runs r WHERE r.integration_id = i.id AND r.status IN ('QUEUED', 'RUNNING') LIMIT 1) AS active_run,
              last.status AS last_run_status, last.error AS last_run_error,
              b.status AS realtime_status, b.status_reason AS realtime_reason
         FROM (SELECT * FROM integrations i WHERE i.environment_id = $1 ${andWhere} ${order} LIMIT ${Number(limit)}) i
         LEFT JOIN sync_schedules s ON s.integration_id = i.id
         LEFT JOIN inbound_subscriptions b ON b.integration_id = i.id
         LEFT JOIN LATERAL (SELECT r.status, r.error FROM sync_runs r
                             WHERE r.integration_id = i.id AND r.finished_at IS NOT NULL
                             ORDER BY r.finished_at DESC LIMIT 1) last ON true
        ${order}`,
      params,
    );
    return rows as unknown as IntegrationOverview[];
  }

  /** Finished runs of the last 30 days, oldest first, for the chart (at most 200 points). */
  async runSeries(integrationId: string): Promise<RunPoint[]> {
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT * FROM (
         SELECT finished_at, EXTRACT(EPOCH FROM (finished_at - started_at))::float8 AS duration_seconds,
                (created + updated + deleted)::int AS records, status
           FROM sync_runs
          WHERE integration_id = $1 AND started_at IS NOT NULL AND finished_at IS NOT NULL
            AND finished_at > now() - interval '30 days'
          ORDER BY finished_at DESC LIMIT 200) recent
        ORDER BY finished_at`,
      [integrationId],
    );
    return rows.map((r) => ({
      finished_at: new Date(r.finished_at as string),
      duration_seconds: Number(r.duration_seconds),
      records: Number(r.records),
      status: r.status as string,
    }));
  }

  /** Webhook endpoints of the environment, without their secrets. */
  async endpoints(environmentId: string): Promise<{ id: string; url: string; enabled: boolean }[]> {
    return this.ds.query(`SELECT id, url, enabled FROM webhook_endpoints WHERE environment_id = $1 ORDER BY created_at`, [environmentId]);
  }
}
