// BambooHR reads: full (the cursor list, restarted on BadPage, with the org
// records first and deletions during the read reported), delta (the changed-since
// API) and targeted (given ids), all mapped page by page through records.ts.
import { ConnectorError, type PeopleRead, type ReadOptions } from '../connector';
import { RemoteIdSet } from '../remote-id-set';
import type { UnifiedBatch } from '../unified';
import { text } from '../values';
import { changes, knownEmployeeIds } from './changes';
import { BambooClient, formatSince } from './client';
import { LIST_FIELDS } from './fields';
import { isRefusal, setup, type BambooCtx, type Emitted, type ReadTuning, type Setup } from './read-context';
import { listRowsFor, merge, orgRecords, readBatch } from './records';
import { changedTables, tablesFor, tablesOfAll } from './tables';
import type { BambooChangedResponse, BambooListResponse, BambooListRow } from './types';

/** Deletions are asked for from a little before the read began: the gateway's and BambooHR's clocks differ. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Ids of employees BambooHR reports deleted since `since` (null when the key may not ask). */
async function deletedSince(c: BambooClient, since: Date): Promise<string[] | null> {
  try {
    const body = (await c.get('/employees/changed', { since: formatSince(since), type: 'deleted' }, 'changes')) as BambooChangedResponse | null;
    return changes(body)
      .filter((x) => x.action === 'deleted')
      .map((x) => x.id);
  } catch (e) {
    if (isRefusal(e)) return null;
    throw e;
  }
}

async function* fullRead(ctx: BambooCtx, c: BambooClient, s: Setup, t: ReadTuning, opts: ReadOptions): AsyncGenerator<UnifiedBatch> {
  const { pageSize, maxPasses } = t;
  const startedAt = ctx.now();
  const tables = await tablesOfAll(c);
  const emitted: Emitted = { groups: new Set(), locations: new Set() };
  let pending: UnifiedBatch | null = orgRecords(s, emitted);
  const yielded = new RemoteIdSet();
  const employmentsOf = new Map<string, string[]>();
  const gone: string[] = [];
  /** Reads and maps one page of people; the first page also carries the org records. */
  const readPage = async (ids: string[], rows: Map<string, BambooListRow>): Promise<UnifiedBatch | null> => {
    const batch = await readBatch(ctx, c, s, ids, rows, tables, emitted, gone);
    for (const e of batch.employees) yielded.add(e.remote_id);
    if (opts.onVanished)
      for (const e of batch.employments) employmentsOf.set(e.employee_remote_id, [...(employmentsOf.get(e.employee_remote_id) ?? []), e.remote_id]);
    const out: UnifiedBatch = pending ? merge(pending, batch) : batch;
    pending = null;
    return out.employees.length || out.groups.length || out.locations.length ? out : null;
  };
  async function* readListed(ids: string[]): AsyncGenerator<UnifiedBatch> {
    for (let i = 0; i < ids.length; i += pageSize) {
      const out = await readPage(ids.slice(i, i + pageSize), new Map());
      if (out) yield out;
    }
  }
  for (let pass = 1; ; pass++) {
    let cursor: string | null = null;
    let restart = false;
    do {
      const params: Record<string, unknown> = { 'page[limit]': pageSize, fields: LIST_FIELDS.join(','), sort: 'employeeId' };
      if (cursor) params['page[after]'] = cursor;
      const res = await c.request({ method: 'GET', path: '/employees', params, idempotent: true, endpoint: 'employees', throwOnStatus: false });
      // BadPage: the employee the cursor points at changed or went away; the list is read again from the start.
      if (res.status === 400 && (res.data as { error?: { code?: unknown } } | null)?.error?.code === 'BadPage' && cursor) {
        // A list that keeps changing is a passing state upstream, not a wrong request: retried by the sync engine later.
        if (pass >= maxPasses)
          throw c.fail('UPSTREAM_UNAVAILABLE', `BambooHR's employee list changed under ${pass} consecutive reads`, 'employees', 400, 'BadPage');
        ctx.logger.warn({ tool: 'bamboohr', pass }, 'bamboohr: the employee list changed under the cursor; reading it again from the start');
        restart = true;
        break;
      }
      if ((res.status === 401 || res.status === 403) && cursor === null && pass === 1) {
        const ids = await knownEmployeeIds(c);
        if (ids === null) throw c.statusError(res, 'employees');
        ctx.logger.warn({ tool: 'bamboohr', status: res.status }, 'bamboohr: this key may not use the employee list; reading ids from the changed-since API');
        yield* readListed(ids.filter((id) => !yielded.has(id)));
        break;
      }
      if (res.status >= 400) throw c.statusError(res, 'employees');
      const page = res.data as BambooListResponse | null;
      const rows = new Map<string, BambooListRow>();
      for (const r of Array.isArray(page?.data) ? page.data : []) {
        const id = text(r?.employeeId);
        if (id !== null && !yielded.has(id)) rows.set(id, r);
      }
      const out = await readPage([...rows.keys()], rows);
      if (out) yield out;
      cursor = text(page?.meta?.page?.nextCursor);
    } while (cursor);
    if (!restart) break;
  }
  if (pending) yield pending;
  // People yielded and deleted before the read ended must not count as seen.
  if (opts.onVanished) {
    const deleted = ((await deletedSince(c, new Date(startedAt.getTime() - CLOCK_SKEW_MS))) ?? []).filter((id) => yielded.has(id));
    if (deleted.length) opts.onVanished({ employees: deleted, employments: deleted.flatMap((id) => employmentsOf.get(id) ?? []) });
  }
}

async function* deltaRead(ctx: BambooCtx, c: BambooClient, s: Setup, t: ReadTuning, since: Date, opts: ReadOptions): AsyncGenerator<UnifiedBatch> {
  const { pageSize, perPersonMax } = t;
  let body: BambooChangedResponse | null;
  try {
    body = (await c.get('/employees/changed', { since: formatSince(since) }, 'changes')) as BambooChangedResponse | null;
  } catch (e) {
    if (!(e instanceof ConnectorError && e.kind === 'PERMISSION_MISSING')) throw e;
    // Without the changed-since API every delta is a full read: slower, same result.
    ctx.logger.warn({ tool: 'bamboohr' }, 'bamboohr: this key may not read changed employees; reading all of them');
    yield* fullRead(ctx, c, s, t, {});
    return;
  }
  const all = changes(body);
  const changed = [...new Set(all.filter((x) => x.action !== 'deleted').map((x) => x.id))];
  const deleted = all.filter((x) => x.action === 'deleted').map((x) => x.id);
  const emitted: Emitted = { groups: new Set(), locations: new Set() };
  const gone: string[] = [];
  // Tables of changed people in one call per table when many changed (NOTES §4.5).
  const tables = changed.length > perPersonMax ? await changedTables(c, since) : await tablesFor(c, changed, perPersonMax);
  for (let i = 0; i < changed.length; i += pageSize) {
    const ids = changed.slice(i, i + pageSize);
    const rows = await listRowsFor(c, ids, pageSize);
    const batch = await readBatch(ctx, c, s, ids, rows, tables, emitted, gone);
    if (batch.employees.length) yield batch;
  }
  // Deleted upstream: passed on as vanished (a delta yields no record for them).
  const removed = [...deleted, ...gone];
  if (removed.length && opts.onVanished) opts.onVanished({ employees: removed, employments: [] });
}

/** A full read, or a delta when `opts.since` is set. */
export async function* read(ctx: BambooCtx, c: BambooClient, t: ReadTuning, opts: ReadOptions): AsyncGenerator<UnifiedBatch> {
  const s = await setup(ctx, c);
  if (opts.since) yield* deltaRead(ctx, c, s, t, opts.since, opts);
  else yield* fullRead(ctx, c, s, t, opts);
}

/** These people only; ids BambooHR no longer knows come back as gone. */
export async function readPeople(ctx: BambooCtx, c: BambooClient, t: ReadTuning, remoteIds: string[]): Promise<PeopleRead> {
  const ids = [...new Set(remoteIds)].filter((id) => /^\d{1,18}$/.test(id));
  const gone: string[] = [];
  if (ids.length === 0)
    return { batch: { employees: [], employments: [], groups: [], legal_entities: [], locations: [] }, gone: { employees: [], employments: [] } };
  const s = await setup(ctx, c);
  const rows = await listRowsFor(c, ids, t.pageSize);
  const batch = await readBatch(ctx, c, s, ids, rows, await tablesFor(c, ids, t.perPersonMax), { groups: new Set(), locations: new Set() }, gone);
  return { batch, gone: { employees: gone, employments: [] } };
}
