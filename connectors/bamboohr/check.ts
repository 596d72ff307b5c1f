// The connect page's "Test" button: does the key work, and what can it not see?
// BambooHR silently leaves out fields the key's user may not see (get-employee
// omits them, the list names them in `_restrictedFields`, NOTES §12.4), so a
// sync would "work" yet deliver empty fields; this names each one.
import { ConnectorError, type CheckResult, type MissingItem } from '../connector';
import { formatSince, type BambooClient } from './client';
import { knownEmployeeIds } from './changes';
import { BAMBOOHR_REQUIREMENTS } from './connect-info';
import { fileCategories } from './documents';
import { LIST_FIELDS } from './fields';
import { isRefusal, listRefused } from './read-context';
import type { BambooListResponse } from './types';
import { text } from '../values';

/** List-endpoint fields that stand for a requirement (the manager exists only there, as an id). */
const LIST_FIELD_REQUIREMENT: Record<string, string> = { reportsToId: 'reportsTo', departmentId: 'department', divisionId: 'division', locationId: 'location' };

const WHERE = "In BambooHR, the API key sees what the user who created it sees: give that user's access level (Settings › Access Levels) view access to it.";

function failed(kind: 'AUTH' | 'PERMISSION' | 'UNREACHABLE', message: string): CheckResult {
  return { ok: false, error: { kind, message }, missing: [] };
}

function asCheckError(e: unknown): CheckResult {
  if (!(e instanceof ConnectorError) || e.kind === 'ABORTED') throw e;
  if (e.kind === 'AUTH_FAILED')
    return failed('AUTH', 'BambooHR did not accept this API key for this company domain. Check both, or create a new API key in BambooHR.');
  if (e.kind === 'PERMISSION_MISSING')
    return failed('PERMISSION', 'This API key may not read employees. Create the key as a user whose access level can see the employees.');
  if (e.kind === 'NOT_FOUND')
    return failed('UNREACHABLE', 'BambooHR does not know this company domain. Enter the part before .bamboohr.com of the address you log in at.');
  return failed('UNREACHABLE', `BambooHR could not be reached right now (${e.message}). Please try again in a minute.`);
}

const requirement = (key: string) => BAMBOOHR_REQUIREMENTS.find((r) => r.key === key)!;

function missingItem(key: string): MissingItem {
  const r = requirement(key);
  const optional = r.optional === true;
  const message =
    r.kind === 'attribute'
      ? `This API key cannot see the field "${r.label.en}" (needed for ${r.why.en}). ${WHERE}`
      : `This API key cannot use "${r.label.en}". ${r.why.en}`;
  return { kind: r.kind, key, message, ...(optional ? { optional } : {}) };
}

export async function checkBamboo(client: BambooClient, now: Date): Promise<CheckResult> {
  let firstId: string | null;
  const missing = new Set<string>();
  try {
    // One employee proves the key, the domain and employee access.
    const page = (await client.get('/employees', { 'page[limit]': 1, fields: LIST_FIELDS.join(',') }, 'employees')) as BambooListResponse | null;
    const row = Array.isArray(page?.data) ? page.data[0] : undefined;
    firstId = text(row?.employeeId);
    for (const f of Array.isArray(row?._restrictedFields) ? row._restrictedFields : []) {
      const key = LIST_FIELD_REQUIREMENT[String(f)];
      if (key) missing.add(key);
    }
  } catch (e) {
    if (!listRefused(e)) return asCheckError(e);
    // The list may be closed to API keys (OAuth-only in the spec): reads then take ids from the
    // change log, and the manager (only the list has it as an id) is what is lost.
    const ids = await knownEmployeeIds(client).catch((x: unknown) => x);
    if (!Array.isArray(ids)) return asCheckError(ids === null ? e : ids);
    firstId = ids[0] ?? null;
    missing.add('reportsTo');
  }
  const attributes = BAMBOOHR_REQUIREMENTS.filter((r) => r.kind === 'attribute' && r.key !== 'reportsTo').map((r) => r.key);
  const probes: Array<[string, () => Promise<unknown>]> = [
    ['changes', () => client.get('/employees/changed', { since: formatSince(new Date(now.getTime() - 60_000)) }, 'changes')],
    ['training', () => client.get('/training/type', undefined, 'training')],
    ['webhooks', () => client.get('/webhooks', undefined, 'webhooks')],
  ];
  if (firstId !== null) {
    const id = encodeURIComponent(firstId);
    probes.push([
      'attributes',
      async () => {
        const body = (await client.get(`/employees/${id}`, { fields: attributes.join(','), onlyCurrent: 'false' }, 'employees')) as Record<
          string,
          unknown
        > | null;
        // get-employee leaves out what the key may not see (an empty value still comes back).
        for (const k of attributes) if (!body || !(k in body)) missing.add(k);
      },
    ]);
    for (const t of ['jobInfo', 'employmentStatus', 'compensation'])
      probes.push([`table:${t}`, () => client.get(`/employees/${id}/tables/${t}`, undefined, 'tables')]);
    probes.push([
      'files',
      async () => {
        const cats = await fileCategories(client, firstId!);
        if (!cats.some((c) => text(c.canUploadFiles)?.toLowerCase() === 'yes')) missing.add('files');
      },
    ]);
  }
  // Independent probes, sent together (the client's limiter paces them): the Test button waits for the slowest, not the sum.
  const outcomes = await Promise.allSettled(probes.map(([, probe]) => probe()));
  for (const [i, outcome] of outcomes.entries()) {
    if (outcome.status === 'fulfilled') continue;
    // Not allowed (a missing item) rather than an outage; the first outage in probe order is the answer.
    if (!isRefusal(outcome.reason)) return asCheckError(outcome.reason);
    if (probes[i][0] !== 'attributes') missing.add(probes[i][0]);
  }
  const items = BAMBOOHR_REQUIREMENTS.filter((r) => missing.has(r.key)).map((r) => missingItem(r.key));
  return { ok: !items.some((m) => !m.optional), missing: items };
}
