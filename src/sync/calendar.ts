// Status follows the calendar even when the HRIS does not touch the record. An HRIS need
// not mark a person changed when a date merely passes (Personio is not known to), so a
// delta read would not return someone whose contract ended yesterday, and the LMS would
// keep them ACTIVE until the next full sync. After each delta read this pass re-derives
// the status of stored employees whose dates say otherwise, with the rule connectors map
// by (statusOnDate) on the company's calendar day, and writes them through the same store
// path as a page: hashes, changed_at, record events and data-changed as usual.
import { calendarToday } from '../../connectors/employment-status';
import { rederiveStatuses } from '../records/calendar';
import { countAndRecord, inFencedTransaction, PageContext } from './page-writer';

/** Employees re-derived per transaction; the query finds the rest in the next round. */
const BATCH = 1000;

/** Re-derives stored statuses for `now` in the account's time zone; returns how many employees changed. */
export async function applyCalendar(pc: PageContext, now: Date, utcOffsetMinutes: number): Promise<number> {
  const today = calendarToday(now, utcOffsetMinutes);
  const wanted = pc.integration.filters.employment_statuses?.length ? new Set(pc.integration.filters.employment_statuses) : null;
  let total = 0;
  for (;;) {
    const changedHere = await inFencedTransaction(pc, async (em) => {
      const { set, rederived } = await rederiveStatuses(em, pc.integration.id, today, wanted, BATCH, new Date());
      if (rederived === 0) return 0;
      await countAndRecord(em, pc, set);
      await pc.runs.saveProgress(pc.runId, pc.workerId, pc.state.progress(), em);
      return rederived;
    });
    pc.state.countCommitted();
    total += changedHere;
    if (changedHere < BATCH) return total;
  }
}
