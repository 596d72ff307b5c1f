// SQL for sync_runs and sync_schedules: the durable queue, the leases and the
// schedule. Times that decide leases come from the database clock (now()), so
// processes with skewed clocks still agree on who is stale.
import type { DataSource, EntityManager } from 'typeorm';
import { randomId } from '../common/ids';
import { notifyOnCommit } from '../database/wake';
import type { ModelCounts, SkippedRecord } from './store';
import { rowsOf } from '../database/rows';
import type { SyncedModel } from './records';

export type SyncType = 'FULL' | 'DELTA';
/** WEBHOOK: the HRIS notified a change (a targeted re-read, or a delta when many people changed at once). */
export type SyncTrigger = 'SCHEDULE' | 'MANUAL' | 'FIRST_SYNC' | 'API' | 'RELINK' | 'RETRY' | 'WEBHOOK';
export type SyncStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'PARTIALLY_FAILED' | 'AUTHENTICATION_FAILED' | 'CANCELLED' | 'TIMED_OUT';
export const ACTIVE_STATUSES: SyncStatus[] = ['QUEUED', 'RUNNING'];

export interface SyncRunRow {
  id: string;
  integration_id: string;
  type: SyncType;
  trigger: SyncTrigger;
  status: SyncStatus;
  attempt: number;
  worker_id: string | null;
  since: Date | null;
  counts: Partial<Record<SyncedModel, ModelCounts>>;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  pages: number;
  error: string | null;
  error_kind: string | null;
  /** Records left out because Postgres refused them (the first 100). */
  skipped: Pick<SkippedRecord, 'model' | 'remote_id' | 'reason'>[];
  cancel_requested_at: Date | null;
  /** When the schedule made this run due (scheduled and retry runs); its lag is started_at minus this. */
  scheduled_for: Date | null;
  queued_at: Date;
  started_at: Date | null;
  heartbeat_at: Date | null;
  finished_at: Date | null;
}

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

export class SyncRunsRepository {
  constructor(private readonly ds: DataSource) {}

  async findActive(integrationId: string, em: EntityManager = this.ds.manager): Promise<SyncRunRow | null> {
    const rows = rowsOf<SyncRunRow>(await em.query(`SELECT * FROM sync_runs WHERE integration_id = $1 AND status IN ('QUEUED', 'RUNNING')`, [integrationId]));
    return rows[0] ?? null;
  }

  /**
   * Queues a run unless one is queued or running (the partial unique index decides races between processes).
   * The commit wakes the workers of every process (the scheduler's own runs come from enqueueDue).
   */
  async enqueue(
    integrationId: string,
    run: { type: SyncType; trigger: SyncTrigger; attempt?: number },
    em: EntityManager = this.ds.manager,
  ): Promise<{ run: SyncRunRow; already: boolean }> {
    for (let i = 0; i < 3; i++) {
      const inserted = rowsOf<SyncRunRow>(await em.query(
        `INSERT INTO sync_runs (id, integration_id, type, trigger, status, attempt) VALUES ($1, $2, $3, $4, 'QUEUED', $5)
         ON CONFLICT (integration_id) WHERE status IN ('QUEUED', 'RUNNING') DO NOTHING RETURNING *`,
        [randomId(), integrationId, run.type, run.trigger, run.attempt ?? 1],
      ));
      if (inserted[0]) {
        await notifyOnCommit(em, 'hgw_sync');
        return { run: inserted[0], already: false };
      }
      const active = await this.findActive(integrationId, em);
      if (active) return { run: active, already: true };
      // The active run finished between the two statements: try again.
    }
    throw new Error('could not queue a sync run');
  }

  /** Takes up to `limit` of the oldest queued runs nobody else is taking (SKIP LOCKED), and leases them to this worker: one statement. */
  async claimNext(workerId: string, limit = 1): Promise<SyncRunRow[]> {
    return rowsOf<SyncRunRow>(await this.ds.query(
      `UPDATE sync_runs r SET status = 'RUNNING', started_at = now(), heartbeat_at = now(), worker_id = $1
        WHERE r.id IN (SELECT id FROM sync_runs WHERE status = 'QUEUED' ORDER BY queued_at, scheduled_for LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING r.*`,
      [workerId, limit],
    ));
  }

  /** Claims one specific queued run (the CLI running a sync in its own process). */
  async claim(runId: string, workerId: string): Promise<SyncRunRow | null> {
    const rows = rowsOf<SyncRunRow>(await this.ds.query(
      `UPDATE sync_runs SET status = 'RUNNING', started_at = now(), heartbeat_at = now(), worker_id = $2
        WHERE id = $1 AND status = 'QUEUED' RETURNING *`,
      [runId, workerId],
    ));
    return rows[0] ?? null;
  }

  /**
   * Renews the lease and reports a cancel request. `alive` false means the run was
   * taken over (or finished) by someone else: the worker must stop writing.
   */
  async heartbeat(runId: string, workerId: string, em: EntityManager = this.ds.manager): Promise<{ alive: boolean; cancelRequested: boolean }> {
    const rows = rowsOf<{ cancel_requested_at: Date | null }>(await em.query(
      `UPDATE sync_runs SET heartbeat_at = now() WHERE id = $1 AND worker_id = $2 AND status = 'RUNNING' RETURNING cancel_requested_at`,
      [runId, workerId],
    ));
    return { alive: rows.length === 1, cancelRequested: !!rows[0]?.cancel_requested_at };
  }

  async saveProgress(runId: string, progress: Pick<SyncRunRow, 'counts' | 'created' | 'updated' | 'deleted' | 'unchanged' | 'pages'>, em: EntityManager): Promise<void> {
    await em.query(
      `UPDATE sync_runs SET counts = $2::jsonb, created = $3, updated = $4, deleted = $5, unchanged = $6, pages = $7 WHERE id = $1`,
      [runId, JSON.stringify(progress.counts), progress.created, progress.updated, progress.deleted, progress.unchanged, progress.pages],
    );
  }

  /** Ends a run this worker still holds; null when it was taken over meanwhile. */
  async finish(
    runId: string, workerId: string, status: SyncStatus, error: { message: string; kind: string } | null, skipped: SkippedRecord[], em: EntityManager,
  ): Promise<SyncRunRow | null> {
    const rows = rowsOf<SyncRunRow>(await em.query(
      `UPDATE sync_runs SET status = $3, error = $4, error_kind = $5, skipped = $6::jsonb, finished_at = now(), heartbeat_at = now()
        WHERE id = $1 AND worker_id = $2 AND status = 'RUNNING' RETURNING *`,
      [runId, workerId, status, error?.message ?? null, error?.kind ?? null, JSON.stringify(skipped.map(({ model, remote_id, reason }) => ({ model, remote_id, reason })))],
    ));
    return rows[0] ?? null;
  }

  /** RUNNING runs whose heartbeat is older than staleMs, marked TIMED_OUT; locked rows (being finished) are skipped. */
  async expireStale(staleMs: number, em: EntityManager): Promise<SyncRunRow[]> {
    return rowsOf<SyncRunRow>(await em.query(
      `UPDATE sync_runs SET status = 'TIMED_OUT', finished_at = now(), error_kind = 'WORKER_LOST',
              error = 'The gateway process running this sync stopped responding; the sync is retried.'
        WHERE id IN (SELECT id FROM sync_runs WHERE status = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => $1::float8 / 1000)
                     FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [staleMs],
    ));
  }

  /** Queued runs are cancelled at once; a running one is asked to stop at its next page boundary. */
  async requestCancel(integrationId: string, reason: string): Promise<{ cancelledQueued: SyncRunRow[]; running: SyncRunRow | null }> {
    return this.ds.transaction(async (em) => {
      const cancelledQueued = rowsOf<SyncRunRow>(await em.query(
        `UPDATE sync_runs SET status = 'CANCELLED', finished_at = now(), error = $2, error_kind = 'CANCELLED'
          WHERE integration_id = $1 AND status = 'QUEUED' RETURNING *`,
        [integrationId, reason],
      ));
      const running = rowsOf<SyncRunRow>(await em.query(
        `UPDATE sync_runs SET cancel_requested_at = now(), error = $2 WHERE integration_id = $1 AND status = 'RUNNING' RETURNING *`,
        [integrationId, reason],
      ));
      return { cancelledQueued, running: running[0] ?? null };
    });
  }

  async get(integrationId: string, id: string): Promise<SyncRunRow | null> {
    const rows = rowsOf<SyncRunRow>(await this.ds.query(`SELECT * FROM sync_runs WHERE integration_id = $1 AND id = $2`, [integrationId, id]));
    return rows[0] ?? null;
  }

  /** Newest first; keyset on (queued_at, id) so pages stay stable while runs are added. */
  async list(integrationId: string, after: { queuedAt: string; id: string } | null, limit: number): Promise<SyncRunRow[]> {
    const params: unknown[] = [integrationId, limit];
    let where = '';
    if (after) {
      params.push(after.queuedAt, after.id);
      where = `AND (queued_at, id) < ($3::timestamptz, $4)`;
    }
    return rowsOf<SyncRunRow>(await this.ds.query(
      `SELECT * FROM sync_runs WHERE integration_id = $1 ${where} ORDER BY queued_at DESC, id DESC LIMIT $2`,
      params,
    ));
  }

  // ---- schedule ----

  async schedule(integrationId: string, em: EntityManager = this.ds.manager): Promise<ScheduleRow | null> {
    return rowsOf<ScheduleRow>(await em.query(`SELECT * FROM sync_schedules WHERE integration_id = $1`, [integrationId]))[0] ?? null;
  }

  /** Gives every integration a schedule row; one never synced is due for a full sync at once. */
  async ensureSchedules(defaults: { deltaMinutes: number; fullMinutes: number }, integrationId: string | null = null, em: EntityManager = this.ds.manager): Promise<void> {
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
  async reschedule(em: EntityManager, integrationId: string, oldSettings: object, defaults: { deltaMinutes: number; fullMinutes: number }, fullNow: boolean): Promise<void> {
    await this.ensureSchedules(defaults, integrationId, em);
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
    const rows = rowsOf<{ due: number }>(await this.ds.query(
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
    ));
    return rows[0]?.due ?? 0;
  }

  /** Milliseconds until the next schedule comes due (0 when one is due now); null when none is pending. */
  async msUntilNextDue(): Promise<number | null> {
    const rows = rowsOf<{ ms: number }>(await this.ds.query(
      `SELECT GREATEST(0, EXTRACT(EPOCH FROM (${DUE} - clock_timestamp())) * 1000)::float8 AS ms ${SCHEDULABLE} ORDER BY ${DUE} LIMIT 1`,
    ));
    return rows[0] ? Number(rows[0].ms) : null;
  }

  /**
   * After a successful run: the next delta (and, after a full run, the next full) comes an
   * interval after the slot this run filled — its scheduled time, or its start when it ran
   * ahead of schedule (forced, first sync) — not after it ended, so runs do not drift later.
   */
  async scheduleSucceeded(em: EntityManager, runId: string, type: SyncType, readStartedAt: Date, defaults: { deltaMinutes: number; fullMinutes: number }): Promise<void> {
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
    await em.query(`UPDATE sync_schedules SET utc_offset_minutes = $2 WHERE integration_id = $1 AND utc_offset_minutes IS DISTINCT FROM $2`, [integrationId, minutes]);
  }

  /** Counts the failure; `retryInMs` null means no automatic retry (auth failures wait for new credentials). */
  async scheduleFailed(em: EntityManager, integrationId: string, type: SyncType, retryInMs: (failures: number) => number | null): Promise<Date | null> {
    const [s] = rowsOf<{ consecutive_failures: number }>(await em.query(
      `UPDATE sync_schedules SET consecutive_failures = consecutive_failures + 1, updated_at = now() WHERE integration_id = $1 RETURNING consecutive_failures`,
      [integrationId],
    ));
    const delay = retryInMs(s?.consecutive_failures ?? 1);
    const rows = rowsOf<{ retry_at: Date | null }>(await em.query(
      `UPDATE sync_schedules SET retry_at = CASE WHEN $2::float8 IS NULL THEN NULL ELSE now() + make_interval(secs => $2::float8 / 1000) END,
              retry_type = $3 WHERE integration_id = $1 RETURNING retry_at`,
      [integrationId, delay, type],
    ));
    return rows[0]?.retry_at ?? null;
  }
}
