// The calendar pass's part on the unified tables (src/sync/calendar.ts runs it): stored
// employees whose status their dates contradict on a given day, re-derived and written
// through the same store path as a page (hashes, changed_at, the change list).
import type { EntityManager } from 'typeorm';
import { statusOnDate } from '../../connectors/employment-status';
import { rowsOf } from '../database/rows';
import { ChangeSet } from './changes';
import { markEmployeesDeleted } from './deletions';
import { employeeStatus, storedEmployeeRow } from './rows';
import { writeRows } from './store';

interface StoredEmployee {
  id: string;
  remote_id: string;
  employment_status: string | null;
  data: Record<string, unknown>;
  remote_data: unknown;
  remote_fields: Record<string, unknown>;
  group_ids: string[];
  source_hash: string | null;
}

const text = (v: unknown) => (typeof v === 'string' ? v : null);

/**
 * Candidates are exactly the rows statusOnDate would change on `day`: terminated but not
 * INACTIVE; not started but neither PENDING nor INACTIVE; started but still PENDING or unknown.
 * Dates are unified ISO strings, compared on their date part byte-wise.
 */
const CANDIDATES = `
  SELECT id, remote_id, employment_status, data, remote_data, remote_fields, group_ids, source_hash FROM hris_employees
   WHERE integration_id = $1 AND remote_deleted_at IS NULL AND (
         (left(data->>'termination_date', 10) COLLATE "C" < $2 AND employment_status IS DISTINCT FROM 'INACTIVE')
      OR (left(data->>'start_date', 10) COLLATE "C" > $2 AND employment_status IS DISTINCT FROM 'PENDING' AND employment_status IS DISTINCT FROM 'INACTIVE')
      OR (left(data->>'start_date', 10) COLLATE "C" <= $2 AND (employment_status = 'PENDING' OR employment_status IS NULL)))
   ORDER BY id LIMIT $3`;

/**
 * Re-derives the status of up to `limit` stored employees for `today` (the company's calendar
 * day, `YYYY-MM-DD…`). With `wanted` (the integration's status filter), an employee whose new
 * status no longer matches leaves the store with its employments, as in a page.
 * Returns the change set and how many employees were re-derived.
 */
export async function rederiveStatuses(
  em: EntityManager,
  integrationId: string,
  today: string,
  wanted: Set<string> | null,
  limit: number,
  now: Date,
): Promise<{ set: ChangeSet; rederived: number }> {
  const iid = integrationId;
  const set = new ChangeSet();
  const stored = rowsOf<StoredEmployee>(await em.query(CANDIDATES, [iid, today.slice(0, 10), limit]));
  const rows = stored
    .map((s) => ({ s, status: statusOnDate(s.employment_status, text(s.data.start_date), text(s.data.termination_date), today) }))
    .filter(({ s, status }) => status !== s.employment_status)
    .map(({ s, status }) => storedEmployeeRow(s, status));
  if (rows.length === 0) return { set, rederived: 0 };
  set.add('employees', await writeRows(em, iid, 'employees', rows, now));
  const excluded = wanted ? rows.filter((r) => !wanted.has(employeeStatus(r) as string)).map((r) => r.id) : [];
  if (excluded.length) {
    const gone = await markEmployeesDeleted(em, iid, excluded, now);
    set.add('employees', gone.employees);
    set.add('employments', gone.employments);
  }
  await set.propagate(em, iid, now);
  return { set, rederived: rows.length };
}
