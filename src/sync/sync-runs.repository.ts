// SQL for sync_runs: the durable queue and the leases (the schedule is
// sync-schedules.repository.ts). Times that decide leases come from the database clock (now()), so
// processes with skewed clocks still agree on who is stale.
import type { DataSource, EntityManager } from 'typeorm';
import { randomId } from '../common/ids';
import { notifyOnCommit } from '../database/wake';
import type { ModelCounts } from '../records/changes';
import type { RecordModel } from '../records/models';
import type { SkippedRecord } from '../records/store';
import { rowsOf } from '../database/rows';
import { timestampKeySql } from '../common/cursor';
import { SyncSchedulesRepository } from './sync-schedules.repository';

export type SyncType = 'FULL' | 'DELTA';
/** WEBHOOK: the HRIS notified a change (a targeted re-read, or a delta when many people changed at once). */
export type SyncTrigger = 'SCHEDULE' | 'MANUAL' | 'FIRST_SYNC' | 'API' | 'RELINK' | 'RETRY' | 'WEBHOOK';
export type SyncStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'PARTIALLY_FAILED' | 'AUTHENTICATION_FAILED' | 'CANCELLED' | 'TIMED_OUT';

/** The run-slot pool a run takes (SyncConfig.fullConcurrency / deltaConcurrency). */
export type RunKind = 'FULL' | 'DELTA';
export interface RunSlots {
  full: number;
  delta: number;
}
/**
 * A run's kind over `sync_runs r` and its `sync_schedules s`: a full sync, or a DELTA
 * without a watermark (the runner reads it in full), is FULL; deltas and webhook re-reads
 * (a delta run whose trigger is WEBHOOK) are DELTA.
 */
const RUN_KIND_SQL = `CASE WHEN r.type = 'FULL' OR s.delta_watermark IS NULL THEN 'FULL' ELSE 'DELTA' END`;

export interface SyncRunRow {
  id: string;
  integration_id: string;
  type: SyncType;
  trigger: SyncTrigger;
  status: SyncStatus;
  attempt: number;
  worker_id: string | null;
  since: Date | null;
  counts: Partial<Record<RecordModel, ModelCounts>>;
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

export class SyncRunsRepository {
  /** The schedule side: when each integration's next run is due. */
  readonly schedules: SyncSchedulesRepository;

  constructor(private readonly ds: DataSource) {
    this.schedules = new SyncSchedulesRepository(ds);
  }

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
      const inserted = rowsOf<SyncRunRow>(
        await em.query(
          `INSERT INTO sync_runs (id, integration_id, type, trigger, status, attempt) VALUES ($1, $2, $3, $4, 'QUEUED', $5)
         ON CONFLICT (integration_id) WHERE status IN ('QUEUED', 'RUNNING') DO NOTHING RETURNING *`,
          [randomId(), integrationId, run.type, run.trigger, run.attempt ?? 1],
        ),
      );
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

  /**
   * Takes the oldest queued runs nobody else is taking (SKIP LOCKED), up to `slots.full`
   * full syncs and `slots.delta` light runs, and leases them to this worker: one statement.
   * A run's kind is what it will read (runKind), so a queued delta without a watermark,
   * which the runner reads in full, takes a full slot.
   */
  async claimNext(workerId: string, slots: RunSlots): Promise<{ run: SyncRunRow; kind: RunKind }[]> {
    if (slots.full <= 0 && slots.delta <= 0) return [];
    const queued = (kind: RunKind, limit: string) =>
      `SELECT r.id FROM sync_runs r LEFT JOIN sync_schedules s ON s.integration_id = r.integration_id
        WHERE r.status = 'QUEUED' AND (${RUN_KIND_SQL}) = '${kind}'
        ORDER BY r.queued_at, r.scheduled_for LIMIT ${limit} FOR UPDATE OF r SKIP LOCKED`;
    const rows = rowsOf<SyncRunRow & { run_kind: RunKind }>(
      await this.ds.query(
        `WITH f AS (${queued('FULL', '$2')}), d AS (${queued('DELTA', '$3')})
        UPDATE sync_runs r SET status = 'RUNNING', started_at = now(), heartbeat_at = now(), worker_id = $1
        WHERE r.id IN (SELECT id FROM f UNION ALL SELECT id FROM d)
        RETURNING r.*, CASE WHEN r.id IN (SELECT id FROM f) THEN 'FULL' ELSE 'DELTA' END AS run_kind`,
        [workerId, Math.max(0, slots.full), Math.max(0, slots.delta)],
      ),
    );
    return rows.map(({ run_kind, ...run }) => ({ run, kind: run_kind }));
  }

  /** Claims one specific queued run (the CLI running a sync in its own process). */
  async claim(runId: string, workerId: string): Promise<SyncRunRow | null> {
    const rows = rowsOf<SyncRunRow>(
      await this.ds.query(
        `UPDATE sync_runs SET status = 'RUNNING', started_at = now(), heartbeat_at = now(), worker_id = $2
        WHERE id = $1 AND status = 'QUEUED' RETURNING *`,
        [runId, workerId],
      ),
    );
    return rows[0] ?? null;
  }

  /**
   * Renews the lease and reports a cancel request. `alive` false means the run was
   * taken over (or finished) by someone else: the worker must stop writing.
   */
  async heartbeat(runId: string, workerId: string, em: EntityManager = this.ds.manager): Promise<{ alive: boolean; cancelRequested: boolean }> {
    const rows = rowsOf<{ cancel_requested_at: Date | null }>(
      await em.query(`UPDATE sync_runs SET heartbeat_at = now() WHERE id = $1 AND worker_id = $2 AND status = 'RUNNING' RETURNING cancel_requested_at`, [
        runId,
        workerId,
      ]),
    );
    return { alive: rows.length === 1, cancelRequested: !!rows[0]?.cancel_requested_at };
  }

  /** The run's counts so far; only while this worker holds the run (a run taken over keeps its new holder's counts). */
  async saveProgress(
    runId: string,
    workerId: string,
    progress: Pick<SyncRunRow, 'counts' | 'created' | 'updated' | 'deleted' | 'unchanged' | 'pages'>,
    em: EntityManager,
  ): Promise<void> {
    await em.query(
      `UPDATE sync_runs SET counts = $3::jsonb, created = $4, updated = $5, deleted = $6, unchanged = $7, pages = $8 WHERE id = $1 AND worker_id = $2`,
      [runId, workerId, JSON.stringify(progress.counts), progress.created, progress.updated, progress.deleted, progress.unchanged, progress.pages],
    );
  }

  /** Ends a run this worker still holds; null when it was taken over meanwhile. */
  async finish(
    runId: string,
    workerId: string,
    status: SyncStatus,
    error: { message: string; kind: string } | null,
    skipped: SkippedRecord[],
    em: EntityManager,
  ): Promise<SyncRunRow | null> {
    const rows = rowsOf<SyncRunRow>(
      await em.query(
        `UPDATE sync_runs SET status = $3, error = $4, error_kind = $5, skipped = $6::jsonb, finished_at = now(), heartbeat_at = now()
        WHERE id = $1 AND worker_id = $2 AND status = 'RUNNING' RETURNING *`,
        [
          runId,
          workerId,
          status,
          error?.message ?? null,
          error?.kind ?? null,
          JSON.stringify(skipped.map(({ model, remote_id, reason }) => ({ model, remote_id, reason }))),
        ],
      ),
    );
    return rows[0] ?? null;
  }

  /** RUNNING runs whose heartbeat is older than staleMs, marked TIMED_OUT; locked rows (being finished) are skipped. */
  async expireStale(staleMs: number, em: EntityManager): Promise<SyncRunRow[]> {
    return rowsOf<SyncRunRow>(
      await em.query(
        `UPDATE sync_runs SET status = 'TIMED_OUT', finished_at = now(), error_kind = 'WORKER_LOST',
              error = 'The gateway process running this sync stopped responding; the sync is retried.'
        WHERE id IN (SELECT id FROM sync_runs WHERE status = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => $1::float8 / 1000)
                     FOR UPDATE SKIP LOCKED)
        RETURNING *`,
        [staleMs],
      ),
    );
  }

  /** Queued runs are cancelled at once; a running one is asked to stop at its next page boundary. */
  async requestCancel(integrationId: string, reason: string): Promise<{ cancelledQueued: SyncRunRow[]; running: SyncRunRow | null }> {
    return this.ds.transaction(async (em) => {
      const cancelledQueued = rowsOf<SyncRunRow>(
        await em.query(
          `UPDATE sync_runs SET status = 'CANCELLED', finished_at = now(), error = $2, error_kind = 'CANCELLED'
          WHERE integration_id = $1 AND status = 'QUEUED' RETURNING *`,
          [integrationId, reason],
        ),
      );
      const running = rowsOf<SyncRunRow>(
        await em.query(`UPDATE sync_runs SET cancel_requested_at = now(), error = $2 WHERE integration_id = $1 AND status = 'RUNNING' RETURNING *`, [
          integrationId,
          reason,
        ]),
      );
      return { cancelledQueued, running: running[0] ?? null };
    });
  }

  async get(integrationId: string, id: string): Promise<SyncRunRow | null> {
    const rows = rowsOf<SyncRunRow>(await this.ds.query(`SELECT * FROM sync_runs WHERE integration_id = $1 AND id = $2`, [integrationId, id]));
    return rows[0] ?? null;
  }

  /** Newest first; keyset on (queued_at, id) so pages stay stable while runs are added. `queued_key`: queued_at as the cursor carries it. */
  async list(integrationId: string, after: { queuedAt: string; id: string } | null, limit: number): Promise<Array<SyncRunRow & { queued_key: string }>> {
    const params: unknown[] = [integrationId, limit];
    let where = '';
    if (after) {
      params.push(after.queuedAt, after.id);
      where = `AND (queued_at, id) < ($3::timestamptz, $4)`;
    }
    return rowsOf<SyncRunRow & { queued_key: string }>(
      await this.ds.query(
        `SELECT *, ${timestampKeySql('queued_at')} AS queued_key FROM sync_runs WHERE integration_id = $1 ${where} ORDER BY queued_at DESC, id DESC LIMIT $2`,
        params,
      ),
    );
  }
}
