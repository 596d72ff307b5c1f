// SQL for sync_schedules: when each integration's next delta and full run are due,
// its retry after failures and its delta watermark. Times come from the database
// clock (now()), so processes with skewed clocks agree on what is due.
import type { DataSource, EntityManager } from 'typeorm';
import { randomId } from '../common/ids';
import { rowsOf } from '../database/rows';
import { notifyOnCommit } from '../database/wake';
import type { SyncType } from './sync-runs.repository';

export interface ScheduleRow {
  integration_id: string;
  next_delta_at: Date;
  next_full_at: Date;
  delta_watermark: Date | null;
  consecutive_failures: number;
  retry_at: Date | null;
  retry_type: SyncType | null;
  last_success_at: Date | null;
  /** The HRIS account's UTC offset as the last read showed it; null before any read showed one. */
  utc_offset_minutes: number | null;
}

/** Minutes from an integration's settings (or another settings expression), else the default; never below one minute. */
export const intervalSql = (key: 'delta_interval_minutes' | 'full_interval_minutes', param: string, settings = 'i.settings') =>
  `make_interval(mins => CASE WHEN ${settings}->>'${key}' ~ '^[0-9]{1,6}$' THEN GREATEST(1, (${settings}->>'${key}')::int) ELSE ${param}::int END)`;

/** When a schedule is next due: its retry, else the earlier of delta and full (sync_schedules_due_idx indexes it). */
const DUE = `(CASE WHEN s.retry_at IS NOT NULL THEN s.retry_at ELSE LEAST(s.next_delta_at, s.next_full_at) END)`;

/** Active integrations whose schedule may queue a run: none queued or running. */
const SCHEDULABLE = `
  FROM sync_schedules s JOIN integrations i ON i.id = s.integration_id
 WHERE i.status = 'ACTIVE'
   AND NOT EXISTS (SELECT 1 FROM sync_runs r WHERE r.integration_id = s.integration_id AND r.status IN ('QUEUED', 'RUNNING'))`;

/**
 * The first slot after now on the grid that starts at `base` with step `interval`: runs keep
 * their times (an interval from the previous start, not end), and a run that overran or a
 * gateway that was down skips the missed slots instead of running them back to back.
 */
const nextSlot = (base: string, interval: string) =>
  `(${base} + ${interval} * GREATEST(1, CEIL(EXTRACT(EPOCH FROM (now() - ${base})) / EXTRACT(EPOCH FROM ${interval}))))`;

/** Defaults for integrations without their own intervals (SyncConfig). */
export interface ScheduleDefaults {
  deltaMinutes: number;
  fullMinutes: number;
}

export class SyncSchedulesRepository {
  constructor(private readonly ds: DataSource) {}

  async get(integrationId: string, em: EntityManager = this.ds.manager): Promise<ScheduleRow | null> {
    return rowsOf<ScheduleRow>(await em.query(`SELECT * FROM sync_schedules WHERE integration_id = $1`, [integrationId]))[0] ?? null;
  }

  /** Gives every integration a schedule row; one never synced is due for a full sync at once. */
  async ensure(defaults: ScheduleDefaults, integrationId: string | null = null, em: EntityManager = this.ds.manager): Promise<void> {
    await em.query(
      `INSERT INTO sync_schedules (integration_id, next_delta_at, next_full_at)
       SELECT i.id, now() + ${intervalSql('delta_interval_minutes', '$1')},
              CASE WHEN i.first_sync_completed_at IS NULL THEN now() ELSE now() + ${intervalSql('full_interval_minutes', '$2')} END
         FROM integrations i
        WHERE ($3::text IS NULL OR i.id = $3) AND NOT EXISTS (SELECT 1 FROM sync_schedules s WHERE s.integration_id = i.id)
       ON CONFLICT (integration_id) DO NOTHING`,
      [defaults.deltaMinutes, defaults.fullMinutes, integrationId],
    );
  }

  /**
   * After an integration's settings changed (inside that transaction, the new settings
   * saved): the next delta and full times move by the change of their interval, so a
   * shorter interval takes effect now rather than after the next run; `fullNow` makes
   * a full sync due at once (filters changed).
   */
  async reschedule(em: EntityManager, integrationId: string, oldSettings: object, defaults: ScheduleDefaults, fullNow: boolean): Promise<void> {
    await this.ensure(defaults, integrationId, em);
    const shift = (key: 'delta_interval_minutes' | 'full_interval_minutes', param: string) =>
      `${intervalSql(key, param)} - ${intervalSql(key, param, '$5::jsonb')}`;
    await em.query(
      `UPDATE sync_schedules s SET
         next_delta_at = s.next_delta_at + ${shift('delta_interval_minutes', '$2')},
         next_full_at = CASE WHEN $4 THEN LEAST(s.next_full_at, now())
                             WHEN i.first_sync_completed_at IS NULL THEN s.next_full_at
                             ELSE s.next_full_at + ${shift('full_interval_minutes', '$3')} END,
         updated_at = now()
        FROM integrations i WHERE i.id = s.integration_id AND s.integration_id = $1`,
      [integrationId, defaults.deltaMinutes, defaults.fullMinutes, fullNow, JSON.stringify(oldSettings ?? {})],
    );
    // The workers sleep until the next due time they know of: an earlier one must wake them.
    await notifyOnCommit(em, 'hgw_sync');
  }

  /**
   * Queues a run for up to `limit` active integrations whose retry, full or delta time has
   * come and that have no queued or running run, in one statement; each run records the
   * time it was due. A race with another process is settled by the one-active-run index.
   * Returns how many schedules were due (limit: there may be more).
   */
  async enqueueDue(limit: number): Promise<number> {
    const ids = Array.from({ length: limit }, () => randomId());
    const rows = rowsOf<{ due: number }>(
      await this.ds.query(
        `WITH due AS (
         SELECT s.integration_id,
                CASE WHEN s.retry_at IS NOT NULL THEN COALESCE(s.retry_type, 'FULL')
                     WHEN s.next_full_at <= now() OR s.delta_watermark IS NULL THEN 'FULL' ELSE 'DELTA' END AS type,
                CASE WHEN s.retry_at IS NOT NULL THEN 'RETRY' ELSE 'SCHEDULE' END AS trigger,
                CASE WHEN s.retry_at IS NOT NULL THEN s.consecutive_failures + 1 ELSE 1 END AS attempt,
                ${DUE} AS due_at
           ${SCHEDULABLE} AND ${DUE} <= now()
          ORDER BY ${DUE}
          LIMIT $1
       ), numbered AS (SELECT due.*, row_number() OVER (ORDER BY due_at) AS n FROM due),
       ins AS (
         INSERT INTO sync_runs (id, integration_id, type, trigger, status, attempt, scheduled_for)
         SELECT ($2::text[])[n], integration_id, type, trigger, 'QUEUED', attempt, due_at FROM numbered
         ON CONFLICT (integration_id) WHERE status IN ('QUEUED', 'RUNNING') DO NOTHING
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM due)::int AS due, (SELECT count(*) FROM ins)::int AS queued`,
        [limit, ids],
      ),
    );
    return rows[0]?.due ?? 0;
  }

  /** Milliseconds until the next schedule comes due (0 when one is due now); null when none is pending. */
  async msUntilNextDue(): Promise<number | null> {
    const rows = rowsOf<{ ms: number }>(
      await this.ds.query(`SELECT GREATEST(0, EXTRACT(EPOCH FROM (${DUE} - clock_timestamp())) * 1000)::float8 AS ms ${SCHEDULABLE} ORDER BY ${DUE} LIMIT 1`),
    );
    return rows[0] ? Number(rows[0].ms) : null;
  }

  /**
   * After a successful run: the next delta (and, after a full run, the next full) comes an
   * interval after the slot this run filled — its scheduled time, or its start when it ran
   * ahead of schedule (forced, first sync) — not after it ended, so runs do not drift later.
   */
  async scheduleSucceeded(em: EntityManager, runId: string, type: SyncType, readStartedAt: Date, defaults: ScheduleDefaults): Promise<void> {
    const delta = intervalSql('delta_interval_minutes', '$3');
    const full = intervalSql('full_interval_minutes', '$4');
    await em.query(
      `UPDATE sync_schedules s SET
         next_delta_at = ${nextSlot('LEAST(s.next_delta_at, r.started_at)', delta)},
         next_full_at = CASE WHEN $5 = 'FULL' THEN ${nextSlot('LEAST(s.next_full_at, r.started_at)', full)} ELSE s.next_full_at END,
         delta_watermark = $2, last_success_at = now(),
         consecutive_failures = 0, retry_at = NULL, retry_type = NULL, updated_at = now()
        FROM sync_runs r, integrations i
       WHERE r.id = $1 AND s.integration_id = r.integration_id AND i.id = r.integration_id`,
      [runId, readStartedAt, defaults.deltaMinutes, defaults.fullMinutes, type],
    );
  }

  async saveUtcOffset(em: EntityManager, integrationId: string, minutes: number): Promise<void> {
    await em.query(`UPDATE sync_schedules SET utc_offset_minutes = $2 WHERE integration_id = $1 AND utc_offset_minutes IS DISTINCT FROM $2`, [
      integrationId,
      minutes,
    ]);
  }

  /** Counts the failure; `retryInMs` null means no automatic retry (auth failures wait for new credentials). */
  async scheduleFailed(em: EntityManager, integrationId: string, type: SyncType, retryInMs: (failures: number) => number | null): Promise<Date | null> {
    const [s] = rowsOf<{ consecutive_failures: number }>(
      await em.query(
        `UPDATE sync_schedules SET consecutive_failures = consecutive_failures + 1, updated_at = now() WHERE integration_id = $1 RETURNING consecutive_failures`,
        [integrationId],
      ),
    );
    const delay = retryInMs(s?.consecutive_failures ?? 1);
    const rows = rowsOf<{ retry_at: Date | null }>(
      await em.query(
        `UPDATE sync_schedules SET retry_at = CASE WHEN $2::float8 IS NULL THEN NULL ELSE now() + make_interval(secs => $2::float8 / 1000) END,
              retry_type = $3 WHERE integration_id = $1 RETURNING retry_at`,
        [integrationId, delay, type],
      ),
    );
    return rows[0]?.retry_at ?? null;
  }
}
