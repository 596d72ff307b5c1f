// Sync engine benchmark. Each size runs in its own process (so peak RSS is per size),
// against the Personio simulator in a separate process and a real Postgres server.
//   npm run bench:sync                      10k and 100k, then the rate-limit run
//   node dist/bench/sync.js --sizes 10000 --no-rate
// Needs DATABASE_URL (a server where it may CREATE/DROP DATABASE); default postgresql://postgres@127.0.0.1:5432/postgres.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { createPersonioConnector, personioConnector } from '../connectors/personio/connector';
import { PersonioClient } from '../connectors/personio/client';
import { createDataSource, runMigrations } from '../src/database/data-source';
import { createLogger, setRootLogger } from '../src/common/logger';
import { loadConfig } from '../src/config/config';
import { applyHeapGrowth } from '../src/config/heap';
import { createVault } from '../src/integrations/vault';
import { createIntegrationWithFirstSync } from '../src/sync/sync.cli';
import { loadSyncConfig } from '../src/sync/sync.config';
import { SyncMetrics } from '../src/sync/sync-metrics';
import { SyncRunner } from '../src/sync/sync-runner';
import { SyncRunsRepository } from '../src/sync/sync-runs.repository';

const { values } = parseArgs({
  options: {
    child: { type: 'string' }, // 'sync' | 'rate'
    employees: { type: 'string', default: '10000' },
    sizes: { type: 'string', default: '10000,100000' },
    'no-rate': { type: 'boolean', default: false },
  },
});
const BASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const mb = (kb: number) => Math.round(kb / 1024);
const peakRssMb = () => mb(process.resourceUsage().maxRSS);

async function startSimulator(employees: number, rateLimits: boolean): Promise<{ url: string; clientId: string; clientSecret: string; proc: ChildProcess }> {
  const args = [path.join(__dirname, '../connectors/personio/sandbox/cli.js'), '--employees', String(employees), '--port', '0', '--seed', '1'];
  if (!rateLimits) args.push('--no-rate-limits');
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve, reject) => {
    proc.on('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
    proc.stdout!.on('data', (d) => {
      out += d;
      const url = /listening on (\S+)/.exec(out)?.[1];
      const id = /client_id:\s+(\S+)/.exec(out)?.[1];
      const secret = /client_secret:\s+(\S+)/.exec(out)?.[1];
      if (url && id && secret) resolve({ url, clientId: id, clientSecret: secret, proc });
    });
  });
}

async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `hgw_bench_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: BASE_URL });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/** One size, in this (child) process. Prints one JSON line. */
async function child(mode: 'sync' | 'rate', employees: number): Promise<void> {
  // As src/main.ts does: the sync measured is the sync as the gateway runs it.
  applyHeapGrowth(loadConfig({ V8_HEAP_GROWTH_PERCENT: process.env.V8_HEAP_GROWTH_PERCENT }).heapGrowthPercent);
  setRootLogger(createLogger('warn'));
  const sim = await startSimulator(employees, mode === 'rate');
  try {
    await withDatabase(async (databaseUrl) => {
      const config = { ...loadConfig({}), databaseUrl, allowPrivateNetworkTargets: true, dataDir: path.join(os.tmpdir(), 'hgw-bench'), encryptionKey: randomBytes(32).toString('base64') };
      const ds = createDataSource(databaseUrl);
      await ds.initialize();
      await runMigrations(ds);
      const [{ id: env }] = await ds.query(`INSERT INTO environments (id, name) VALUES ('env_bench', 'bench') RETURNING id`);
      const runs = new SyncRunsRepository(ds);
      const metrics = new SyncMetrics();
      // The simulator runs without limits here, so the client's pacing is lifted too; the rate run uses the real ones.
      const unlimited = { perMinute: 1e9, perSecond: 1e9, maxConcurrent: 4 };
      const connector = mode === 'rate' ? personioConnector : createPersonioConnector({ client: { limits: { employees: unlimited, auth: unlimited, other: unlimited } } });
      const runner = new SyncRunner({ ds, config, sync: loadSyncConfig({}), vault: createVault(config), runs, metrics, connectorFor: () => connector as never, workerId: 'bench' });
      const { integration, syncId } = await createIntegrationWithFirstSync(ds, config, {
        environment: env, tool: 'personio', organization: 'Bench', baseUrl: sim.url, credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
      });
      const runOnce = async (id: string) => {
        const claimed = (await runs.claim(id, 'bench'))!;
        const written = metrics.rowsWritten;
        const t0 = performance.now();
        const done = (await runner.execute(claimed, { reason: null, abort: new AbortController() }))!;
        const seconds = (performance.now() - t0) / 1000;
        if (done.status !== 'SUCCEEDED') throw new Error(`sync ${done.status}: ${done.error}`);
        return { seconds: +seconds.toFixed(2), employees_per_s: Math.round(employees / seconds), rows_written: metrics.rowsWritten - written, pages: done.pages, peak_rss_mb: peakRssMb() };
      };
      const result: Record<string, unknown> = { mode, employees };
      result.full = await runOnce(syncId);
      if (mode === 'rate') {
        const f = result.full as { seconds: number; pages: number };
        result.requests_per_min = +((f.pages / f.seconds) * 60).toFixed(1);
        result.rate_use = +(((f.pages / f.seconds) * 60) / 300).toFixed(3); // Personio: 300 employee-list requests per minute
      } else {
        result.full_no_change = await runOnce((await runs.enqueue(integration.id, { type: 'FULL', trigger: 'MANUAL' })).run.id);
        result.delta_no_change = await runOnce((await runs.enqueue(integration.id, { type: 'DELTA', trigger: 'MANUAL' })).run.id);
        result.baseline = await baseline(ds, sim, employees);
      }
      await ds.destroy();
      process.stdout.write(JSON.stringify(result) + '\n');
    });
  } finally {
    sim.proc.kill();
  }
}

/** The floor: page through the simulator with the same client and bulk-insert raw rows, one INSERT per page. */
async function baseline(ds: import('typeorm').DataSource, sim: { url: string; clientId: string; clientSecret: string }, employees: number) {
  await ds.query(`CREATE TABLE bench_raw (id text PRIMARY KEY, raw jsonb NOT NULL)`);
  const unlimited = { perMinute: 1e9, perSecond: 1e9, maxConcurrent: 4 };
  const noop = () => undefined;
  const client = new PersonioClient({ credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret }, baseUrl: sim.url, logger: { debug: noop, info: noop, warn: noop, error: noop }, limits: { employees: unlimited, auth: unlimited } });
  const t0 = performance.now();
  let rows = 0;
  for (let offset = 0; ; offset += 100) {
    const page = await client.getEmployees({ offset, limit: 100 });
    if (!page.data.length) break;
    const recs = page.data.map((e) => ({ id: String((e.attributes as { id?: { value?: unknown } }).id?.value), raw: e }));
    await ds.query(`INSERT INTO bench_raw SELECT x.id, x.raw FROM jsonb_to_recordset($1::jsonb) AS x(id text, raw jsonb)`, [JSON.stringify(recs)]);
    rows += recs.length;
    if (offset + 100 >= (page.metadata?.total_elements ?? 0)) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { seconds: +seconds.toFixed(2), employees_per_s: Math.round(employees / seconds), rows_written: rows };
}

async function main(): Promise<void> {
  if (values.child) return child(values.child as 'sync' | 'rate', Number(values.employees));
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(`machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`);
  const jobs = values.sizes.split(',').map((n) => ['sync', n]);
  if (!values['no-rate']) jobs.push(['rate', '10000']);
  for (const [mode, n] of jobs) {
    const out = execFileSync(process.execPath, [__filename, '--child', mode, '--employees', n], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    if (mode === 'rate') {
      process.stdout.write(`rate limits on (300/min), ${n} employees: ${r.full.seconds} s, ${r.requests_per_min} requests/min = ${(r.rate_use * 100).toFixed(1)}% of the allowed rate\n`);
      continue;
    }
    const ratio = (r.full.seconds / r.baseline.seconds).toFixed(2);
    process.stdout.write(
      `${n} employees: full ${r.full.seconds} s (${r.full.employees_per_s}/s, peak RSS ${r.full.peak_rss_mb} MB) | ` +
        `no-change full ${r.full_no_change.seconds} s, rows written ${r.full_no_change.rows_written} | ` +
        `no-change delta ${r.delta_no_change.seconds} s, rows written ${r.delta_no_change.rows_written} | ` +
        `baseline ${r.baseline.seconds} s (${r.baseline.employees_per_s}/s) | full/baseline ${ratio}×\n`,
    );
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
