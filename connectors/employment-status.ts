// The rule that turns an HRIS's employment status and contract dates into the unified
// employment_status. It is not one connector's: connectors apply it when they map a record,
// and the sync engine applies it again as days pass to records the HRIS does not send
// again (an HRIS need not mark a record changed because a date went by; src/sync/calendar.ts).
import type { UnifiedEmploymentStatus } from './unified';

type Status = UnifiedEmploymentStatus | (string & {});

let lastToday = { ms: NaN, offsetMinutes: NaN, iso: '' };

/** Today's calendar date for an account `offsetMinutes` east of UTC, as midnight UTC (how unified dates are written). */
export function calendarToday(now: Date, offsetMinutes: number): string {
  const ms = now.getTime();
  // A sync asks once per employee with the same clock and offset; Date#toISOString costs ~2 µs.
  if (ms !== lastToday.ms || offsetMinutes !== lastToday.offsetMinutes) {
    lastToday = { ms, offsetMinutes, iso: new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 10) + 'T00:00:00.000Z' };
  }
  return lastToday.iso;
}

const day = (iso: string) => iso.slice(0, 10);

/**
 * Contract dates beat the HRIS's status, which HR often updates late:
 * - after the termination date → INACTIVE (on the day itself the person is still employed);
 * - before the start date → PENDING, except a withdrawn hire (INACTIVE) stays INACTIVE;
 * - from the start date on, PENDING or unknown → ACTIVE (HRIS such as Personio move
 *   onboarding people to active on their hire date by themselves);
 * - otherwise the HRIS's status, already mapped to the unified enum.
 * Applying it again later gives what applying it to the HRIS's status then would (for
 * PENDING, ACTIVE, INACTIVE and unknown; LEAVE or an unmapped value before the start date
 * comes back ACTIVE until the record is read again), so the sync engine can re-derive a
 * stored status without reading the record.
 */
export function statusOnDate(status: Status | null, startDate: string | null, terminationDate: string | null, today: string): Status | null {
  const t = day(today);
  if (terminationDate !== null && day(terminationDate) < t) return 'INACTIVE';
  if (startDate !== null && t < day(startDate)) return status === 'INACTIVE' ? 'INACTIVE' : 'PENDING';
  if (startDate !== null && (status === 'PENDING' || status === null)) return 'ACTIVE';
  return status;
}
