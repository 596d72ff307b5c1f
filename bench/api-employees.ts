import { fork, ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { openDatabase } from '../src/bootstrap';
import { loadConfig } from '../src/config/config';
import { CredentialVault } from '../src/integrations/vault';
import { openLoop, type OpenLoopResult } from './open-loop';
import { markdownTable, portOption, withBenchDatabase } from './support';

/**
 * GET /v1/hris/employees?page_size=N (--page-size, default 20 and 100) over N synced employees
 * (default 100,000), against a bare node:http + pg baseline running the gateway's own query
 * in the same run, and against that baseline's handler in a bare NestJS application on Express
 * (what the framework alone costs: the gateway's own work is the difference, column "/ nest") and
 * on Nest's Fastify adapter (what the other adapter would cost). Each server runs in its own process; the load generators run here. Two
 * phases per server and page size: as fast as possible (autocannon, closed loop, throughput),
 * then an open-loop generator (bench/open-loop.ts) at half of that server's maximum (latency).
 * Needs a Postgres server (DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres) where it creates a
 * database of its own and drops it at the end. The servers listen on free ports unless --baseline-port/--nest-port/--fastify-port/--gateway-port pin them.
 * Run: npm run -s build && DATABASE_URL=... node dist/bench/api-employees.js [--employees 100000] [--duration 15] [--warmup 10] [--page-size 20,100] [--servers baseline,nest,fastify,gateway] [--analyze off]
 */
interface CannonResult {
  requests: { average: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  throughput: { average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
// autocannon ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<CannonResult>;

const { values } = parseArgs({
  options: {
    employees: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '15' },
    /** Closed-loop load before each measurement, so both servers are measured with their hot code compiled (the gateway has far more to compile). */
    warmup: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    'page-size': { type: 'string', default: '20,100' },
    /** Open-loop load as a fraction of the server's measured maximum. */
    load: { type: 'string', default: '0.5' },
    /** `off`: serve the freshly loaded tables without statistics (as right after a first sync, before autovacuum's ANALYZE). */
    analyze: { type: 'string', default: 'on' },
    'baseline-port': { type: 'string', default: '0' },
    /** Which of bench/api-servers.ts to measure, in this order (the ratio column needs the baseline). */
    servers: { type: 'string', default: 'baseline,nest,fastify,gateway' },
    'nest-port': { type: 'string', default: '0' },
    'fastify-port': { type: 'string', default: '0' },
    'gateway-port': { type: 'string', default: '0' },
  },
});
const EMPLOYEES = Number(values.employees);
/** bench/api-servers.ts: the bare node:http + pg baseline, the same handler in a bare NestJS application (Express, Fastify), the gateway. */
const ALL_SERVERS = ['baseline', 'nest', 'fastify', 'gateway'] as const;
type Server = (typeof ALL_SERVERS)[number];
const SERVERS = values.servers.split(',').map((s) => {
  if (!(ALL_SERVERS as readonly string[]).includes(s)) throw new Error(`--servers: unknown server "${s}" (${ALL_SERVERS.join(', ')})`);
  return s as Server;
});
const DURATION = Number(values.duration);

/** Rows shaped as the sync stores them (storage contract), generated in SQL for speed. */
async function seed(url: string, n: number, encryptionKey: Buffer): Promise<{ key: string; integrationId: string }> {
  const { ds } = await openDatabase({ ...loadConfig({}), databaseUrl: url });
  const first = await new ApiKeysService(ds).bootstrap();
  const integrationId = 'personio:BenchBenchBenchBenchBench';
  await ds.query(
    `INSERT INTO integrations (id, environment_id, tool, status, setup_status, end_user_organization_name, credentials, first_sync_completed_at)
     VALUES ($1, $2, 'personio', 'ACTIVE', 'COMPLETED', 'Bench GmbH', $3, now())`,
    // Sealed with the servers' key: the gateway refuses to start on secrets no configured key opens.
    [integrationId, first!.environmentId, new CredentialVault(encryptionKey).seal({ clientId: 'bench', clientSecret: 'bench' })],
  );
  const addr = `jsonb_build_object('city','Berlin','country','DE','raw','Berlin, DE','state',null,'street_1',null,'street_2',null,'zip_code',null)`;
  await ds.query(
    `INSERT INTO hris_legal_entities (integration_id, id, remote_id, data, data_hash, changed_at, name)
    SELECT $1, 'LE' || i, i::text, jsonb_build_object('name', 'Legal ' || i, 'address', ${addr}), md5(i::text), now(), 'Legal ' || i FROM generate_series(1, 5) i`,
    [integrationId],
  );
  await ds.query(
    `INSERT INTO hris_locations (integration_id, id, remote_id, data, data_hash, changed_at, name)
    SELECT $1, 'LOC' || i, i::text, jsonb_build_object('name', 'Office ' || i, 'address', ${addr}, 'type', null), md5(i::text), now(), 'Office ' || i FROM generate_series(1, 20) i`,
    [integrationId],
  );
  await ds.query(
    `INSERT INTO hris_groups (integration_id, id, remote_id, data, data_hash, changed_at, name, type)
    SELECT $1, 'G' || i, 'department:' || i, jsonb_build_object('name', 'Department ' || i, 'type', 'DEPARTMENT', 'parent_id', null), md5(i::text), now(), 'Department ' || i, 'DEPARTMENT' FROM generate_series(1, 200) i`,
    [integrationId],
  );
  await ds.query(
    `INSERT INTO hris_employees (integration_id, id, remote_id, data, data_hash, remote_data, changed_at, employment_status, employment_type, work_email, personal_email, legal_entity_id, work_location_id, manager_id, group_ids)
    SELECT $1, 'E' || lpad(i::text, 8, '0'), i::text,
      jsonb_build_object('employee_number', 'P-' || i, 'first_name', 'First' || i, 'last_name', 'Last' || i, 'nationality', 'DE', 'display_full_name', 'First' || i || ' Last' || i,
        'job_title', 'Learning Specialist', 'work_email', 'person' || i || '@acme.example', 'personal_email', null, 'mobile_phone_number', '+49 30 ' || i, 'ssn', null, 'tax_id', null,
        'gender', 'FEMALE', 'ethnicity', null, 'marital_status', null, 'employment_status', 'ACTIVE', 'employment_type', 'FULL_TIME', 'weekly_hours', 40, 'avatar', null,
        'home_address', ${addr}, 'bank_accounts', null, 'date_of_birth', '1990-01-01T00:00:00.000Z', 'start_date', '2020-01-01T00:00:00.000Z', 'termination_date', null,
        'remote_created_at', '2019-12-01T10:00:00.000Z', 'manager_id', CASE WHEN i > 1 THEN 'E' || lpad((i / 10 + 1)::text, 8, '0') END,
        'legal_entity_id', 'LE' || (i % 5 + 1), 'work_location_id', 'LOC' || (i % 20 + 1), 'custom_fields', jsonb_build_object('dynamic_1', 'M', 'dynamic_2', i)),
      md5(i::text), jsonb_build_object('/company/employees', jsonb_build_object('type', 'Employee', 'attributes', jsonb_build_object('id', jsonb_build_object('label', 'ID', 'value', i)))),
      now(), 'ACTIVE', 'FULL_TIME', 'person' || i || '@acme.example', null, 'LE' || (i % 5 + 1), 'LOC' || (i % 20 + 1),
      CASE WHEN i > 1 THEN 'E' || lpad((i / 10 + 1)::text, 8, '0') END, ARRAY['G' || (i % 200 + 1), 'G' || ((i * 7) % 200 + 1)]
    FROM generate_series(1, $2::int) i`,
    [integrationId, n],
  );
  await ds.query(
    `INSERT INTO hris_employments (integration_id, id, remote_id, data, data_hash, changed_at, employee_id)
    SELECT $1, 'EM' || i, 'employment:' || i, jsonb_build_object('employee_id', 'E' || lpad(i::text, 8, '0'), 'job_title', 'Learning Specialist', 'pay_rate', 5200, 'pay_period', 'MONTH',
      'pay_frequency', 'MONTHLY', 'employment_type', 'FULL_TIME', 'pay_currency', 'EUR', 'effective_date', '2020-01-01T00:00:00.000Z', 'custom_fields', '{}'::jsonb),
      md5(i::text), now(), 'E' || lpad(i::text, 8, '0') FROM generate_series(1, $2::int) i`,
    [integrationId, n],
  );
  if (values.analyze !== 'off') await ds.query('ANALYZE'); // as autovacuum would soon after a load; both servers alike
  await ds.destroy();
  return { key: first!.key, integrationId };
}

/** Starts one server (bench/api-servers.ts) on `env.PORT` (0: a free port); resolves with the port it listens on. */
function start(kind: Server, env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(path.join(__dirname, 'api-servers.js'), [kind], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}`)));
  });
}

/** The server process's CPU time so far (user + system, ms), asked over IPC (bench/api-servers.ts). */
function cpuMs(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m: { cpuMs: number }) => resolve(m.cpuMs));
    child.send('cpu');
  });
}

interface Phase {
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  mbps: number;
}

async function hit(url: string, headers: Record<string, string>, opts: { connections: number; overallRate?: number; duration: number }): Promise<Phase> {
  const r = await autocannon({
    url,
    headers,
    connections: opts.connections,
    duration: opts.duration,
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    mbps: r.throughput.average / 1024 / 1024,
  };
}

async function main(): Promise<void> {
  await withBenchDatabase('hgw_bench_api', run);
}

async function run(url: string): Promise<void> {
  const t0 = Date.now();
  const encryptionKey = randomBytes(32);
  const { key, integrationId } = await seed(url, EMPLOYEES, encryptionKey);
  process.stderr.write(`seeded ${EMPLOYEES} employees in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  const headers = { authorization: `Bearer ${key}`, 'x-integration-id': integrationId };
  const env = {
    DATABASE_URL: url,
    ENCRYPTION_KEY: encryptionKey.toString('hex'),
    GATEWAY_ROLE: 'api',
    LOG_LEVEL: 'info',
    BENCH_API_KEY: key,
    NODE_ENV: 'production',
    CONNECT_FRAME_ANCESTORS: "'none'",
    // The per-key budget (6,000/min by default) would answer part of the load with fast 429s; the baseline has none.
    API_RATE_LIMIT_PER_MINUTE: '0',
  };
  const sizes = values['page-size'].split(',').map(Number);
  const results: Record<string, { max: Phase; open: OpenLoopResult; cpuPerRequest: number }> = {};
  const ports = {
    baseline: portOption(values['baseline-port'], 'baseline-port'),
    nest: portOption(values['nest-port'], 'nest-port'),
    fastify: portOption(values['fastify-port'], 'fastify-port'),
    gateway: portOption(values['gateway-port'], 'gateway-port'),
  };
  for (const kind of SERVERS) {
    const { child, port } = await start(kind, { ...env, PORT: String(ports[kind]), HOST: '127.0.0.1' });
    try {
      for (const size of sizes) {
        const target = `http://127.0.0.1:${port}/v1/hris/employees?page_size=${size}`;
        const check = await fetch(target, { headers });
        const body = (await check.json()) as { data: { results: unknown[] } };
        if (check.status !== 200 || body.data.results.length !== size) throw new Error(`${kind} answered ${check.status}`);
        await hit(target, headers, { connections: Number(values.connections), duration: Number(values.warmup) });
        const cpuBefore = await cpuMs(child);
        const max = await hit(target, headers, { connections: Number(values.connections), duration: DURATION });
        const cpuPerRequest = (await cpuMs(child)) - cpuBefore;
        const open = await openLoop(target, headers, Math.max(1, Math.round(max.rps * Number(values.load))), DURATION);
        results[`${kind}|${size}`] = { max, open, cpuPerRequest: cpuPerRequest / (max.rps * DURATION) };
      }
    } finally {
      // Stopped before the database is dropped, whatever happened.
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    }
  }
  const rows: Array<Array<string | number>> = [];
  for (const size of sizes) {
    for (const kind of SERVERS) {
      const { max, open, cpuPerRequest } = results[`${kind}|${size}`];
      const base = results[`baseline|${size}`];
      const ratio = kind !== 'baseline' && base ? `**${((max.rps / base.max.rps) * 100).toFixed(0)} %**` : '';
      const bare = results[`nest|${size}`];
      const ofNest = kind === 'gateway' && bare ? `**${((max.rps / bare.max.rps) * 100).toFixed(0)} %**` : '';
      rows.push([
        size,
        kind,
        max.rps.toFixed(0),
        ratio,
        ofNest,
        cpuPerRequest.toFixed(2),
        open.offered,
        open.p50,
        open.p90,
        open.p99,
        open.max,
        open.errors + max.errors + max.non2xx,
      ]);
    }
  }
  const n = (title: string) => ({ title, right: true });
  process.stdout.write(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${EMPLOYEES} employees; ` +
      `${DURATION} s per phase after ${values.warmup} s of warm-up; load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}\n\n` +
      markdownTable(
        [
          n('page_size'),
          { title: 'server' },
          n(`max req/s (${values.connections} conn)`),
          n('/ baseline'),
          n('/ nest'),
          n('server CPU ms/req'),
          n(`open loop at ${Number(values.load) * 100} %: req/s`),
          n('p50 ms'),
          n('p90 ms'),
          n('p99 ms'),
          n('max ms'),
          n('errors'),
        ],
        rows,
      ),
  );
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(1);
  },
);
