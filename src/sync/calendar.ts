// Status follows the calendar even when the HRIS does not touch the record. An HRIS need
// not mark a person changed when a date merely passes (Personio is not known to), so a
// delta read would not return someone whose contract ended yesterday, and the LMS would
// keep them ACTIVE until the next full sync. After each delta read this pass re-derives
// the status of stored employees whose dates say otherwise, with the rule connectors map
// by (statusOnDate) on the company's calendar day, and writes them through the same store
// path as a page: hashes, changed_at, record events and data-changed as usual.
import { calendarToday, statusOnDate } from '../../connectors/employment-status';
import type { RecordChange } from '../webhooks/outbox';
import { recordChanges } from '../webhooks/outbox';
import { inFencedTransaction, PageContext } from './page-writer';
import { storedEmployeeRow, SyncedModel } from './records';
import { rowsOf } from '../database/rows';
import { markDeletedByIds, propagateNested, WriteResult, writeRows } from './store';

/** Employees re-derived per transaction; the query finds the rest in the next round. */
const BATCH = 1000;

interface StoredEmployee {
  id: string;
  remote_id: string;
  employment_status: string | null;
  data: Record<string, unknown>;
  remote_data: unknown;
  group_ids: string[];
}

const text = (v: unknown) => (typeof v === 'string' ? v : null);

/**
 * Candidates are exactly the rows statusOnDate would change on `day`: terminated but not
 * INACTIVE; not started but neither PENDING nor INACTIVE; started but still PENDING or unknown.
 * Dates are unified ISO strings, compared on their date part byte-wise.
 */
const CANDIDATES = `
  SELECT id, remote_id, employment_status, data, remote_data, group_ids FROM hris_employees
   WHERE integration_id = $1 AND remote_deleted_at IS NULL AND (
         (left(data->>'termination_date', 10) COLLATE "C" < $2 AND employment_status IS DISTINCT FROM 'INACTIVE')
      OR (left(data->>'start_date', 10) COLLATE "C" > $2 AND employment_status IS DISTINCT FROM 'PENDING' AND employment_status IS DISTINCT FROM 'INACTIVE')
      OR (left(data->>'start_date', 10) COLLATE "C" <= $2 AND (employment_status = 'PENDING' OR employment_status IS NULL)))
   ORDER BY id LIMIT $3`;

/** Re-derives stored statuses for `now` in the account's time zone; returns how many employees changed. */
export async function applyCalendar(pc: PageContext, now: Date, utcOffsetMinutes: number): Promise<number> {
  const today = calendarToday(now, utcOffsetMinutes);
  const iid = pc.integration.id;
  const wanted = pc.integration.filters.employment_statuses?.length ? new Set(pc.integration.filters.employment_statuses) : null;
  let total = 0;
  for (;;) {
    const changedHere = await inFencedTransaction(pc, async (em) => {
      const stored = rowsOf<StoredEmployee>(await em.query(CANDIDATES, [iid, today.slice(0, 10), BATCH]));
      const rows = stored
        .map((s) => ({ s, status: statusOnDate(s.employment_status, text(s.data.start_date), text(s.data.termination_date), today) }))
        .filter(({ s, status }) => status !== s.employment_status)
        .map(({ s, status }) => storedEmployeeRow(s, status));
      if (rows.length === 0) return 0;
      const at = new Date();
      const changes: RecordChange[] = [];
      const managers: string[] = [];
      const employmentsOf: string[] = [];
      const add = (model: SyncedModel, res: WriteResult) => {
        pc.state.add(model, res.counts);
        changes.push(...res.changes);
        (model === 'employees' ? managers : employmentsOf).push(...res.nestedChangedIds);
      };
      add('employees', await writeRows(em, iid, 'employees', rows, at));
      // With a status filter, an employee whose new status no longer matches leaves the store, as in a page.
      const excluded = wanted ? rows.filter((r) => !wanted.has(r.columns[0] as string)).map((r) => r.id) : [];
      if (excluded.length) {
        add('employees', await markDeletedByIds(em, iid, 'employees', excluded, at));
        const employments = rowsOf<{ id: string }>(await em.query(
          `SELECT id FROM hris_employments WHERE integration_id = $1 AND employee_id = ANY($2::text[])`, [iid, excluded]));
        add('employments', await markDeletedByIds(em, iid, 'employments', employments.map((e) => e.id), at));
      }
      changes.push(...(await propagateNested(em, iid, { managers, groups: [], legalEntities: [], locations: [], employeesOfEmployments: employmentsOf }, at)));
      await recordChanges(em, pc.integration, changes);
      await pc.runs.saveProgress(pc.runId, pc.state.progress(), em);
      return rows.length;
    });
    pc.state.countCommitted();
    total += changedHere;
    if (changedHere < BATCH) return total;
  }
}
