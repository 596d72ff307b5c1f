// One page of a read as the unified tables take it: prepared (pure CPU) outside the
// transaction, then written inside the caller's: upsert what changed, mark employees
// that stopped matching the filters deleted, and move changed_at of employees whose
// nested records changed. The caller fences the transaction and hands the change
// list to the outbox (src/sync/page-writer.ts).
import type { EntityManager } from 'typeorm';
import type { RemoteIdSet } from '../../connectors/remote-id-set';
import type { UnifiedBatch } from '../../connectors/unified';
import { stableId } from '../common/ids';
import type { IntegrationFilters } from '../integrations/integration.entity';
import { ChangeSet } from './changes';
import { markDeletedByIds, markEmployeesDeleted, markExcludedDeleted, markUnseenDeleted } from './deletions';
import { PAGE_MODELS, PageModel, RecordModel } from './models';
import {
  employeeRow,
  employmentEmployeeId,
  employmentRow,
  groupRow,
  legalEntityRow,
  locationRow,
  matchesFilters,
  recordId,
  sourceHashOf,
  sourceScope,
  StoredRow,
} from './rows';
import { copyInSupported, countStoredUnchanged, existingRows, SkippedRecord, StoredCheck, staleEmployments, storedBySource, writeRows } from './store';

/** A page turned into rows (the CPU part: ids, data, hashes), ready to be written. */
export interface PreparedPage {
  rows: Record<PageModel, StoredRow[]>;
  /** Rows of employees (and their employments) that do not match the filters: marked deleted with this content. */
  excluded: { employees: StoredRow[]; employments: StoredRow[] };
}

/** Pure CPU, no I/O, in one go (the sync's read-ahead uses preparePageInSlices). */
export function preparePage(integrationId: string, filters: IntegrationFilters, batch: UnifiedBatch): PreparedPage {
  const steps = preparing(integrationId, filters, batch);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Rows built between two returns to the event loop in preparePageInSlices. */
const SLICE_ROWS = 5;

/**
 * preparePage in slices of SLICE_ROWS rows, returning to the event loop between them: the
 * current page's statements get their answers handled within a slice, so Postgres and this
 * process work at the same time instead of taking turns.
 */
export async function preparePageInSlices(integrationId: string, filters: IntegrationFilters, batch: UnifiedBatch): Promise<PreparedPage> {
  const steps = preparing(integrationId, filters, batch);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function* preparing(integrationId: string, filters: IntegrationFilters, batch: UnifiedBatch): Generator<void, PreparedPage> {
  const iid = integrationId;
  const rows: Record<PageModel, StoredRow[]> = {
    legal_entities: batch.legal_entities.map((l) => legalEntityRow(iid, l)),
    locations: batch.locations.map((l) => locationRow(iid, l)),
    groups: batch.groups.map((g) => groupRow(iid, g)),
    employees: [],
    employments: [],
  };
  yield;
  // Filters: employees that do not match are not stored, and their employments neither.
  const excludedRemoteIds = new Set<string>();
  const excluded: PreparedPage['excluded'] = { employees: [], employments: [] };
  const employeeIds = new Map<string, string>();
  const scope = sourceScope(filters);
  let n = 0;
  for (const e of batch.employees) {
    const r = employeeRow(iid, e, sourceHashOf(batch.source_fingerprints?.get(e.remote_id), scope));
    employeeIds.set(e.remote_id, r.id);
    if (matchesFilters(e, filters)) rows.employees.push(r);
    else {
      excludedRemoteIds.add(e.remote_id);
      excluded.employees.push(r);
    }
    if (++n % SLICE_ROWS === 0) yield;
  }
  for (const e of batch.employments) {
    const r = employmentRow(iid, e, employeeIds.get(e.employee_remote_id));
    if (excludedRemoteIds.has(e.employee_remote_id)) excluded.employments.push(r);
    else rows.employments.push(r);
    if (++n % SLICE_ROWS === 0) yield;
  }
  return { rows, excluded };
}

/** The remote ids of a page that changed nothing, per model (what the run counts and remembers as seen). */
export type UnchangedPage = Array<{ model: PageModel; remoteIds: string[] }>;

/**
 * Whether every row of the page is stored live with the same hash (one read-only query over
 * all its models), so writing it would change nothing. Returns the parts it checked, or null.
 */
export async function unchangedParts(em: EntityManager, integrationId: string, page: PreparedPage): Promise<UnchangedPage | null> {
  const { rows, excluded } = page;
  if (excluded.employees.length || excluded.employments.length) return null;
  const parts = PAGE_MODELS.map((model) => ({ model, rows: rows[model] })).filter((p) => p.rows.length > 0);
  const checks = parts.map(({ model, rows: r }) => ({ model, ids: r.map((x) => x.id), column: 'data_hash' as const, values: r.map((x) => x.hash) }));
  if (!(await allStored(em, integrationId, checks))) return null;
  return parts.map(({ model, rows: r }) => ({ model, remoteIds: r.map((x) => x.remote_id) }));
}

/**
 * The same answer for a page whose connector fingerprinted its sources, without reading its
 * records (which the connector may then never map): every employee is stored live with the
 * source hash of its fingerprint under these filters, and so is everything they name. What
 * the page holds besides its employees is then what the store holds for them (the contract
 * of UnifiedBatch.source_fingerprints). Null when the page has no fingerprints or any of
 * that does not hold.
 */
export async function unchangedSources(
  em: EntityManager,
  integrationId: string,
  filters: IntegrationFilters,
  batch: UnifiedBatch,
): Promise<UnchangedPage | null> {
  const fingerprints = batch.source_fingerprints;
  if (!fingerprints || fingerprints.size === 0) return null;
  const ids: string[] = [];
  const sources: string[] = [];
  const scope = sourceScope(filters);
  for (const [remoteId, fingerprint] of fingerprints) {
    ids.push(recordId(integrationId, 'employees', remoteId));
    sources.push(sourceHashOf(fingerprint, scope)!);
  }
  const found = await storedBySource(em, integrationId, ids, sources);
  const parts = new Map<PageModel, string[]>(PAGE_MODELS.map((m) => [m, []]));
  for (const f of found) {
    if (!f.live || f.remote_id === null) return null;
    parts.get(f.model as PageModel)!.push(f.remote_id);
  }
  if (parts.get('employees')!.length !== fingerprints.size) return null;
  return [...parts].map(([model, remoteIds]) => ({ model, remoteIds }));
}

async function allStored(em: EntityManager, integrationId: string, checks: StoredCheck[]): Promise<boolean> {
  const total = checks.reduce((n, c) => n + c.ids.length, 0);
  return total > 0 && (await countStoredUnchanged(em, integrationId, checks)) === total;
}

/**
 * Writes a prepared page inside the caller's transaction. With `skipped`, records are written
 * one by one and those Postgres refuses are added to it (an employment whose employee was
 * refused is left out with it). The stored rows of all its models are looked up in one
 * statement; with `copyNew` (and a server that takes it), rows found nowhere are inserted by
 * COPY (store.ts copyNewRows: the caller writes the page again without it on isCopyConflict).
 */
export async function writePage(
  em: EntityManager,
  integrationId: string,
  page: PreparedPage,
  now: Date,
  skipped?: SkippedRecord[],
  copyNew = false,
): Promise<ChangeSet> {
  const set = new ChangeSet();
  const skip = skipped && ((s: SkippedRecord) => skipped.push(s));
  let employeesCreated = 0;
  const existing = await existingRows(
    em,
    integrationId,
    PAGE_MODELS.map((model) => ({ model, ids: page.rows[model].map((r) => r.id) })),
  );
  const copy = copyNew && !skipped && (await copyInSupported(em));
  for (const model of PAGE_MODELS) {
    let modelRows = page.rows[model];
    if (skipped && model === 'employments') modelRows = withoutSkippedEmployees(modelRows, skipped, existing.get('employees')!);
    const written = await writeRows(em, integrationId, model, modelRows, now, skip, { existing: existing.get(model), copyNew: copy });
    if (model === 'employees') employeesCreated = written.counts.created;
    set.add(model, written);
  }
  for (const model of ['employees', 'employments'] as const) {
    set.add(model, await markExcludedDeleted(em, integrationId, model, page.excluded[model], now));
  }
  // Employees this page created had nothing stored, so no employment of theirs can be stale
  // (employments are only ever stored with their employee): a first sync skips the lookup.
  if (employeesCreated < page.rows.employees.length) {
    const stale = await staleEmployments(
      em,
      integrationId,
      page.rows.employees.map((r) => r.id),
      page.rows.employments.map((r) => r.id),
    );
    set.add('employments', await markDeletedByIds(em, integrationId, 'employments', stale, now));
  }
  return set.propagate(em, integrationId, now);
}

/** An employment is not written without its employee: one whose new employee was skipped is skipped with it. */
function withoutSkippedEmployees(rows: StoredRow[], skipped: SkippedRecord[], storedEmployees: ReadonlyMap<string, unknown>): StoredRow[] {
  // The page's lookup (existingRows) already says which of its employees are stored.
  const gone = new Set(skipped.filter((s) => s.model === 'employees' && !storedEmployees.has(s.id)).map((s) => s.id));
  if (gone.size === 0) return rows;
  return rows.filter((r) => {
    if (!gone.has(employmentEmployeeId(r))) return true;
    skipped.push({ model: 'employments', id: r.id, remote_id: r.remote_id, reason: 'its employee could not be stored' });
    return false;
  });
}

/** Upserts the document categories (they come in one list, not in pages). */
export async function writeCategories(em: EntityManager, integrationId: string, rows: StoredRow[], now: Date): Promise<ChangeSet> {
  const set = new ChangeSet();
  set.add('employee_document_categories', await writeRows(em, integrationId, 'employee_document_categories', rows, now));
  return set;
}

/** After a complete, error-free full read: everything not seen is marked deleted, and employees showing a deleted record nested move too. */
export async function deleteUnseen(em: EntityManager, integrationId: string, seen: Record<RecordModel, RemoteIdSet>, now: Date): Promise<ChangeSet> {
  const set = new ChangeSet();
  const models = [...PAGE_MODELS, 'employee_document_categories'] as const;
  const marked = await markUnseenDeleted(
    em,
    integrationId,
    models.map((m) => [m, seen[m]] as const),
    now,
  );
  for (const [model, result] of marked) set.add(model, result);
  return set.propagate(em, integrationId, now);
}

/** People the HRIS answered "not found" for (by remote id): their employees and employments are marked deleted. */
export async function deleteGone(
  em: EntityManager,
  integrationId: string,
  gone: { employees: string[]; employments: string[] },
  now: Date,
): Promise<ChangeSet> {
  const set = new ChangeSet();
  const people = await markEmployeesDeleted(
    em,
    integrationId,
    gone.employees.map((remoteId) => stableId(integrationId, 'employees', remoteId)),
    now,
  );
  set.add('employees', people.employees);
  set.add('employments', people.employments);
  const employments = gone.employments.map((remoteId) => stableId(integrationId, 'employments', remoteId));
  set.add('employments', await markDeletedByIds(em, integrationId, 'employments', employments, now));
  return set.propagate(em, integrationId, now);
}
