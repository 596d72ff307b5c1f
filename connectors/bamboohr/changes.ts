// BambooHR's change log (GET /employees/changed, NOTES §4.4): deltas, deletions,
// and — asked about all time — the list of every employee id, for keys that may
// not use the cursor list (it is OAuth-only in the spec; UNVERIFIED for keys).
import { text } from '../values';
import type { BambooClient } from './client';
import { listRefused } from './read-context';
import type { BambooChangedResponse } from './types';

/** Before BambooHR's change tracking began (2011-06-05): "changed since then" is everyone. */
export const TRACKING_START = '2011-01-01T00:00:00Z';

/** /employees/changed as a list; `employees` is a map keyed by id (an array is accepted too). */
export function changes(body: BambooChangedResponse | null): Array<{ id: string; action: 'inserted' | 'updated' | 'deleted' }> {
  const emps = body?.employees;
  const entries = Array.isArray(emps) ? emps.map((e) => [undefined, e] as const) : Object.entries(emps ?? {});
  const out: Array<{ id: string; action: 'inserted' | 'updated' | 'deleted' }> = [];
  for (const [k, e] of entries) {
    const v = (e ?? {}) as { id?: unknown; action?: unknown };
    const id = text(v.id) ?? (k !== undefined ? text(k) : null);
    const action = text(v.action)?.toLowerCase();
    if (id === null || !/^\d{1,18}$/.test(id)) continue;
    out.push({ id, action: action === 'deleted' ? 'deleted' : action === 'inserted' ? 'inserted' : 'updated' });
  }
  return out;
}

/**
 * Every employee id there is, ascending, from the change log asked about all time.
 * Null when the key may not ask either (then the key itself is the problem).
 */
export async function knownEmployeeIds(c: BambooClient): Promise<string[] | null> {
  try {
    const body = (await c.get('/employees/changed', { since: TRACKING_START }, 'changes')) as BambooChangedResponse | null;
    return changes(body)
      .filter((x) => x.action !== 'deleted')
      .map((x) => x.id)
      .sort((a, b) => Number(a) - Number(b));
  } catch (e) {
    if (listRefused(e)) return null;
    throw e;
  }
}
