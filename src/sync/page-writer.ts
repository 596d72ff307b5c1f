// One page of a read → one transaction: fence the lease, let the records module write
// the page (src/records/page.ts), count it, and record its changes in the outbox.
import type { DataSource, EntityManager } from 'typeorm';
import { RemoteIdSet } from '../../connectors/remote-id-set';
import type { UnifiedDocumentCategory } from '../../connectors/unified';
import type { IntegrationFilters } from '../integrations/integration.entity';
import { ChangeSet, ModelCounts, zeroCounts } from '../records/changes';
import type { RecordModel } from '../records/models';
import {
  deleteGone,
  deleteUnseen,
  PreparedPage,
  preparePage,
  UnchangedPage,
  unchangedParts,
  unchangedSources,
  writeCategories,
  writePage as writePageRows,
} from '../records/page';
import { PAGE_MODELS } from '../records/models';
import type { ReadPage } from './read-pipeline';
import { documentCategoryRow } from '../records/rows';
import { isCopyConflict, isUnstorableRecord, SkippedRecord } from '../records/store';
import { recordChanges } from '../webhooks/outbox';
import { syncRecords } from '../metrics/metrics';
import type { SyncRunsRepository } from './sync-runs.repository';

/** Why a run stops early; thrown at a page boundary and mapped to a final status by the runner. */
export class SyncStopped extends Error {
  constructor(readonly reason: 'cancel' | 'lease' | 'timeout' | 'shutdown') {
    super(`sync stopped: ${reason}`);
  }
}

/** Skipped records listed in the run history and sync-finished; more are only counted. */
export const MAX_SKIPPED_LISTED = 100;

/** What a run accumulates: counts per model and, for deletion marking after a full read, the remote ids seen. */
export class RunState {
  readonly counts: Partial<Record<RecordModel, ModelCounts>> = {};
  readonly seen: Record<RecordModel, RemoteIdSet> = {
    employees: new RemoteIdSet(),
    employments: new RemoteIdSet(),
    groups: new RemoteIdSet(),
    legal_entities: new RemoteIdSet(),
    locations: new RemoteIdSet(),
    employee_document_categories: new RemoteIdSet(),
  };
  pages = 0;
  /** Employees the HRIS returned in this run, matching the filters or not. */
  employeesRead = 0;
  /** Records Postgres refused, left out of their page (the first MAX_SKIPPED_LISTED are listed). */
  readonly skipped: SkippedRecord[] = [];
  skippedTotal = 0;
  /** The last page changed nothing, so the next one is checked for that first (no transaction if so). */
  lastPageUnchanged = true;
  unchangedProgressSavedAt = 0;
  /** The HRIS account's UTC offset as this run's pages showed it. */
  utcOffsetMinutes: number | null = null;

  skip(s: SkippedRecord): void {
    this.skippedTotal++;
    if (this.skipped.length < MAX_SKIPPED_LISTED) this.skipped.push(s);
  }

  /** Counts of a page whose transaction rolled back must not stay counted (inFencedTransaction). */
  snapshot(): () => void {
    const counts = JSON.stringify(this.counts);
    const pages = this.pages;
    return () => {
      for (const k of Object.keys(this.counts) as RecordModel[]) delete this.counts[k];
      Object.assign(this.counts, JSON.parse(counts));
      this.pages = pages;
    };
  }

  add(model: RecordModel, c: ModelCounts): void {
    const m = (this.counts[model] ??= zeroCounts());
    m.created += c.created;
    m.updated += c.updated;
    m.deleted += c.deleted;
    m.unchanged += c.unchanged;
  }

  totals(): ModelCounts {
    const t = zeroCounts();
    for (const c of Object.values(this.counts)) {
      t.created += c.created;
      t.updated += c.updated;
      t.deleted += c.deleted;
      t.unchanged += c.unchanged;
    }
    return t;
  }

  progress() {
    return { counts: this.counts, ...this.totals(), pages: this.pages };
  }

  /** Feeds the Prometheus record counter once a transaction committed (a page rolled back and written again counts once). */
  countCommitted(): void {
    for (const [model, c] of Object.entries(this.counts) as [RecordModel, ModelCounts][]) {
      const was = (this.counted[model] ??= zeroCounts());
      for (const action of ['created', 'updated', 'deleted'] as const) if (c[action] > was[action]) syncRecords.inc({ model, action }, c[action] - was[action]);
      Object.assign(was, c);
    }
  }

  private readonly counted: Partial<Record<RecordModel, ModelCounts>> = {};
}

export interface PageContext {
  ds: DataSource;
  runs: SyncRunsRepository;
  runId: string;
  workerId: string;
  integration: { id: string; environmentId: string; filters: IntegrationFilters };
  state: RunState;
}

/**
 * Opens the page transaction after checking this worker still holds the run and nobody asked
 * it to stop. What the transaction counted (countAndRecord, pages) is taken back when it rolls
 * back, so neither the run's history, its sync-finished nor the record metric counts rows that
 * were never stored.
 */
export async function inFencedTransaction<T>(pc: PageContext, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  const restore = pc.state.snapshot();
  try {
    return await pc.ds.transaction(async (em) => {
      const hb = await pc.runs.heartbeat(pc.runId, pc.workerId, em);
      if (!hb.alive) throw new SyncStopped('lease');
      if (hb.cancelRequested) throw new SyncStopped('cancel');
      return fn(em);
    });
  } catch (e) {
    restore();
    throw e;
  }
}

/** Counts what a transaction wrote and hands its change list to the outbox, in that transaction. */
export async function countAndRecord(em: EntityManager, pc: PageContext, set: ChangeSet): Promise<void> {
  for (const [model, counts] of set.counts) pc.state.add(model, counts);
  await recordChanges(em, pc.integration, set.changes);
}

/**
 * Writes a page in one transaction. When Postgres refuses a record's content, the page is
 * written again record by record: only the refused records are left out (and reported),
 * the rest of the page is stored, and the skipped ones still count as seen, so deletion
 * marking never takes them for gone.
 */
export async function writeBatch(pc: PageContext, read: ReadPage): Promise<void> {
  if (pc.state.lastPageUnchanged && (await skipUnchangedPage(pc, read))) return;
  const page = (read.prepared ??= preparePage(pc.integration.id, pc.integration.filters, read.batch));
  const before = pc.state.totals();
  try {
    await writeWhole(pc, page);
  } catch (e) {
    if (!isUnstorableRecord(e)) throw e;
    const skipped: SkippedRecord[] = [];
    await writePage(pc, page, skipped);
    skipped.forEach((s) => pc.state.skip(s));
  }
  pc.state.countCommitted();
  const after = pc.state.totals();
  pc.state.lastPageUnchanged = after.created === before.created && after.updated === before.updated && after.deleted === before.deleted;
  pageCommitted(
    pc,
    page.rows.employees.length + page.excluded.employees.length,
    PAGE_MODELS.map((model) => ({ model, remoteIds: page.rows[model].map((r) => r.remote_id) })),
  );
}

/** Remembered for deletion marking only once the page is committed. */
function pageCommitted(pc: PageContext, employeesRead: number, stored: UnchangedPage): void {
  pc.state.employeesRead += employeesRead;
  for (const { model, remoteIds } of stored) for (const id of remoteIds) pc.state.seen[model].add(id);
}

/** Progress of pages that changed nothing is saved at most this often (the run's end saves it anyway). */
const UNCHANGED_PROGRESS_MS = 1000;

/**
 * A page whose every row is stored live with the same hash writes nothing, so one read-only
 * query over all its models is all it costs: no transaction and no lease fence, which only
 * guards writes (the run's heartbeat timer still sees a takeover or a cancel, and the runner
 * stops at the next page boundary; a page that does write is fenced as ever). Progress is
 * saved with the first such page and then at most once a second. A page that fails the
 * check is written as usual, and later pages directly until one changes nothing again.
 */
async function skipUnchangedPage(pc: PageContext, read: ReadPage): Promise<boolean> {
  const { id, filters } = pc.integration;
  const parts = read.batch.source_fingerprints
    ? await unchangedSources(pc.ds.manager, id, filters, read.batch)
    : await unchangedParts(pc.ds.manager, id, (read.prepared ??= preparePage(id, filters, read.batch)));
  if (!parts) {
    pc.state.lastPageUnchanged = false;
    return false;
  }
  // A group, legal entity or location many people name is counted once per run, as when written.
  for (const { model, remoteIds } of parts) pc.state.add(model, { ...zeroCounts(), unchanged: remoteIds.filter((r) => !pc.state.seen[model].has(r)).length });
  pc.state.pages++;
  pageCommitted(pc, read.batch.source_fingerprints?.size ?? read.prepared!.rows.employees.length, parts);
  const now = Date.now();
  if (now - pc.state.unchangedProgressSavedAt >= UNCHANGED_PROGRESS_MS) {
    pc.state.unchangedProgressSavedAt = now;
    await pc.runs.saveProgress(pc.runId, pc.workerId, pc.state.progress(), pc.ds.manager);
  }
  return true;
}

/**
 * A page with its new rows inserted by COPY; if one of them was stored meanwhile (COPY has no
 * ON CONFLICT, so the transaction fails: isCopyConflict), the page is written again, all by the upsert.
 */
async function writeWhole(pc: PageContext, page: PreparedPage): Promise<void> {
  try {
    await writePage(pc, page, undefined, true);
  } catch (e) {
    if (!isCopyConflict(e)) throw e;
    await writePage(pc, page);
  }
}

async function writePage(pc: PageContext, page: PreparedPage, skipped?: SkippedRecord[], copyNew = false): Promise<void> {
  await inFencedTransaction(pc, async (em) => {
    await countAndRecord(em, pc, await writePageRows(em, pc.integration.id, page, new Date(), skipped, copyNew));
    pc.state.pages++;
    await pc.runs.saveProgress(pc.runId, pc.workerId, pc.state.progress(), em);
  });
}

export async function writeDocumentCategories(pc: PageContext, categories: UnifiedDocumentCategory[]): Promise<void> {
  const rows = categories.map((c) => documentCategoryRow(pc.integration.id, c));
  await inFencedTransaction(pc, async (em) => countAndRecord(em, pc, await writeCategories(em, pc.integration.id, rows, new Date())));
  for (const r of rows) pc.state.seen.employee_document_categories.add(r.remote_id);
}

/**
 * After a complete, error-free full read, inside the finishing transaction: everything
 * not seen is marked deleted, and employees showing a deleted record nested move too.
 */
export async function markDeletions(em: EntityManager, pc: PageContext): Promise<void> {
  await countAndRecord(em, pc, await deleteUnseen(em, pc.integration.id, pc.state.seen, new Date()));
}

/**
 * People a targeted re-read found gone upstream (the HRIS answered "not found"): their
 * employees and employments are marked deleted in one fenced page transaction, with
 * the same outbox events a full sync's deletion marking records.
 */
export async function writeGone(pc: PageContext, gone: { employees: string[]; employments: string[] }): Promise<void> {
  await inFencedTransaction(pc, async (em) => {
    await countAndRecord(em, pc, await deleteGone(em, pc.integration.id, gone, new Date()));
    await pc.runs.saveProgress(pc.runId, pc.workerId, pc.state.progress(), em);
  });
}
