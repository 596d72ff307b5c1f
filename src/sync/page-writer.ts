// One page of a read → one transaction: fence the lease, upsert what changed,
// mark employees that stopped matching the filters deleted, move changed_at of
// employees whose nested records changed, and record the changes in the outbox.
import type { DataSource, EntityManager } from 'typeorm';
import { RemoteIdSet } from '../../connectors/remote-id-set';
import { stableId } from '../common/ids';
import { rowsOf } from '../database/rows';
import type { UnifiedBatch, UnifiedDocumentCategory } from '../../connectors/unified';
import type { IntegrationFilters } from '../integrations/integration.entity';
import { recordChanges, RecordChange } from '../webhooks/outbox';
import {
  documentCategoryRow, employeeRow, employmentEmployeeId, employmentRow, groupRow, legalEntityRow, locationRow, matchesFilters, PAGE_MODELS, StoredRow, SyncedModel,
} from './records';
import {
  countStoredUnchanged, isUnstorableRecord, markDeletedByIds, markExcludedDeleted, markUnseenDeleted, ModelCounts, propagateNested, SkippedRecord, WriteResult, writeRows, zeroCounts,
} from './store';
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
  readonly counts: Partial<Record<SyncedModel, ModelCounts>> = {};
  readonly seen: Record<SyncedModel, RemoteIdSet> = {
    employees: new RemoteIdSet(), employments: new RemoteIdSet(), groups: new RemoteIdSet(), legal_entities: new RemoteIdSet(), locations: new RemoteIdSet(),
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

  /** Counts of a page whose transaction rolled back must not stay counted. */
  snapshot(): () => void {
    const counts = JSON.stringify(this.counts);
    const pages = this.pages;
    return () => {
      for (const k of Object.keys(this.counts) as SyncedModel[]) delete this.counts[k];
      Object.assign(this.counts, JSON.parse(counts));
      this.pages = pages;
    };
  }

  add(model: SyncedModel, c: ModelCounts): void {
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
    for (const [model, c] of Object.entries(this.counts) as [SyncedModel, ModelCounts][]) {
      const was = (this.counted[model] ??= zeroCounts());
      for (const action of ['created', 'updated', 'deleted'] as const) if (c[action] > was[action]) syncRecords.inc({ model, action }, c[action] - was[action]);
      Object.assign(was, c);
    }
  }

  private readonly counted: Partial<Record<SyncedModel, ModelCounts>> = {};
}

export interface PageContext {
  ds: DataSource;
  runs: SyncRunsRepository;
  runId: string;
  workerId: string;
  integration: { id: string; environmentId: string; filters: IntegrationFilters };
  state: RunState;
}

/** Changes whose effect shows nested in employees, collected per page for propagateNested. */
class NestedChanges {
  managers: string[] = [];
  groups: string[] = [];
  legalEntities: string[] = [];
  locations: string[] = [];
  employeesOfEmployments: string[] = [];

  add(model: SyncedModel, ids: string[]): void {
    if (!ids.length) return;
    const target = { employees: this.managers, groups: this.groups, legal_entities: this.legalEntities, locations: this.locations, employments: this.employeesOfEmployments }[
      model as Exclude<SyncedModel, 'employee_document_categories'>
    ];
    target?.push(...ids);
  }
}

/** Opens the page transaction after checking this worker still holds the run and nobody asked it to stop. */
export async function inFencedTransaction<T>(pc: PageContext, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  return pc.ds.transaction(async (em) => {
    const hb = await pc.runs.heartbeat(pc.runId, pc.workerId, em);
    if (!hb.alive) throw new SyncStopped('lease');
    if (hb.cancelRequested) throw new SyncStopped('cancel');
    return fn(em);
  });
}

function apply(pc: PageContext, model: SyncedModel, res: WriteResult, changes: RecordChange[], nested: NestedChanges): void {
  pc.state.add(model, res.counts);
  changes.push(...res.changes);
  nested.add(model, res.nestedChangedIds);
}

type PageModel = Exclude<SyncedModel, 'employee_document_categories'>;

/** A page turned into rows (the CPU part: ids, data, hashes), ready to be written. */
export interface PreparedPage {
  rows: Record<PageModel, StoredRow[]>;
  /** Rows of employees (and their employments) that do not match the filters: marked deleted with this content. */
  excluded: { employees: StoredRow[]; employments: StoredRow[] };
}

/**
 * Pure CPU, no I/O: the runner prepares the next page while the current one's
 * transaction waits on Postgres, so hashing overlaps database time.
 */
export function preparePage(integrationId: string, filters: IntegrationFilters, batch: UnifiedBatch): PreparedPage {
  const iid = integrationId;
  const rows: Record<PageModel, StoredRow[]> = {
    legal_entities: batch.legal_entities.map((l) => legalEntityRow(iid, l)),
    locations: batch.locations.map((l) => locationRow(iid, l)),
    groups: batch.groups.map((g) => groupRow(iid, g)),
    employees: [],
    employments: [],
  };
  // Filters: employees that do not match are not stored, and their employments neither.
  const excludedRemoteIds = new Set<string>();
  const excluded: PreparedPage['excluded'] = { employees: [], employments: [] };
  const employeeIds = new Map<string, string>();
  for (const e of batch.employees) {
    const r = employeeRow(iid, e);
    employeeIds.set(e.remote_id, r.id);
    if (matchesFilters(e, filters)) rows.employees.push(r);
    else {
      excludedRemoteIds.add(e.remote_id);
      excluded.employees.push(r);
    }
  }
  for (const e of batch.employments) {
    const r = employmentRow(iid, e, employeeIds.get(e.employee_remote_id));
    if (excludedRemoteIds.has(e.employee_remote_id)) excluded.employments.push(r);
    else rows.employments.push(r);
  }
  return { rows, excluded };
}

/**
 * Writes a page in one transaction. When Postgres refuses a record's content, the page is
 * written again record by record: only the refused records are left out (and reported),
 * the rest of the page is stored, and the skipped ones still count as seen, so deletion
 * marking never takes them for gone.
 */
export async function writeBatch(pc: PageContext, page: PreparedPage): Promise<void> {
  if (pc.state.lastPageUnchanged && (await skipUnchangedPage(pc, page))) return;
  const restore = pc.state.snapshot();
  const before = pc.state.totals();
  try {
    await writePage(pc, page);
  } catch (e) {
    if (!isUnstorableRecord(e)) throw e;
    restore();
    const skipped: SkippedRecord[] = [];
    await writePage(pc, page, skipped);
    skipped.forEach((s) => pc.state.skip(s));
  }
  pc.state.countCommitted();
  const after = pc.state.totals();
  pc.state.lastPageUnchanged = after.created === before.created && after.updated === before.updated && after.deleted === before.deleted;
  pageCommitted(pc, page);
}

/** Remembered for deletion marking only once the page is committed. */
function pageCommitted(pc: PageContext, { rows, excluded }: PreparedPage): void {
  pc.state.employeesRead += rows.employees.length + excluded.employees.length;
  for (const model of Object.keys(rows) as (keyof typeof rows)[]) for (const r of rows[model]) pc.state.seen[model].add(r.remote_id);
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
async function skipUnchangedPage(pc: PageContext, page: PreparedPage): Promise<boolean> {
  const { rows, excluded } = page;
  if (excluded.employees.length || excluded.employments.length) return false;
  const parts = PAGE_MODELS.map((model) => ({ model, rows: rows[model as PageModel] })).filter((p) => p.rows.length > 0);
  const total = parts.reduce((n, p) => n + p.rows.length, 0);
  if (total === 0 || (await countStoredUnchanged(pc.ds.manager, pc.integration.id, parts)) !== total) {
    pc.state.lastPageUnchanged = false;
    return false;
  }
  for (const { model, rows: r } of parts) apply(pc, model, { counts: { ...zeroCounts(), unchanged: r.length }, changes: [], nestedChangedIds: [] }, [], new NestedChanges());
  pc.state.pages++;
  pageCommitted(pc, page);
  const now = Date.now();
  if (now - pc.state.unchangedProgressSavedAt >= UNCHANGED_PROGRESS_MS) {
    pc.state.unchangedProgressSavedAt = now;
    await pc.runs.saveProgress(pc.runId, pc.state.progress(), pc.ds.manager);
  }
  return true;
}

async function writePage(pc: PageContext, page: PreparedPage, skipped?: SkippedRecord[]): Promise<void> {
  const iid = pc.integration.id;
  const { rows, excluded } = page;
  await inFencedTransaction(pc, async (em) => {
    const now = new Date();
    const changes: RecordChange[] = [];
    const nested = new NestedChanges();
    const skip = skipped && ((s: SkippedRecord) => skipped.push(s));
    for (const model of PAGE_MODELS) {
      let modelRows = rows[model as keyof typeof rows];
      if (skipped && model === 'employments') modelRows = await withoutSkippedEmployees(em, iid, modelRows, skipped);
      apply(pc, model, await writeRows(em, iid, model, modelRows, now, skip), changes, nested);
    }
    for (const model of ['employees', 'employments'] as const) {
      apply(pc, model, await markExcludedDeleted(em, iid, model, excluded[model], now), changes, nested);
    }
    changes.push(...(await propagateNested(em, iid, nested, now)));
    await recordChanges(em, pc.integration, changes);
    pc.state.pages++;
    await pc.runs.saveProgress(pc.runId, pc.state.progress(), em);
  });
}

/** An employment is not written without its employee: one whose new employee was skipped is skipped with it. */
async function withoutSkippedEmployees(em: EntityManager, iid: string, rows: StoredRow[], skipped: SkippedRecord[]): Promise<StoredRow[]> {
  const gone = new Set(skipped.filter((s) => s.model === 'employees').map((s) => s.id));
  if (gone.size === 0) return rows;
  const stored = rowsOf<{ id: string }>(await em.query(`SELECT id FROM hris_employees WHERE integration_id = $1 AND id = ANY($2::text[])`, [iid, [...gone]]));
  stored.forEach((r) => gone.delete(r.id));
  return rows.filter((r) => {
    if (!gone.has(employmentEmployeeId(r))) return true;
    skipped.push({ model: 'employments', id: r.id, remote_id: r.remote_id, reason: 'its employee could not be stored' });
    return false;
  });
}

export async function writeDocumentCategories(pc: PageContext, categories: UnifiedDocumentCategory[]): Promise<void> {
  const rows = categories.map((c) => documentCategoryRow(pc.integration.id, c));
  await inFencedTransaction(pc, async (em) => {
    const changes: RecordChange[] = [];
    apply(pc, 'employee_document_categories', await writeRows(em, pc.integration.id, 'employee_document_categories', rows, new Date()), changes, new NestedChanges());
    await recordChanges(em, pc.integration, changes);
  });
  for (const r of rows) pc.state.seen.employee_document_categories.add(r.remote_id);
}

/**
 * After a complete, error-free full read, inside the finishing transaction: everything
 * not seen is marked deleted, and employees showing a deleted record nested move too.
 */
export async function markDeletions(em: EntityManager, pc: PageContext, models: SyncedModel[]): Promise<void> {
  const now = new Date();
  const changes: RecordChange[] = [];
  const nested = new NestedChanges();
  for (const model of models) apply(pc, model, await markUnseenDeleted(em, pc.integration.id, model, pc.state.seen[model], now), changes, nested);
  changes.push(...(await propagateNested(em, pc.integration.id, nested, now)));
  await recordChanges(em, pc.integration, changes);
}

/**
 * People a targeted re-read found gone upstream (the HRIS answered "not found"): their
 * employees and employments are marked deleted in one fenced page transaction, with
 * the same outbox events a full sync's deletion marking records.
 */
export async function writeGone(pc: PageContext, gone: { employees: string[]; employments: string[] }): Promise<void> {
  const iid = pc.integration.id;
  await inFencedTransaction(pc, async (em) => {
    const now = new Date();
    const changes: RecordChange[] = [];
    const nested = new NestedChanges();
    for (const model of ['employees', 'employments'] as const) {
      const ids = gone[model].map((remoteId) => stableId(iid, model, remoteId));
      apply(pc, model, await markDeletedByIds(em, iid, model, ids, now), changes, nested);
    }
    changes.push(...(await propagateNested(em, iid, nested, now)));
    await recordChanges(em, pc.integration, changes);
    await pc.runs.saveProgress(pc.runId, pc.state.progress(), em);
  });
}

export { PAGE_MODELS };
