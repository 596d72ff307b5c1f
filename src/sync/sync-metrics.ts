import { syncDuration, syncRecords, syncRuns } from '../metrics/metrics';
import type { RecordModel } from '../records/models';

export type RunOutcome = 'SUCCEEDED' | 'FAILED' | 'PARTIALLY_FAILED' | 'AUTHENTICATION_FAILED' | 'CANCELLED' | 'TIMED_OUT';

/**
 * Every sync counter in one place: plain numbers for tests and benchmarks, and the
 * Prometheus metrics of src/metrics fed from here, so the runner bumps one object.
 */
export class SyncMetrics {
  readonly runsStarted = { FULL: 0, DELTA: 0 };
  readonly runsFinished: Record<RunOutcome, number> = {
    SUCCEEDED: 0, FAILED: 0, PARTIALLY_FAILED: 0, AUTHENTICATION_FAILED: 0, CANCELLED: 0, TIMED_OUT: 0,
  };
  readonly records: Record<'created' | 'updated' | 'deleted' | 'unchanged', number> = { created: 0, updated: 0, deleted: 0, unchanged: 0 };
  readonly recordsByModel: Partial<Record<RecordModel, number>> = {};
  pagesWritten = 0;
  rowsWritten = 0;
  staleRunsTakenOver = 0;
  runSecondsTotal = 0;
  running = 0;

  runStarted(type: 'FULL' | 'DELTA'): void {
    this.runsStarted[type]++;
    this.running++;
  }

  runFinished(type: 'FULL' | 'DELTA', outcome: RunOutcome, seconds: number): void {
    this.runsFinished[outcome]++;
    syncRuns.inc({ type, status: outcome });
    syncDuration.observe({ type }, seconds);
    this.runSecondsTotal += seconds;
    this.running = Math.max(0, this.running - 1);
  }

  page(model: RecordModel, counts: { created: number; updated: number; deleted: number; unchanged: number }): void {
    this.records.created += counts.created;
    this.records.updated += counts.updated;
    this.records.deleted += counts.deleted;
    this.records.unchanged += counts.unchanged;
    this.recordsByModel[model] = (this.recordsByModel[model] ?? 0) + counts.created + counts.updated + counts.deleted + counts.unchanged;
    this.rowsWritten += counts.created + counts.updated + counts.deleted;
    for (const action of ['created', 'updated', 'deleted'] as const) if (counts[action]) syncRecords.inc({ model, action }, counts[action]);
  }

  snapshot(): Record<string, unknown> {
    return JSON.parse(JSON.stringify(this));
  }
}
