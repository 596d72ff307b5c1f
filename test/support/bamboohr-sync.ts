// Helpers for the BambooHR sync e2e tests: what a correct store holds, taken from the
// simulator's own state (ids, names, employments, groups, locations) and from an
// independent full read with a fresh connector (every mapped field, by data hash).
import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { ConnectorContext } from '../../connectors/connector';
import { createBamboohrConnector } from '../../connectors/bamboohr/connector';
import type { BambooTestSandbox } from '../../connectors/bamboohr/sandbox';
import type { BambooCredentials } from '../../connectors/bamboohr/types';
import { employeeRow, employmentRow, type StoredRow } from '../../src/records/rows';
import type { TestGateway } from './gateway';
import { liveStore } from './sync';

export const bambooCredentials = (bhr: BambooTestSandbox): BambooCredentials => ({ companyDomain: bhr.company, apiKey: bhr.apiKey });

function ctxFor(bhr: BambooTestSandbox): ConnectorContext<BambooCredentials> {
  const noop = () => undefined;
  return {
    credentials: bambooCredentials(bhr),
    baseUrl: bhr.url,
    logger: { debug: noop, info: noop, warn: noop, error: noop },
    signal: new AbortController().signal,
    settings: {},
    now: () => new Date(),
  };
}

/** remote_id → stored row of what a correct store holds, from an independent full read of the simulator (faults must be off). */
async function expectedBambooStore(bhr: BambooTestSandbox, integrationId: string) {
  const employees = new Map<string, StoredRow>();
  const employments = new Map<string, StoredRow>();
  for await (const batch of createBamboohrConnector().read(ctxFor(bhr))) {
    for (const e of batch.employees) employees.set(e.remote_id, employeeRow(integrationId, e));
    for (const e of batch.employments) employments.set(e.remote_id, employmentRow(integrationId, e));
  }
  return { employees, employments };
}

/** Equal hashes, or (for a readable failure) the differing rows' data and remote_data side by side. */
async function expectSameRows(ds: DataSource, table: string, integrationId: string, want: Map<string, StoredRow>, have: Map<string, string>): Promise<void> {
  const hashes = (m: Map<string, string>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
  const wanted = new Map([...want].map(([k, r]) => [k, r.hash]));
  if (JSON.stringify(hashes(have)) === JSON.stringify(hashes(wanted))) return;
  const differing = [...new Set([...have.keys(), ...wanted.keys()])].filter((k) => have.get(k) !== wanted.get(k)).sort();
  const stored: { remote_id: string; data: unknown; remote_data: unknown }[] = await ds.query(
    `SELECT remote_id, data, remote_data FROM ${table} WHERE integration_id = $1 AND remote_deleted_at IS NULL AND remote_id = ANY($2)`,
    [integrationId, differing],
  );
  const storedBy = new Map(stored.map((r) => [r.remote_id, { data: r.data, remote_data: r.remote_data }]));
  expect({ table, rows: differing.map((k) => ({ remote_id: k, ...(storedBy.get(k) ?? { missing: true }) })) }).toEqual({
    table,
    rows: differing.map((k) => {
      const r = want.get(k);
      return { remote_id: k, ...(r ? { data: r.data, remote_data: r.remote_data ?? null } : { missing: true }) };
    }),
  });
  expect(hashes(have)).toEqual(hashes(wanted));
}

type Row = Record<string, unknown>;
const blank = (v: unknown) => (v === null || v === undefined || v === '' || v === '0000-00-00' ? null : String(v));

/** The jobInfo row in effect on `day` (latest date ≤ day), else the first one (a future hire's). */
function jobOn(rows: Row[], day: string): Row | null {
  const sorted = [...rows].sort((a, b) => String(a.date).localeCompare(String(b.date)) || Number(a.id) - Number(b.id));
  return sorted.filter((r) => String(r.date) <= day).pop() ?? sorted[0] ?? null;
}

/** What the simulator holds, in the terms the unified API answers with (names, not ids). */
function simulatorView(bhr: BambooTestSandbox) {
  const today = new Date().toISOString().slice(0, 10);
  const sb = bhr.sandbox;
  return sb.employeeIds().map((id) => {
    const e = sb.employee(id, false);
    const comp = sb.tableRows(id, 'compensation');
    const jobs = sb.tableRows(id, 'jobInfo');
    const employments = comp.length
      ? comp.map((r) => `compensation:${id}-${r.id}`)
      : jobs.length
        ? jobs.map((r) => `jobInfo:${id}-${r.id}`)
        : [`employee:${id}`];
    const job = jobOn(jobs, today);
    // The status where the simulator's own data leaves no doubt (dates in between are the mapping's rules).
    const [hire, end] = [blank(e.hireDate), blank(e.terminationDate)];
    const status =
      hire !== null && hire > today ? 'PENDING' : end !== null && end <= today && e.status === 'Inactive' && (hire === null || hire <= end) ? 'INACTIVE' : null;
    return {
      status,
      remote_id: String(id),
      first_name: blank(e.firstName),
      last_name: blank(e.lastName),
      employments: employments.sort(),
      groups: [blank(job?.department), blank(job?.division)].filter((g): g is string => g !== null).sort(),
      location: blank(job?.location),
    };
  });
}

interface ApiEmployee {
  remote_id: string;
  first_name: string | null;
  last_name: string | null;
  employment_status: string | null;
  employments: Array<{ remote_id: string }>;
  groups: Array<{ name: string | null }>;
  work_location: { name: string | null } | null;
}

/** Every employee the unified API lists for the integration (not deleted), all pages. */
export async function apiEmployees(gw: TestGateway, integrationId: string): Promise<ApiEmployee[]> {
  const out: ApiEmployee[] = [];
  let cursor: string | null = null;
  do {
    const res: { body: { data: { results: ApiEmployee[]; next: string | null } } } = await request(gw.url)
      .get('/v1/hris/employees')
      .query({ page_size: 250, ...(cursor ? { cursor } : {}) })
      .set('Authorization', `Bearer ${gw.apiKey}`)
      .set('X-Integration-Id', integrationId)
      .expect(200);
    out.push(...res.body.data.results);
    cursor = res.body.data.next;
  } while (cursor);
  return out;
}

const byId = <T extends { remote_id: string }>(xs: T[]) => [...xs].sort((a, b) => a.remote_id.localeCompare(b.remote_id));

/**
 * The store equals the simulator exactly: the same people (nothing missing, duplicated or
 * falsely deleted), each with the simulator's names, employments, groups and location, and the
 * status wherever the simulator's dates leave no doubt (future hire, terminated and inactive); and every
 * mapped field (statuses included) equals what an independent full read maps.
 */
export async function expectMatchesSimulator(gw: TestGateway, bhr: BambooTestSandbox, integrationId: string): Promise<void> {
  const rows: { remote_id: string; n: number }[] = await gw.ds.query(
    `SELECT remote_id, count(*)::int AS n FROM hris_employees WHERE integration_id = $1 GROUP BY remote_id HAVING count(*) > 1`,
    [integrationId],
  );
  expect(rows).toEqual([]);
  const api = (await apiEmployees(gw, integrationId)).map((e) => ({
    remote_id: e.remote_id,
    first_name: e.first_name,
    last_name: e.last_name,
    status: e.employment_status,
    employments: e.employments.map((x) => x.remote_id).sort(),
    groups: e.groups
      .map((g) => g.name)
      .filter((g): g is string => g !== null)
      .sort(),
    location: e.work_location?.name ?? null,
  }));
  const view = simulatorView(bhr);
  const statusOf = new Map(api.map((e) => [e.remote_id, e.status]));
  const certain = view.filter((v) => v.status !== null);
  expect(certain.length).toBeGreaterThan(0);
  expect(certain.map((v) => ({ remote_id: v.remote_id, status: statusOf.get(v.remote_id) }))).toEqual(
    certain.map((v) => ({ remote_id: v.remote_id, status: v.status })),
  );
  expect(byId(api.map(({ status: _s, ...e }) => e))).toEqual(byId(view.map(({ status: _s, ...v }) => v)));
  const [want, have] = await Promise.all([expectedBambooStore(bhr, integrationId), liveStore(gw.ds, integrationId)]);
  await expectSameRows(gw.ds, 'hris_employees', integrationId, want.employees, have.employees);
  await expectSameRows(gw.ds, 'hris_employments', integrationId, want.employments, have.employments);
}

/** The invariants a failed sync must keep: no duplicates, and only people gone from the simulator are marked deleted. */
export async function expectCleanBambooState(ds: DataSource, bhr: BambooTestSandbox, integrationId: string): Promise<void> {
  const simIds = new Set(bhr.sandbox.employeeIds().map(String));
  const rows: { remote_id: string; deleted: boolean }[] = await ds.query(
    `SELECT remote_id, remote_deleted_at IS NOT NULL AS deleted FROM hris_employees WHERE integration_id = $1`,
    [integrationId],
  );
  expect(new Set(rows.map((r) => r.remote_id)).size).toBe(rows.length);
  expect(rows.filter((r) => r.deleted && simIds.has(r.remote_id)).map((r) => r.remote_id)).toEqual([]);
}

/** Deleted-marked remote ids of the store. */
export async function deletedIds(ds: DataSource, integrationId: string): Promise<string[]> {
  const rows: { remote_id: string }[] = await ds.query(
    `SELECT remote_id FROM hris_employees WHERE integration_id = $1 AND remote_deleted_at IS NOT NULL ORDER BY remote_id`,
    [integrationId],
  );
  return rows.map((r) => r.remote_id);
}

/** Resolves once the simulator has logged a request whose path matches (polling its request log). */
export async function whenRequested(bhr: BambooTestSandbox, path: RegExp, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!bhr.sandbox.requestLog().some((r) => path.test(r.path))) {
    if (Date.now() > until) throw new Error(`the simulator saw no request matching ${path} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
