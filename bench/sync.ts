// Sync engine benchmark. Each size runs in its own process (so peak RSS is per size),
// against the Personio simulator in a separate process and a real Postgres server, with
// its floors (bench/sync-floors.ts) measured in the same process right after the syncs.
//   npm run bench:sync                      10k and 100k, then the rate-limit runs (sync 5k; client alone 5k, 30k)
//   node dist/bench/sync.js --sizes 10000 --no-rate --runs 3
//   node dist/bench/sync.js --sizes none --rate-sizes 5000
//   node dist/bench/sync.js --sizes 1000 --no-rate --check-store-floor   checks the store floor stores what the first sync stored
// Needs DATABASE_URL (a server where it may CREATE/DROP DATABASE); default postgresql://postgres@127.0.0.1:5432/postgres.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as inspector from 'node:inspector';
import * as os from 'node:os';
import * as v8 from 'node:v8';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { runInNewContext } from 'node:vm';
import { personioConnector } from '../connectors/personio/connector';
import { PersonioClient } from '../connectors/personio/client';
import { createLogger, setRootLogger } from '../src/common/logger';
import { loadConfig } from '../src/config/config';
import { applyHeapGrowth } from '../src/config/heap';
import type { HrisConnector } from '../connectors/connector';
import { createBenchIntegration, unpacedPersonioConnector, withSyncBench } from './sync-bench-db';
import { portOption, startSimulatorProcess } from './support';
import { upstreamRateLimited, upstreamRequests } from '../src/metrics/metrics';
import { backendCpuSeconds, checkStoreFloor, copyFloor, fetchParseFloor, storeFloor } from './sync-floors';
import { rowsOf } from '../src/database/rows';
import { MODEL_TABLES, PAGE_MODELS } from '../src/records/models';

const { values } = parseArgs({
  options: {
    child: { type: 'string' }, // 'sync' | 'rate'
    employees: { type: 'string', default: '10000' },
    sizes: { type: 'string', default: '10000,100000' },
    'rate-sizes': { type: 'string', default: '5000' },
    'walk-sizes': { type: 'string', default: '5000,30000' },
    'no-rate': { type: 'boolean', default: false },
    runs: { type: 'string', default: '1' },
    /** No-change syncs and floors per size, interleaved; the table shows medians. */
    repeat: { type: 'string', default: '3' },
    /** The simulator's port (0: a free one). */
    'sim-port': { type: 'string', default: '0' },
    /** After the first full sync: whether the store floor stores exactly its rows (checkStoreFloor); that run's later timings are not for the table. */
    'check-store-floor': { type: 'boolean', default: false },
  },
});
const mb = (kb: number) => Math.round(kb / 1024);
const peakRssMb = () => mb(process.resourceUsage().maxRSS);

/** One size, in this (child) process. Prints one JSON line. */
async function child(mode: 'sync' | 'rate' | 'walk', employees: number): Promise<void> {
  if (mode === 'walk') return walk(employees);
  // As src/main.ts does: the sync measured is the sync as the gateway runs it.
  applyHeapGrowth(loadConfig({ V8_HEAP_GROWTH_PERCENT: process.env.V8_HEAP_GROWTH_PERCENT }).heapGrowthPercent);
  setRootLogger(createLogger('warn'));
  const sim = await startSimulatorProcess({ employees, rateLimits: mode === 'rate', port: portOption(values['sim-port'], 'sim-port') });
  try {
    // The simulator runs without limits here, so the client's pacing is lifted too; the rate run uses the real ones.
    const connector = mode === 'rate' ? personioConnector : unpacedPersonioConnector();
    if (mode === 'rate') stampUpstreamRequests();
    await withSyncBench('hgw_bench', connector as HrisConnector<unknown>, async ({ databaseUrl, config, ds, environmentId: env, runs, runner }) => {
      const { integration, syncId } = await createBenchIntegration(ds, config, env, sim);
      // The CPU of the bench database's backends, by pid: what this process's connections cost Postgres.
      const backendsCpu = async () => {
        const pids = rowsOf<{ pid: number }>(await ds.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)).map((r) => r.pid);
        return new Map(pids.map((pid) => [pid, backendCpuSeconds([pid])]));
      };
      const runOnce = async (id: string) => {
        const claimed = (await runs.claim(id, 'bench'))!;
        const pg0 = await backendsCpu();
        const node0 = process.cpuUsage();
        const t0 = performance.now();
        const done = (await runner.execute(claimed, { reason: null, abort: new AbortController() }))!;
        const seconds = (performance.now() - t0) / 1000;
        const node = process.cpuUsage(node0);
        // Backends that ended during the run are missed; the pool keeps its connections through a sync.
        let pg: number | null = 0;
        for (const [pid, after] of await backendsCpu()) {
          // A backend that connected during the run counts from zero; one whose CPU cannot be read makes the figure n/a.
          const before = pg0.has(pid) ? pg0.get(pid)! : 0;
          pg = pg === null || after === null || before === null ? null : pg + after - before;
        }
        if (done.status !== 'SUCCEEDED') throw new Error(`sync ${done.status}: ${done.error}`);
        return {
          seconds: +seconds.toFixed(2),
          employees_per_s: Math.round(employees / seconds),
          rows_written: done.created + done.updated + done.deleted,
          pages: done.pages,
          peak_rss_mb: peakRssMb(),
          node_cpu_s: +((node.user + node.system) / 1e6).toFixed(2),
          pg_cpu_s: pg === null ? null : +pg.toFixed(2),
        };
      };
      const result: Record<string, unknown> = { mode, employees };
      const memory = process.env.BENCH_MEMORY ? sampleMemory() : null;
      result.full = process.env.BENCH_CPU_PROFILE_FULL ? await profiled(process.env.BENCH_CPU_PROFILE_FULL, () => runOnce(syncId)) : await runOnce(syncId);
      memory?.report(employees);
      if (mode === 'sync') {
        // A second company's first sync, with table statistics that know only the first (its run
        // analyzed the tables): every customer after the first meets that. Then it goes, so the
        // floors and the no-change runs below see the tables as before.
        const second = await createBenchIntegration(ds, config, env, sim);
        result.second_company = await runOnce(second.syncId);
        await ds.query(`DELETE FROM integrations WHERE id = $1`, [second.integration.id]);
        await ds.query(`VACUUM ${PAGE_MODELS.map((m) => MODEL_TABLES[m].table).join(', ')}`);
      }
      if (values['check-store-floor']) {
        const check = await checkStoreFloor(databaseUrl, sim, employees, integration.id);
        result.store_floor_check = check;
        if (!check.ok) throw new Error(`the store floor does not store what the first sync stored: ${JSON.stringify(check.tables)}`);
      }
      if (mode === 'rate') {
        result.requests = await counted(upstreamRequests);
        result.rate_limited = await counted(upstreamRateLimited);
        result.busiest_second = busiest(1000);
        result.busiest_minute = busiest(60_000);
      } else {
        // Interleaved and repeated, medians kept: on a shared machine the load drifts within a run.
        const noChange = [];
        const fetchParse = [];
        const copy = [];
        const store = [];
        for (let i = 0; i < Number(values.repeat); i++) {
          const id = (await runs.enqueue(integration.id, { type: 'FULL', trigger: 'MANUAL' })).run.id;
          noChange.push(i === 0 && process.env.BENCH_CPU_PROFILE ? await profiled(process.env.BENCH_CPU_PROFILE, () => runOnce(id)) : await runOnce(id));
          fetchParse.push(await fetchParseFloor(sim, employees));
          copy.push(await copyFloor(databaseUrl, sim, employees));
          store.push(await storeFloor(databaseUrl, sim, employees));
        }
        if (noChange.length) {
          result.full_no_change = median(noChange);
          result.fetch_parse = floorMedian(fetchParse);
          result.copy = floorMedian(copy);
          result.store = floorMedian(store);
        }
        result.delta_no_change = await runOnce((await runs.enqueue(integration.id, { type: 'DELTA', trigger: 'MANUAL' })).run.id);
      }
      process.stdout.write(JSON.stringify(result) + '\n');
    });
  } finally {
    sim.proc.kill();
  }
}

/**
 * The production client alone pages through the simulator under its real limits (no mapping, no database):
 * what the limiter costs, apart from the machine's speed at syncing.
 */
async function walk(employees: number): Promise<void> {
  setRootLogger(createLogger('warn'));
  const sim = await startSimulatorProcess({ employees, rateLimits: true, port: portOption(values['sim-port'], 'sim-port') });
  try {
    let rateLimited = 0;
    let requests = 0;
    const noop = () => undefined;
    const client = new PersonioClient({
      credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
      baseUrl: sim.url,
      logger: { debug: noop, info: noop, warn: noop, error: noop },
      stats: {
        rateLimited: () => rateLimited++,
        requestMade: (e) => {
          if (e.endpoint !== 'employees') return;
          requestTimes.push(performance.now());
          requests++;
        },
      },
    });
    const t0 = performance.now();
    let pages = 0;
    for (let offset = 0; offset < employees; offset += 100) {
      await client.getEmployees({ offset, limit: 100 });
      pages++;
    }
    const seconds = (performance.now() - t0) / 1000;
    process.stdout.write(
      JSON.stringify({
        mode: 'walk',
        employees,
        full: { seconds: +seconds.toFixed(2), pages },
        requests,
        rate_limited: rateLimited,
        busiest_second: busiest(1000),
        busiest_minute: busiest(60_000),
      }) + '\n',
    );
  } finally {
    sim.proc.kill();
  }
}

/** BENCH_CPU_PROFILE=file.cpuprofile: a CPU profile of the first no-change full sync only (BENCH_CPU_PROFILE_FULL: of the first full sync). */
async function profiled<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

/**
 * BENCH_MEMORY=1: where the first full sync's peak RSS comes from, one `memory {…}` line on
 * stderr (the table is unchanged). Samples RSS and the V8 heap every 10 ms during the sync
 * and notes the heap left after each full collection (what the run keeps alive as it goes);
 * after the sync prints the sample at the peak, the heap's spaces, a timeline and, with
 * BENCH_MEMORY=gc, the heap after a forced full collection (the run's state released).
 * BENCH_HEAP_SNAPSHOT_AT=ms[,ms…] writes /tmp/bench-sync-<pid>-<ms>.heapsnapshot that long into
 * the sync, while the run's state is alive; BENCH_HEAP_SNAPSHOT=file one after it.
 */
function sampleMemory(): { report(employees: number): void } {
  const t0 = performance.now();
  let peak = { ms: 0, ...process.memoryUsage() };
  // [ms, rss, heapTotal, heapUsed, old space size, large objects, external] in MB.
  const timeline: number[][] = [];
  const space = (name: string) => mb((v8.getHeapSpaceStatistics().find((s) => s.space_name === name)?.space_size ?? 0) / 1024);
  const sample = () => {
    const m = process.memoryUsage();
    const ms = Math.round(performance.now() - t0);
    if (m.rss > peak.rss) peak = { ms, ...m };
    timeline.push([
      ms,
      mb(m.rss / 1024),
      mb(m.heapTotal / 1024),
      mb(m.heapUsed / 1024),
      space('old_space'),
      space('large_object_space'),
      mb(m.external / 1024),
    ]);
  };
  const timer = setInterval(sample, 10);
  for (const at of (process.env.BENCH_HEAP_SNAPSHOT_AT ?? '').split(',').map(Number))
    if (at > 0) setTimeout(() => v8.writeHeapSnapshot(`/tmp/bench-sync-${process.pid}-${at}.heapsnapshot`), at).unref();
  const liveAfterMajorGc: number[][] = [];
  const gcs = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if ((e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)
        liveAfterMajorGc.push([Math.round(e.startTime + e.duration - t0), mb(process.memoryUsage().heapUsed / 1024)]);
  });
  gcs.observe({ entryTypes: ['gc'] });
  return {
    report(employees) {
      clearInterval(timer);
      gcs.disconnect();
      sample();
      const spaces = Object.fromEntries(
        v8.getHeapSpaceStatistics().map((s) => [s.space_name, { size: mb(s.space_size / 1024), used: mb(s.space_used_size / 1024) }]),
      );
      const m = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, k === 'ms' ? v : mb(v / 1024)]));
      const out: Record<string, unknown> = { employees, max_rss: peakRssMb(), at_peak: m(peak), now: m({ ...process.memoryUsage() }), spaces };
      if (process.env.BENCH_MEMORY === 'gc') {
        v8.setFlagsFromString('--expose-gc');
        const gc = runInNewContext('gc') as () => void;
        gc();
        out.after_gc = m({ ...process.memoryUsage() });
      }
      // Every ~5 % of the run, to see whether RSS climbs with the pages or jumps at the end.
      const step = Math.max(1, Math.floor(timeline.length / 20));
      out.timeline = timeline.filter((_, i) => i % step === 0 || i === timeline.length - 1);
      out.live_after_major_gc = liveAfterMajorGc;
      process.stderr.write(`memory ${JSON.stringify(out)}\n`);
      if (process.env.BENCH_HEAP_SNAPSHOT) v8.writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT);
    },
  };
}

const median = <T extends { seconds: number }>(xs: T[]): T & { all: number[] } => {
  const sorted = [...xs].sort((a, b) => a.seconds - b.seconds);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)], all: xs.map((x) => x.seconds) };
};

/** Median of a number list (null when any is null: a server whose backends this machine cannot see). */
const medianOf = (xs: Array<number | null | undefined>): number | null => {
  if (xs.some((x) => x === null || x === undefined)) return null;
  const sorted = (xs as number[]).slice().sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};

/**
 * A floor's median run by wall time, and the medians of its CPU times (this process, and the
 * Postgres backends of a floor that writes): on a shared machine they drift far less than wall times.
 */
const floorMedian = <T extends { seconds: number; node_cpu_s: number; pg_cpu_s?: number | null }>(xs: T[]) => ({
  ...median(xs),
  node_cpu_s_median: medianOf(xs.map((x) => x.node_cpu_s)),
  ...(xs.length > 0 && 'pg_cpu_s' in xs[0] ? { pg_cpu_s_median: medianOf(xs.map((x) => x.pg_cpu_s)) } : {}), // none with --repeat 0
});

/** Request times (ms) of this child, for the busiest sliding second and minute. */
const requestTimes: number[] = [];
function busiest(windowMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < requestTimes.length; i++) {
    while (requestTimes[i] - requestTimes[j] >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/** Every upstream request of the sync is counted here; the bench also keeps the times of the employee-list ones (the limited endpoint). */
function stampUpstreamRequests(): void {
  const inc = upstreamRequests.inc.bind(upstreamRequests) as (...a: unknown[]) => void;
  (upstreamRequests as unknown as { inc: (...a: unknown[]) => void }).inc = (...a: unknown[]) => {
    if ((a[0] as { endpoint?: string } | undefined)?.endpoint === 'employees') requestTimes.push(performance.now());
    inc(...a);
  };
}

/** Sum of a prometheus counter over its labels (this child process only). */
async function counted(c: { get(): Promise<{ values: Array<{ value: number }> }> }): Promise<number> {
  return (await c.get()).values.reduce((n, v) => n + v.value, 0);
}

async function main(): Promise<void> {
  if (values.child) return child(values.child as 'sync' | 'rate' | 'walk', Number(values.employees));
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(`machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`);
  const sizes = values.sizes === 'none' ? [] : values.sizes.split(',');
  const jobs: Array<[string, string]> = [];
  for (let i = 0; i < Number(values.runs); i++) jobs.push(...sizes.map((n): [string, string] => ['sync', n]));
  if (!values['no-rate']) {
    for (const n of values['rate-sizes'].split(',')) jobs.push(['rate', n]);
    for (const n of values['walk-sizes'].split(',')) jobs.push(['walk', n]);
  }
  const syncRows: string[] = [];
  const cpuRows: string[] = [];
  const rateRows: string[] = [];
  const f = (n: number) => n.toLocaleString('en-US');
  for (const [mode, n] of jobs) {
    const args = [__filename, '--child', mode, '--employees', n, '--repeat', values.repeat, '--sim-port', values['sim-port']];
    if (values['check-store-floor']) args.push('--check-store-floor');
    const out = execFileSync(process.execPath, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
    });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    if (mode === 'rate' || mode === 'walk') {
      // Over a run longer than a minute: how much of the minute budget the client used (the target for large companies).
      const perMin =
        r.full.seconds >= 60 ? `${((r.requests / r.full.seconds) * 60).toFixed(0)} (${((r.requests / r.full.seconds / 5) * 100).toFixed(0)} %)` : '—';
      rateRows.push(
        // Peak RSS of a full sync paced as in production (the client alone maps and stores nothing: "—").
        `| ${mode === 'walk' ? 'client alone' : 'full sync'} | ${f(Number(n))} | ${r.full.pages} | ${r.full.seconds} s | ${r.requests} | ${r.busiest_second} | ${r.busiest_minute} | ${perMin} | ${r.rate_limited} | ${r.full.peak_rss_mb ? `${r.full.peak_rss_mb} MB` : '—'} |`,
      );
    } else {
      // --repeat 0 measures no floors and no no-change run: their cells read "—".
      const s = (x?: { seconds: number }) => (x === undefined ? '—' : `${x.seconds} s`);
      const ratio = (a: { seconds: number }, b?: { seconds: number }) => (b === undefined ? '—' : `**${(a.seconds / b.seconds).toFixed(2)}×**`);
      const noChange = r.full_no_change === undefined ? '—' : `${r.full_no_change.seconds} s (${r.full_no_change.rows_written})`;
      syncRows.push(
        `| ${f(Number(n))} | ${r.full.seconds} s | ${s(r.second_company)} | ${s(r.copy)} | ${ratio(r.full, r.copy)} ` +
          `| ${s(r.store)} | ${ratio(r.full, r.store)} | ${r.full.peak_rss_mb} MB ` +
          `| ${noChange} | ${s(r.fetch_parse)} | ${r.full_no_change === undefined ? '—' : ratio(r.full_no_change, r.fetch_parse)} ` +
          `| ${r.delta_no_change.seconds} s (${r.delta_no_change.rows_written}) |`,
      );
      const cpu = (x?: { node_cpu_s_median: number | null; pg_cpu_s_median?: number | null }) =>
        x === undefined
          ? '— | —'
          : `${x.node_cpu_s_median} s | ${x.pg_cpu_s_median === undefined ? '—' : x.pg_cpu_s_median === null ? 'n/a' : `${x.pg_cpu_s_median} s`}`;
      const pgCpu = (x: number | null) => (x === null ? 'n/a' : `${x} s`);
      cpuRows.push(`| ${f(Number(n))} | ${r.full.node_cpu_s} s | ${pgCpu(r.full.pg_cpu_s)} | ${cpu(r.fetch_parse)} | ${cpu(r.copy)} | ${cpu(r.store)} |`);
    }
    process.stderr.write(`${mode} ${n}: ${JSON.stringify(r)}\n`);
  }
  if (syncRows.length) {
    process.stdout.write(
      "\n| Employees | First full sync | A second company's first sync | COPY floor | Full / COPY | Store floor | Full / store | Peak RSS | No-change full (rows written) | Fetch+parse floor | No-change / fetch+parse | No-change delta (rows written) |\n",
    );
    process.stdout.write('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n' + syncRows.join('\n') + '\n');
    // CPU of the floors (medians): steadier than their wall times when others load the machine.
    process.stdout.write(
      '\nCPU of the first full sync and of the floors (floors: medians; Postgres: the backends that wrote, from /proc):\n\n' +
        '| Employees | First full sync: Node | Postgres | Fetch+parse: Node | Postgres | COPY floor: Node | Postgres | Store floor: Node | Postgres |\n' +
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n' +
        cpuRows.join('\n') +
        '\n',
    );
  }
  if (rateRows.length) {
    process.stdout.write("\nAgainst the simulator's real limits (300/min and 15/s per credential on the employee list):\n\n");
    process.stdout.write(
      '| Run | Employees | Pages | Time | Requests | Employee-list requests in the busiest second (of 15) | … in the busiest minute (of 300) | Requests/min over the run | 429 answers | Peak RSS |\n' +
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n' +
        rateRows.join('\n') +
        '\n',
    );
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
