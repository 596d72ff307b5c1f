// The floors the sync is measured against (bench/sync.ts), in the same process and run:
//  - fetch+parse: page through the simulator with keep-alive fetch and JSON.parse every page,
//    nothing else. What any reader of this API pays; the floor of a sync that changes nothing.
//  - COPY: the same, plus one streaming COPY of every raw employee into
//    (id text primary key, raw jsonb), compressed as the gateway compresses its own JSON (lz4
//    where the server has it). The floor of a first sync that stores what it read.
//  - store: the same paging, each page mapped by the gateway's own code (the Personio
//    connector's batches, the records module's rows: ids, data, hashes, serialised JSON) and
//    streamed with COPY into the gateway's own tables, one stream per table. The floor of a
//    first sync that stores what the gateway stores; the sync engine's own cost is above it.
// Each floor reports its Node CPU and, for those that write, its Postgres backends' CPU: on a
// shared machine wall times drift with the load, CPU times much less.
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';
import { toBatch, type Emitted } from '../connectors/personio/employee-pages';
import type { PersonioEmployee } from '../connectors/personio/types';
import type { IntegrationFilters } from '../src/integrations/integration.entity';
import { copyJson, copyLine as storedRowLine, copySql } from '../src/records/copy';
import { MODEL_TABLES, PAGE_MODELS, type PageModel, writtenColumns } from '../src/records/models';
import { preparePage } from '../src/records/page';
import type { StoredRow } from '../src/records/rows';

export interface Sim {
  url: string;
  clientId: string;
  clientSecret: string;
}

interface Page {
  data: Array<{ attributes: { id?: { value?: unknown } } }>;
  metadata?: { total_elements?: number };
}

async function token(sim: Sim): Promise<string> {
  const res = await fetch(`${sim.url}/v1/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: sim.clientId, client_secret: sim.clientSecret }),
  });
  const body = (await res.json()) as { data: { token: string } };
  return body.data.token;
}

/** Every page of employees, `limit` per page, one request after the other (fetch keeps the connection alive). */
async function* pages(sim: Sim, limit = 100): AsyncGenerator<Page> {
  const headers = { authorization: `Bearer ${await token(sim)}` };
  for (let offset = 0; ; offset += limit) {
    const res = await fetch(`${sim.url}/v1/company/employees?limit=${limit}&offset=${offset}`, { headers });
    if (res.status !== 200) throw new Error(`simulator answered ${res.status}`);
    const page = JSON.parse(await res.text()) as Page;
    if (!page.data.length) return;
    yield page;
    if (offset + limit >= (page.metadata?.total_elements ?? 0)) return;
  }
}

/**
 * CPU seconds (user + system) of the given Postgres backends so far, from /proc/<pid>/stat
 * (utime and stime, in USER_HZ ticks: 100 a second on Linux). Null when the server is not on
 * this machine (or its processes cannot be read).
 */
export function backendCpuSeconds(pids: number[]): number | null {
  let ticks = 0;
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return null;
    }
    // The command name may hold spaces; the fields after it are space-separated (utime is the 14th field, stime the 15th).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / 100;
}

const backendPid = async (db: Client): Promise<number> => Number((await db.query(`SELECT pg_backend_pid() AS pid`)).rows[0].pid);

/** Starts the clocks of a floor: wall time, this process's CPU and that of the given Postgres backends. */
function clocks(pids: number[] = []) {
  const t0 = performance.now();
  const node0 = process.cpuUsage();
  const pg0 = backendCpuSeconds(pids);
  return (employees: number, rows: number) => {
    const seconds = (performance.now() - t0) / 1000;
    const node = process.cpuUsage(node0);
    const pg1 = backendCpuSeconds(pids);
    return {
      seconds: +seconds.toFixed(2),
      employees_per_s: Math.round(employees / seconds),
      rows,
      node_cpu_s: +((node.user + node.system) / 1e6).toFixed(2),
      ...(pids.length ? { pg_cpu_s: pg0 === null || pg1 === null ? null : +(pg1 - pg0).toFixed(2) } : {}),
    };
  };
}

export async function fetchParseFloor(sim: Sim, employees: number) {
  const done = clocks();
  let rows = 0;
  for await (const page of pages(sim)) rows += page.data.length;
  return done(employees, rows);
}

/** COPY text format: JSON has no raw tabs or newlines, only backslashes to double. */
const copyLine = (id: string, raw: unknown) => `${id}\t${copyJson(JSON.stringify(raw))}\n`;

export async function copyFloor(databaseUrl: string, sim: Sim, employees: number) {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    // The JSON compressed as the gateway's own tables compress it (lz4 where the server has it, migration UnifiedJsonLz4).
    const [{ lz4 }] = (
      await db.query(`SELECT coalesce(bool_or('lz4' = ANY(enumvals)), false) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`)
    ).rows;
    await db.query(`CREATE TABLE bench_copy_floor (id text PRIMARY KEY, raw jsonb ${lz4 ? 'COMPRESSION lz4 ' : ''}NOT NULL)`);
    const done = clocks([await backendPid(db)]);
    const copy = db.query(copyFrom(`COPY bench_copy_floor (id, raw) FROM STDIN`));
    const finished = new Promise<void>((resolve, reject) => {
      copy.on('finish', resolve);
      copy.on('error', reject);
    });
    let rows = 0;
    for await (const page of pages(sim)) {
      const chunk = page.data.map((e) => copyLine(String(e.attributes.id?.value), e)).join('');
      rows += page.data.length;
      // Back-pressure: Postgres consumes while the next page is fetched, never more than a page behind.
      if (!copy.write(chunk)) await new Promise((r) => copy.once('drain', r));
    }
    copy.end();
    await finished;
    return done(employees, rows);
  } finally {
    await db.query(`DROP TABLE IF EXISTS bench_copy_floor`).catch(() => undefined);
    await db.end();
  }
}

/** The environment and integration the store floor writes for by default: its own, dropped with its rows afterwards. */
const STORE_FLOOR_ENVIRONMENT = 'env_bench_store_floor';
const STORE_FLOOR_INTEGRATION = 'int_bench_store_floor';

/**
 * The store floor: the pages of fetchParseFloor, each turned into the rows the gateway stores
 * by the gateway's own code — the Personio connector's batch (toBatch: mapping, source
 * fingerprints, each group, legal entity and location with the first page that names it) and
 * the records module's rows (preparePage: ids, data, hashes, serialised JSON) — and streamed
 * into the gateway's own tables (their indexes, foreign key and lz4 JSON included), one COPY
 * per table on its own connection, fed while paging. What a first sync cannot avoid storing;
 * what it costs above this (per-page transactions, lookups of existing rows, the outbox,
 * progress, ANALYZE, the calendar pass) is the sync engine's.
 *
 * By default it writes for an integration of its own, deleted with its rows (and the tables
 * vacuumed) afterwards, untimed, so the sync's rows and its later runs are untouched.
 * `integrationId`: write for that integration instead and leave the rows (checkStoreFloor).
 */
export async function storeFloor(databaseUrl: string, sim: Sim, employees: number, opts: { integrationId?: string } = {}) {
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  const dbs: Client[] = [];
  const own = opts.integrationId === undefined;
  const integrationId = opts.integrationId ?? STORE_FLOOR_INTEGRATION;
  try {
    if (own) {
      await admin.query(`INSERT INTO environments (id, name) VALUES ($1, $1)`, [STORE_FLOOR_ENVIRONMENT]);
      await admin.query(
        `INSERT INTO integrations (id, environment_id, tool, end_user_organization_name, credentials) VALUES ($1, $2, 'personio', 'Store floor', '')`,
        [integrationId, STORE_FLOOR_ENVIRONMENT],
      );
    }
    // The integration's filters, as the runner hands them to preparePage.
    const filters = (await admin.query(`SELECT filters FROM integrations WHERE id = $1`, [integrationId])).rows[0].filters as IntegrationFilters;
    // One connection per table: a connection carries one COPY at a time.
    for (let i = 0; i < PAGE_MODELS.length; i++) {
      const db = new Client({ connectionString: databaseUrl });
      dbs.push(db);
      await db.connect();
    }
    const pids = await Promise.all(dbs.map(backendPid));
    const done = clocks(pids);
    const now = new Date();
    const changedAt = now.toISOString();
    const streams = PAGE_MODELS.map((model, i) => {
      // The rows as the first sync's COPY of new rows writes them (src/records/copy.ts).
      const table = MODEL_TABLES[model];
      const line = (iid: string, at: string, r: StoredRow) => storedRowLine(table, iid, at, r);
      const copy: CopyStreamQuery = dbs[i].query(copyFrom(copySql(table)));
      const finished = new Promise<void>((resolve, reject) => {
        copy.on('finish', resolve);
        copy.on('error', reject);
      });
      finished.catch(() => undefined); // awaited below; a failure also ends the paging through `failed`
      return { model, copy, finished, line };
    });
    const failed = Promise.race(streams.map((s) => s.finished.then(() => new Promise<never>(() => undefined))));
    failed.catch(() => undefined);
    const emitted: Emitted = { groups: new Set(), legal: new Set(), locations: new Set() };
    let rows = 0;
    for await (const page of pages(sim)) {
      const prepared = preparePage(integrationId, filters, toBatch(page.data as unknown as PersonioEmployee[], now, emitted));
      const drains: Array<Promise<unknown>> = [];
      for (const s of streams) {
        const modelRows = prepared.rows[s.model];
        if (!modelRows.length) continue;
        rows += modelRows.length;
        // Back-pressure as in copyFloor: Postgres consumes while the next page is fetched, never more than a page behind.
        if (!s.copy.write(modelRows.map((r) => s.line(integrationId, changedAt, r)).join(''))) drains.push(new Promise((r) => s.copy.once('drain', r)));
      }
      if (drains.length) await Promise.race([Promise.all(drains), failed]);
    }
    for (const s of streams) s.copy.end();
    await Promise.all(streams.map((s) => s.finished));
    return done(employees, rows);
  } finally {
    await Promise.all(dbs.map((db) => db.end().catch(() => undefined)));
    if (own) {
      // Untimed: the floor's rows go with its environment (ON DELETE CASCADE), and the space they took is reclaimed now rather than by an autovacuum during a later run.
      await admin.query(`DELETE FROM environments WHERE id = $1`, [STORE_FLOOR_ENVIRONMENT]).catch(() => undefined);
      await admin.query(`VACUUM ${PAGE_MODELS.map((m) => MODEL_TABLES[m].table).join(', ')}`).catch(() => undefined);
    }
    await admin.end();
  }
}

/**
 * Columns a first sync and the store floor must agree on: all but the times of the writes
 * (changed_at, created_at). jsonb compares by value; remote_data (json, the text as written,
 * migration RemoteDataJson) has no equality and compares as that text.
 */
const COMPARED = (model: PageModel) =>
  [
    'integration_id',
    'id',
    'remote_id',
    'data',
    'data_hash',
    'remote_data::text',
    'remote_deleted_at',
    ...writtenColumns(MODEL_TABLES[model]).map((c) => c.name),
  ].join(', ');

/**
 * Whether the store floor stores exactly what a first sync stored, for the integration the sync
 * wrote (so the ids, which derive from it, can match): the sync's rows are set aside, the floor
 * writes the same people for that integration, both are compared column by column (see
 * COMPARED), and the sync's rows are put back as they were. Run after the first
 * full sync and before anything else reads the tables (bench/sync.ts --check-store-floor); the
 * rows go back in a new place, so the timings of a checked run are not for the table.
 */
export async function checkStoreFloor(databaseUrl: string, sim: Sim, employees: number, integrationId: string) {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const iid = db.escapeLiteral(integrationId);
  const saved = (m: PageModel) => `bench_store_floor_check_${m}`;
  try {
    for (const m of PAGE_MODELS) {
      const t = MODEL_TABLES[m].table;
      await db.query(`CREATE TABLE ${saved(m)} AS SELECT * FROM ${t} WHERE integration_id = ${iid}`);
      await db.query(`DELETE FROM ${t} WHERE integration_id = ${iid}`);
    }
    await storeFloor(databaseUrl, sim, employees, { integrationId });
    const tables: Record<string, { sync: number; floor: number; differing: number }> = {};
    for (const m of PAGE_MODELS) {
      const t = MODEL_TABLES[m].table;
      const c = COMPARED(m);
      const [r] = (
        await db.query(
          `SELECT (SELECT count(*) FROM ${saved(m)})::int AS sync,
                  (SELECT count(*) FROM ${t} WHERE integration_id = ${iid})::int AS floor,
                  (SELECT count(*) FROM ((SELECT ${c} FROM ${t} WHERE integration_id = ${iid} EXCEPT ALL SELECT ${c} FROM ${saved(m)})
                     UNION ALL (SELECT ${c} FROM ${saved(m)} EXCEPT ALL SELECT ${c} FROM ${t} WHERE integration_id = ${iid})) d)::int AS differing`,
        )
      ).rows;
      tables[m] = r;
    }
    return { ok: tables.employees.sync > 0 && Object.values(tables).every((x) => x.differing === 0 && x.sync === x.floor), tables };
  } finally {
    // The sync's rows back as they were, whatever happened.
    await db.query('BEGIN');
    for (const m of PAGE_MODELS) {
      const t = MODEL_TABLES[m].table;
      const exists = (await db.query(`SELECT to_regclass($1) IS NOT NULL AS e`, [saved(m)])).rows[0].e;
      if (!exists) continue;
      await db.query(`DELETE FROM ${t} WHERE integration_id = ${iid}`);
      await db.query(`INSERT INTO ${t} SELECT * FROM ${saved(m)}`);
      await db.query(`DROP TABLE ${saved(m)}`);
    }
    await db.query('COMMIT');
    await db.end();
  }
}
