// Scheduler benchmark: N integrations on the default 5-minute delta, their slots spread
// evenly over the 5 minutes, each run a real delta against the Personio simulator (its own
// process, 20 employees, every integration on its one account, rate limits off); their full
// syncs are spread over the default 6 hours, so the window holds the full syncs a real fleet
// has. The local simulator answers in a millisecond where a real HRIS takes a few hundred (a
// delta is a token and one or two list requests): --hris-latency-ms adds that wait to every run. Each size runs in its own gateway process so CPU and RSS are per size, with the shipped
// defaults unless --delta-concurrency / --full-concurrency say otherwise. Baselines, same run:
// the gateway with the worker held to a fixed SYNC_POLL_MS tick (how it woke before) at the
// --baseline sizes, and one pool of 2 slots for every run (the former SYNC_CONCURRENCY default)
// at the --single-pool sizes.
// --api-rate N (default 0: off) adds the LMS's side: an open-loop probe (bench/open-loop.ts, in a process of its own,
// so the gateway's CPU figure stays its own) reads GET /v1/hris/employees?page_size=100 at N requests/s for 10 s
// before the first slot (the API alone) and through the window (while the runs share the database pool with it).
//   npm run -s build && node dist/bench/scheduler.js [--sizes 1000,3000,10000] [--baseline 1000] [--single-pool 10000] [--seconds 60] [--hris-latency-ms 0] [--api-rate 0]
// Needs DATABASE_URL (a server where it may CREATE/DROP DATABASE); default postgresql://postgres@127.0.0.1:5432/postgres.
// Ports: the gateway and the simulator listen on random ports (--sim-port to pin the simulator's).
import { execFileSync, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HrisConnector } from '../connectors/connector';
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createBenchIntegration, unpacedPersonioConnector } from './sync-bench-db';
import { createGateway } from '../src/bootstrap';
import { createLogger, setRootLogger } from '../src/common/logger';
import { loadConfig } from '../src/config/config';
import { applyHeapGrowth } from '../src/config/heap';
import { SyncRunsRepository } from '../src/sync/sync-runs.repository';
import { SyncWorker } from '../src/sync/sync.worker';
import { openLoop, type OpenLoopResult } from './open-loop';
import { markdownTable, portOption, startSimulatorProcess, withBenchDatabase } from './support';

const { values } = parseArgs({
  options: {
    child: { type: 'string' }, // 'wake' | 'tick' | 'single'
    integrations: { type: 'string', default: '1000' },
    sizes: { type: 'string', default: '1000,3000,10000' },
    baseline: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '60' },
    'single-pool': { type: 'string', default: '' },
    'delta-concurrency': { type: 'string', default: '' },
    'full-concurrency': { type: 'string', default: '' },
    'hris-latency-ms': { type: 'string', default: '0' },
    'sim-port': { type: 'string', default: '0' },
    'api-rate': { type: 'string', default: '0' },
    url: { type: 'string' },
  },
});
const DELTA_S = 300;
const FULL_S = 6 * 3600;
const LEAD_S = 20;
type Mode = 'wake' | 'tick' | 'single';

/** The API probe (--child probe): open-loop reads of `--url` for `--seconds`, with the key and integration from the environment; prints one JSON line. */
async function probe(): Promise<void> {
  const headers = { authorization: `Bearer ${process.env.BENCH_API_KEY}`, 'x-integration-id': process.env.BENCH_INTEGRATION_ID! };
  process.stdout.write(JSON.stringify(await openLoop(values.url!, headers, Number(values['api-rate']), Number(values.seconds))) + '\n');
}

/** Starts the API probe in its own process; resolves with its result. */
function startProbe(url: string, key: string, integrationId: string, seconds: number): Promise<OpenLoopResult> {
  const child = spawn(process.execPath, [__filename, '--child', 'probe', '--url', url, '--api-rate', values['api-rate']!, '--seconds', String(seconds)], {
    env: { ...process.env, BENCH_API_KEY: key, BENCH_INTEGRATION_ID: integrationId },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as OpenLoopResult) : reject(new Error(`the API probe exited with ${code}`)),
    ),
  );
}

/** The gateway's environment for a mode: the shipped defaults unless the command line sets the pools. */
function benchEnv(mode: Mode): Record<string, string> {
  // 'single': the former default SYNC_CONCURRENCY=2 (2 slots for all runs), read today as 2 slots per pool; nearly every run here is a delta.
  if (mode === 'single') return { SYNC_CONCURRENCY: '2' };
  const env: Record<string, string> = {};
  if (values['delta-concurrency']) env.SYNC_DELTA_CONCURRENCY = values['delta-concurrency'];
  if (values['full-concurrency']) env.SYNC_FULL_CONCURRENCY = values['full-concurrency'];
  return env;
}

/** The connector with `ms` of waiting before each read: the round trips of a real HRIS, without its CPU. */
function withLatency(base: HrisConnector<unknown>, ms: number): HrisConnector<unknown> {
  if (!ms) return base;
  return {
    ...base,
    async *read(ctx, opts) {
      // Not cut short by the abort signal: the runner stops at the next page, as with a real request in flight.
      await sleep(ms);
      yield* base.read(ctx, opts);
    },
  };
}

/** One size and mode, in this (child) process. Prints one JSON line. */
async function child(mode: Mode, n: number, seconds: number): Promise<void> {
  setRootLogger(createLogger('warn'));
  const sim = await startSimulatorProcess({ employees: 20, port: portOption(values['sim-port'], 'sim-port'), rateLimits: false });
  try {
    await withBenchDatabase('hgw_bench_sched', async (databaseUrl) => {
      const config = {
        ...loadConfig(benchEnv(mode)),
        databaseUrl,
        port: 0,
        host: '127.0.0.1',
        allowPrivateNetworkTargets: true,
        dataDir: path.join(os.tmpdir(), 'hgw-bench'),
        encryptionKey: randomBytes(32).toString('base64'),
      };
      applyHeapGrowth(config.heapGrowthPercent);
      const gw = await createGateway(config, { connectors: { personio: withLatency(unpacedPersonioConnector(), Number(values['hris-latency-ms'])) } });
      try {
        const worker = gw.app.get(SyncWorker);
        if (mode === 'tick') (worker as unknown as { runs: SyncRunsRepository }).runs.schedules.msUntilNextDue = async () => null;
        const ds = gw.ds;
        const [{ id: env }] = await ds.query(`SELECT id FROM environments LIMIT 1`);
        // One integration through the real path (first full sync), then N-1 copies of it with schedules on the grid.
        const { integration, syncId } = await createBenchIntegration(ds, config, env, sim);
        for (;;) {
          const [r] = await ds.query(`SELECT status FROM sync_runs WHERE id = $1`, [syncId]);
          if (r.status === 'SUCCEEDED') break;
          if (r.status !== 'QUEUED' && r.status !== 'RUNNING') throw new Error(`first sync ${r.status}`);
          await new Promise((res) => setTimeout(res, 100));
        }
        const cols = (
          (await ds.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'integrations' AND column_name <> 'id'`)) as {
            column_name: string;
          }[]
        ).map((c) => c.column_name);
        await ds.query(
          `INSERT INTO integrations (id, ${cols.join(', ')}) SELECT 'personio:' || lpad(g::text, 24, 'b'), ${cols.join(', ')} FROM integrations, generate_series(1, $2 - 1) g WHERE id = $1`,
          [integration.id, n],
        );
        // Delta slots evenly over 5 minutes; full slots evenly over 6 hours, in another order (a hash of the id).
        await ds.query(
          `INSERT INTO sync_schedules (integration_id, next_delta_at, next_full_at, delta_watermark, last_success_at)
           SELECT i.id, now() + make_interval(secs => $2 + (row_number() OVER (ORDER BY i.id) - 1) * $3::float8 / $4),
                  now() + make_interval(secs => $2 + (row_number() OVER (ORDER BY md5(i.id)) - 1) * $5::float8 / $4), s.delta_watermark, now()
             FROM integrations i, sync_schedules s WHERE s.integration_id = $1
           ON CONFLICT (integration_id) DO UPDATE SET next_delta_at = EXCLUDED.next_delta_at, next_full_at = EXCLUDED.next_full_at`,
          [integration.id, LEAD_S, DELTA_S, n, FULL_S],
        );
        worker.wake();
        const apiRate = Number(values['api-rate']);
        const api =
          apiRate > 0 && gw.firstKey
            ? { url: `http://127.0.0.1:${(gw.app.getHttpServer().address() as { port: number }).port}/v1/hris/employees?page_size=100`, key: gw.firstKey.key }
            : null;
        // The API alone: before the first slot (LEAD_S after the schedules were written), nothing runs but the odd full sync.
        const idle = api ? await startProbe(api.url, api.key, integration.id, 10) : null;
        await new Promise((res) => setTimeout(res, (LEAD_S - (idle ? 10 : 0)) * 1000));
        // Measure a window of `seconds`: gateway CPU, RSS samples, then the runs whose slot fell inside it.
        const [{ t: from }] = await ds.query(`SELECT now()::text AS t`);
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const rss: number[] = [];
        const busy: number[] = [];
        const active = (worker as unknown as { active: Map<string, unknown> }).active;
        const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 2000);
        const busySampler = setInterval(() => busy.push(active.size), 100);
        const loaded = api ? startProbe(api.url, api.key, integration.id, seconds) : null;
        await new Promise((res) => setTimeout(res, seconds * 1000));
        const underLoad = loaded ? await loaded : null;
        clearInterval(sampler);
        clearInterval(busySampler);
        const cpu = process.cpuUsage(cpu0);
        const wall = performance.now() - t0;
        const [{ t: to }] = await ds.query(`SELECT now()::text AS t`);
        // Let runs whose slot fell inside the window finish (or show they were never started).
        await new Promise((res) => setTimeout(res, 5000));
        const [r] = await ds.query(
          `WITH w AS (SELECT * FROM sync_runs WHERE trigger = 'SCHEDULE' AND scheduled_for >= $1 AND scheduled_for < $2)
           SELECT count(*)::int AS runs,
                  count(*) FILTER (WHERE status = 'SUCCEEDED')::int AS succeeded,
                  count(*) FILTER (WHERE started_at IS NULL)::int AS not_started,
                  count(*) FILTER (WHERE started_at - scheduled_for > interval '1 second')::int AS late_1s,
                  count(*) FILTER (WHERE type = 'FULL')::int AS fulls,
                  max(extract(epoch FROM started_at - scheduled_for) * 1000) FILTER (WHERE type = 'FULL') AS full_max,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - scheduled_for) * 1000) AS p50,
                  percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - scheduled_for) * 1000) AS p99,
                  max(extract(epoch FROM started_at - scheduled_for) * 1000) AS max,
                  avg(extract(epoch FROM finished_at - started_at) * 1000) AS run_ms
             FROM w`,
          [from, to],
        );
        // Slots that fell inside the window: the slots are spread evenly, one per integration per 5 minutes.
        const expected = Math.round((n * ((Date.parse(to) - Date.parse(from)) / 1000)) / DELTA_S);
        const mb = (b: number) => Math.round(b / 1048576);
        process.stdout.write(
          JSON.stringify({
            mode,
            integrations: n,
            window_s: seconds,
            slots_expected: expected,
            runs: r.runs,
            succeeded: r.succeeded,
            not_started: r.not_started,
            late_1s: r.late_1s,
            fulls: r.fulls,
            full_lag_max_ms: r.full_max === null ? null : Math.round(r.full_max),
            pools: `${config.sync.deltaConcurrency} delta / ${config.sync.fullConcurrency} full`,
            lag_p50_ms: Math.round(r.p50),
            lag_p99_ms: Math.round(r.p99),
            lag_max_ms: Math.round(r.max),
            run_ms: Math.round(r.run_ms),
            runs_in_flight_avg: +(busy.reduce((a, b) => a + b, 0) / busy.length).toFixed(1),
            runs_in_flight_max: Math.max(...busy),
            cpu_pct_of_core: +(((cpu.user + cpu.system) / 1000 / wall) * 100).toFixed(1),
            rss_mb_first: mb(rss[0]),
            rss_mb_last: mb(rss.at(-1)!),
            rss_mb_max: mb(Math.max(...rss)),
            // RSS at the end of each minute of the window: flat or rising.
            rss_mb_by_minute: rss.filter((_, i) => (i + 1) % 30 === 0).map(mb),
            ...(idle && underLoad ? { api_idle: idle, api_under_load: underLoad } : {}),
          }) + '\n',
        );
      } finally {
        await gw.close();
      }
    });
  } finally {
    sim.proc.kill();
  }
}

function parent(): void {
  const seconds = values.seconds!;
  const plan: { mode: Mode; n: string }[] = [];
  for (const n of values.baseline!.split(',').filter(Boolean)) plan.push({ mode: 'tick', n });
  for (const n of values['single-pool']!.split(',').filter(Boolean)) plan.push({ mode: 'single', n });
  for (const n of values.sizes!.split(',').filter(Boolean)) plan.push({ mode: 'wake', n });
  const pass = ['delta-concurrency', 'full-concurrency', 'sim-port', 'hris-latency-ms', 'api-rate'] as const;
  const rows: Record<string, string | number>[] = [];
  for (const p of plan) {
    const out = execFileSync(
      process.execPath,
      [__filename, '--child', p.mode, '--integrations', p.n, '--seconds', seconds, ...pass.flatMap((k) => (values[k] ? [`--${k}`, values[k]!] : []))],
      { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
    ).toString();
    // The child's result is its last line that is a result (a log line may follow it).
    const row = out
      .trim()
      .split('\n')
      .reverse()
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, string | number>;
        } catch {
          return null;
        }
      })
      .find((r) => r?.mode !== undefined)!;
    rows.push(row);
    console.error(JSON.stringify(row));
  }
  const cpus = os.cpus();
  console.log(
    `\nScheduler, ${seconds} s window, 5-minute delta, 6-hour full, HRIS latency ${values['hris-latency-ms']} ms per run; ${cpus.length} × ${cpus[0]?.model ?? '?'}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );
  const label = { tick: 'fixed 2 s tick (baseline)', single: 'SYNC_CONCURRENCY=2 (former default)', wake: 'due time + commit' };
  console.log(
    markdownTable(
      [
        { title: 'scheduler' },
        { title: 'run slots' },
        { title: 'integrations', right: true },
        { title: 'slots in window', right: true },
        { title: 'runs (full)', right: true },
        { title: 'late > 1 s', right: true },
        { title: 'lag p50', right: true },
        { title: 'lag p99', right: true },
        { title: 'lag max', right: true },
        { title: 'run (avg)', right: true },
        { title: 'in flight avg / max', right: true },
        { title: 'gateway CPU (% of a core)', right: true },
        { title: 'RSS first → last (max)' },
      ],
      rows.map((r) => [
        label[r.mode as Mode],
        r.pools,
        r.integrations,
        r.slots_expected,
        `${r.runs} (${r.fulls})`,
        r.late_1s,
        `${r.lag_p50_ms} ms`,
        `${r.lag_p99_ms} ms`,
        `${r.lag_max_ms} ms`,
        `${r.run_ms} ms`,
        `${r.runs_in_flight_avg} / ${r.runs_in_flight_max}`,
        `${r.cpu_pct_of_core} %`,
        `${r.rss_mb_first} → ${r.rss_mb_last} (${r.rss_mb_max}) MB`,
      ]),
    ),
  );
  const probed = rows.filter((r) => r.api_idle);
  if (probed.length) {
    const lat = (o: OpenLoopResult) => `${o.p50} / ${o.p99} / ${o.max} ms`;
    console.log(
      `\nThe API meanwhile: GET /v1/hris/employees?page_size=100 at ${values['api-rate']} requests/s, open loop (latency from when each request was due):\n\n` +
        markdownTable(
          [
            { title: 'scheduler' },
            { title: 'integrations', right: true },
            { title: 'API alone (10 s before the first slot): p50 / p99 / max' },
            { title: 'while the runs go (the window): p50 / p99 / max' },
            { title: 'errors', right: true },
          ],
          probed.map((r) => {
            const [idle, loaded] = [r.api_idle, r.api_under_load] as unknown as OpenLoopResult[];
            return [label[r.mode as Mode], r.integrations, lat(idle), lat(loaded), idle.errors + loaded.errors];
          }),
        ),
    );
  }
}

if (values.child === 'probe')
  probe().catch((e) => {
    console.error(e);
    process.exit(1);
  });
else if (values.child)
  child(values.child as Mode, Number(values.integrations), Number(values.seconds)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
else parent();
