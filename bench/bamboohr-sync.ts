// BambooHR full-sync benchmark. Each mode (simulator rate limit off, on) runs in its own process
// (so peak RSS is per mode), against the BambooHR simulator in a separate process and a real
// Postgres server, with a same-run baseline measured in the same process right after the sync:
// the fetch+parse floor, i.e. the HTTP requests the connector makes for a full sync (same
// paths, parameters and report bodies), sent one after another over keep-alive and JSON.parsed,
// with no mapping and no database.
//   npm run bench:bamboohr                           10,000 employees, rate limit off then on
//   node dist/bench/bamboohr-sync.js --employees 2000 --modes off,on --sim-port 4021
// Needs DATABASE_URL (a server where it may CREATE/DROP DATABASE); default postgresql://postgres@127.0.0.1:5432/postgres.
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import { parseArgs } from 'node:util';
import { BAMBOOHR_PAGE_SIZE, createBamboohrConnector } from '../connectors/bamboohr/connector';
import { formatSince } from '../connectors/bamboohr/client';
import { LIST_FIELDS, planFields } from '../connectors/bamboohr/fields';
import type { BambooFieldMeta } from '../connectors/bamboohr/types';
import { createLogger, setRootLogger } from '../src/common/logger';
import { loadConfig } from '../src/config/config';
import { applyHeapGrowth } from '../src/config/heap';
import type { HrisConnector } from '../connectors/connector';
import { createIntegrationWithFirstSync } from '../src/integrations/first-sync';
import { UNPACED, withSyncBench } from './sync-bench-db';
import { portOption, startBambooSimulatorProcess, type BambooSimulatorProcess } from './support';

const { values } = parseArgs({
  options: {
    child: { type: 'string' }, // 'off' | 'on': the simulator's rate limit
    employees: { type: 'string', default: '10000' },
    modes: { type: 'string', default: 'off,on' },
    /** The simulator's port (0: a free one). */
    'sim-port': { type: 'string', default: '0' },
  },
});

type Mode = 'off' | 'on';

/** Peak RSS, sampled every 20 ms while `fn` runs (the process's own maxRSS would include everything before). */
async function sampledPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, peakRssMb: Math.round(peak / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

/** What the simulator saw (its request log, control routes excluded): requests and 429 answers. */
async function simulatorCounts(sim: BambooSimulatorProcess): Promise<{ requests: number; throttled: number }> {
  const log = (await (await fetch(`${sim.url}/_sandbox/requests`)).json()) as Array<{ path: string; status: number }>;
  const api = log.filter((r) => !r.path.startsWith('/_sandbox'));
  return { requests: api.length, throttled: api.filter((r) => r.status === 429).length };
}

const clearLog = async (sim: BambooSimulatorProcess) => void (await fetch(`${sim.url}/_sandbox/requests`, { method: 'DELETE' }));

/**
 * The floor: the requests a full sync sends (document categories, field and list metadata, the three
 * tables for everyone, every list page with its custom report, the deletions since the start), in
 * order, over keep-alive (fetch's default agent), bodies JSON.parsed and dropped. A 429 is waited
 * out (Retry-After) and counted, as the connector would.
 */
async function fetchParseFloor(sim: BambooSimulatorProcess): Promise<{ seconds: number; requests: number; throttled: number }> {
  const base = `${sim.url}/api/gateway.php/${sim.company}/v1`;
  const headers = { authorization: `Basic ${Buffer.from(`${sim.apiKey}:x`).toString('base64')}`, accept: 'application/json' };
  let requests = 0;
  let throttled = 0;
  const call = async (p: string, params: Record<string, string> = {}, body?: unknown): Promise<unknown> => {
    const url = `${base}${p}${Object.keys(params).length ? `?${new URLSearchParams(params)}` : ''}`;
    for (;;) {
      requests++;
      const res = await fetch(
        url,
        body === undefined ? { headers } : { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) },
      );
      const text = await res.text();
      if (res.status === 429) {
        throttled++;
        await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? '1') * 1000));
        continue;
      }
      if (res.status >= 400) throw new Error(`floor: ${p} answered ${res.status}`);
      return JSON.parse(text);
    }
  };
  const t0 = performance.now();
  const startedAt = new Date();
  // documentCategories: five people's file views.
  const probe = (await call('/employees', { 'page[limit]': '5' })) as { data: Array<{ employeeId: number }> };
  for (const e of probe.data) await call(`/employees/${e.employeeId}/files/view`);
  const plan = planFields((await call('/meta/fields')) as BambooFieldMeta[]);
  await call('/meta/lists');
  for (const t of ['jobInfo', 'employmentStatus', 'compensation']) await call(`/employees/all/tables/${t}`);
  let cursor: string | null = null;
  do {
    const params: Record<string, string> = { 'page[limit]': String(BAMBOOHR_PAGE_SIZE), fields: LIST_FIELDS.join(','), sort: 'employeeId' };
    if (cursor) params['page[after]'] = cursor;
    const page = (await call('/employees', params)) as { data: Array<{ employeeId: number }>; meta?: { page?: { nextCursor?: string | null } } };
    const ids = page.data.map((r) => Number(r.employeeId));
    await call(
      '/reports/custom',
      { format: 'JSON', onlyCurrent: 'false' },
      { title: 'HRIS gateway sync', fields: plan.request, filters: { employeeIds: ids }, filterDuplicates: 'yes' },
    );
    cursor = page.meta?.page?.nextCursor ?? null;
  } while (cursor);
  await call('/employees/changed', { since: formatSince(new Date(startedAt.getTime() - 5 * 60_000)), type: 'deleted' });
  return { seconds: +((performance.now() - t0) / 1000).toFixed(2), requests, throttled };
}

/** One mode, in this (child) process. Prints one JSON line. */
async function child(mode: Mode, employees: number): Promise<void> {
  // As src/main.ts does: the sync measured is the sync as the gateway runs it.
  applyHeapGrowth(loadConfig({ V8_HEAP_GROWTH_PERCENT: process.env.V8_HEAP_GROWTH_PERCENT }).heapGrowthPercent);
  setRootLogger(createLogger('warn'));
  const sim = await startBambooSimulatorProcess({ employees, port: portOption(values['sim-port'], 'sim-port'), rateLimits: mode === 'on' });
  try {
    // Without the simulator's limit the client's own pacing (5/s) is lifted too; with it, the production client runs as shipped.
    const connector = mode === 'on' ? createBamboohrConnector() : createBamboohrConnector({ client: { limit: UNPACED } });
    await withSyncBench('hgw_bench_bamboo', connector as HrisConnector<unknown>, async ({ config, ds, environmentId: env, runs, runner }) => {
      const { syncId } = await createIntegrationWithFirstSync(ds, config, {
        environment: env,
        tool: 'bamboohr',
        organization: 'Bench',
        baseUrl: sim.url,
        credentials: { companyDomain: sim.company, apiKey: sim.apiKey },
      });
      await clearLog(sim);
      const claimed = (await runs.claim(syncId, 'bench'))!;
      const { result: sync, peakRssMb } = await sampledPeakRss(async () => {
        const t0 = performance.now();
        const done = (await runner.execute(claimed, { reason: null, abort: new AbortController() }))!;
        const seconds = (performance.now() - t0) / 1000;
        if (done.status !== 'SUCCEEDED') throw new Error(`sync ${done.status}: ${done.error}`);
        return { seconds: +seconds.toFixed(2), rows_written: done.created + done.updated + done.deleted };
      });
      const [{ n: stored }] = await ds.query(`SELECT count(*)::int AS n FROM hris_employees`);
      if (stored !== employees) throw new Error(`the sync stored ${stored} employees, the simulator has ${employees}`);
      const seen = await simulatorCounts(sim);
      await clearLog(sim);
      const floor = await fetchParseFloor(sim);
      process.stdout.write(
        JSON.stringify({ mode, employees, sync: { ...sync, requests: seen.requests, throttled: seen.throttled, peak_rss_mb: peakRssMb }, floor }) + '\n',
      );
    });
  } finally {
    sim.proc.kill();
  }
}

async function main(): Promise<void> {
  if (values.child) return child(values.child as Mode, Number(values.employees));
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(
    `machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );
  const rows: string[] = [];
  const f = (n: number) => n.toLocaleString('en-US');
  for (const mode of values.modes.split(',') as Mode[]) {
    const out = execFileSync(process.execPath, [__filename, '--child', mode, '--employees', values.employees, '--sim-port', values['sim-port']], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
    });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    rows.push(
      `| ${mode === 'on' ? 'on (600/60 s; client 5/s)' : 'off (client unpaced)'} | ${f(r.employees)} | ${r.sync.seconds} s | ${r.floor.seconds} s | **${(r.sync.seconds / r.floor.seconds).toFixed(2)}×** ` +
        `| ${r.sync.requests} | ${r.floor.requests} | ${r.sync.throttled} | ${r.sync.rows_written} | ${r.sync.peak_rss_mb} MB |`,
    );
    process.stderr.write(`${mode}: ${JSON.stringify(r)}\n`);
  }
  process.stdout.write(
    '\n| Simulator rate limit | Employees | Full sync | Fetch+parse floor | Sync / floor | Requests (sync) | Requests (floor) | 429s seen (sync) | Rows written | Peak RSS (sampled) |\n',
  );
  process.stdout.write('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n' + rows.join('\n') + '\n');
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
