import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { startPersonioSandbox } from '../connectors/personio/sandbox';
import { createGateway } from '../src/bootstrap';
import { createLogger, setRootLogger } from '../src/common/logger';
import { loadConfig } from '../src/config/config';
import { InboundSubscriptions } from '../src/inbound/subscriptions.service';
import { createIntegrationWithFirstSync } from '../src/integrations/first-sync';
import { EndpointsService } from '../src/webhooks/endpoints.service';
import { markdownTable, portOption, withBenchDatabase } from './support';

/**
 * Change → LMS webhook latency, with Personio's v2 webhooks against polling:
 * 1. webhooks: N changes in the simulator, one after the other (dispatch latency 0); latency =
 *    arrival of the `hris.employee.updated` record event at a local LMS receiver − the change;
 * 2. polling: the same N changes spread over one minute, with the delta sync every minute;
 * 3. burst: B changes at once with webhooks on; time until the LMS has an event for each.
 * The simulator runs at real time (Personio's rate limits); all in one process, same clock.
 * A scratch database is created and dropped; the simulator, gateway and LMS listen on free ports unless
 * --sim-port, --gateway-port, --lms-port pin them. Prints the tables of docs/benchmarks.md.
 * Run: npm run -s build && DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres node dist/bench/realtime.js [--changes 200] [--burst 10000]
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

const { values } = parseArgs({
  options: {
    changes: { type: 'string', default: '200' },
    burst: { type: 'string', default: '10000' },
    'sim-port': { type: 'string', default: '0' },
    'gateway-port': { type: 'string', default: '0' },
    'lms-port': { type: 'string', default: '0' },
  },
});

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL to a Postgres server');
  await withBenchDatabase('hgw_bench_realtime', run);
}

async function run(url: string): Promise<void> {
  const changes = Number(values.changes);
  const burst = Number(values.burst);

  // The LMS: remembers when each employee's record event arrived.
  const arrivals = new Map<string, number[]>();
  const lms = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const e = JSON.parse(body) as { type: string; data: { remote_id?: string } };
      if (e.type === 'hris.employee.updated' && e.data.remote_id) arrivals.set(e.data.remote_id, [...(arrivals.get(e.data.remote_id) ?? []), Date.now()]);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => lms.listen(portOption(values['lms-port'], 'lms-port'), '127.0.0.1', r));
  const arrivedAfter = (id: string, t: number) => (arrivals.get(id) ?? []).find((a) => a >= t);

  const sb = await startPersonioSandbox({
    employees: Math.max(burst, changes, 100),
    seed: 1,
    timeScale: 1,
    webhooks: { dispatchLatencyMs: 0 },
    port: portOption(values['sim-port'], 'sim-port'),
  });
  setRootLogger(createLogger('warn'));
  const base_ = loadConfig();
  const config = {
    ...base_,
    databaseUrl: url,
    port: portOption(values['gateway-port'], 'gateway-port'),
    host: '127.0.0.1',
    allowPrivateNetworkTargets: true,
    inbound: { ...base_.inbound, publicUrlSet: true },
  };
  const gw = await createGateway(config);
  config.publicUrl = `http://127.0.0.1:${(gw.app.getHttpServer().address() as { port: number }).port}`;
  try {
    const [{ id: env }] = await gw.ds.query(`SELECT id FROM environments LIMIT 1`);
    await gw.app.get(EndpointsService).create(env, { url: `http://127.0.0.1:${(lms.address() as { port: number }).port}/hook`, record_events: true });
    const t0 = Date.now();
    const { integration, syncId } = await createIntegrationWithFirstSync(gw.ds, config, {
      environment: env,
      tool: 'personio',
      organization: 'Bench',
      baseUrl: sb.url,
      credentials: { clientId: sb.defaultCredential.clientId, clientSecret: sb.defaultCredential.clientSecret },
    });
    for (;;) {
      const [r] = await gw.ds.query(`SELECT status FROM sync_runs WHERE id = $1`, [syncId]);
      if (!['QUEUED', 'RUNNING'].includes(r.status)) break;
      await sleep(200);
    }
    const firstSync = `first full sync of ${sb.employeeIds().length} employees: ${((Date.now() - t0) / 1000).toFixed(1)} s`;
    process.stderr.write(`${firstSync}\n`);
    const subs = gw.app.get(InboundSubscriptions);
    if ((await subs.ensure(integration.id)) !== 'ACTIVE') throw new Error('could not subscribe');
    const ids = sb.employeeIds().map(String);

    // 1. webhooks, one change at a time
    const hooked: number[] = [];
    for (let i = 0; i < changes; i++) {
      const id = ids[i % ids.length];
      const at = Date.now();
      sb.change(Number(id), { first_name: `Hook${i}` });
      for (let a = arrivedAfter(id, at); ; a = arrivedAfter(id, at)) {
        if (a !== undefined) {
          hooked.push(a - at);
          break;
        }
        if (Date.now() - at > 60_000) throw new Error(`no record event for ${id} within 60 s`);
        await sleep(5);
      }
    }
    process.stderr.write(`webhooks done: ${changes} changes\n`);

    // 2. polling: no subscription, a delta every minute, changes spread over that minute
    await subs.remove(integration.id);
    await gw.ds.query(`UPDATE integrations SET settings = jsonb_set(COALESCE(settings, '{}'::jsonb), '{delta_interval_minutes}', '1') WHERE id = $1`, [
      integration.id,
    ]);
    await gw.ds.query(`UPDATE sync_schedules SET next_delta_at = now() + interval '1 minute' WHERE integration_id = $1`, [integration.id]);
    const polled: Array<{ id: string; at: number }> = [];
    const spread = 60_000 / changes;
    for (let i = 0; i < changes; i++) {
      const id = ids[(i + changes) % ids.length];
      polled.push({ id, at: Date.now() });
      sb.change(Number(id), { first_name: `Poll${i}` });
      await sleep(spread);
    }
    const deadline = Date.now() + 150_000;
    while (polled.some((p) => arrivedAfter(p.id, p.at) === undefined) && Date.now() < deadline) await sleep(200);
    const polledMs = polled.map((p) => (arrivedAfter(p.id, p.at) ?? Infinity) - p.at);
    process.stderr.write(`polling done: ${changes} changes\n`);

    // 3. burst with webhooks on
    if ((await subs.ensure(integration.id)) !== 'ACTIVE') throw new Error('could not subscribe again');
    const burstIds = ids.slice(0, burst);
    const started = Date.now();
    for (const [n, id] of burstIds.entries()) sb.change(Number(id), { first_name: `Burst${n}` });
    const until = Date.now() + 300_000;
    let missing = burstIds.length;
    while (Date.now() < until) {
      missing = burstIds.filter((id) => arrivedAfter(id, started) === undefined).length;
      if (missing === 0) break;
      await sleep(250);
    }
    const last = Math.max(...burstIds.map((id) => arrivedAfter(id, started) ?? 0));
    const runs = await gw.ds.query(
      `SELECT count(*) FILTER (WHERE since IS NULL)::int AS targeted, count(*) FILTER (WHERE since IS NOT NULL)::int AS delta FROM sync_runs WHERE trigger = 'WEBHOOK' AND queued_at >= to_timestamp($1 / 1000.0)`,
      [started],
    );
    const s = (last - started) / 1000;
    const f = (n: number) => (Number.isFinite(n) ? n.toLocaleString('en-US') : '—');
    const r = (title: string) => ({ title, right: true });
    process.stdout.write(
      `${firstSync}\n\n` +
        markdownTable(
          [{ title: 'Path' }, r('Changes'), r('Latency p50'), r('p99'), r('max')],
          [
            ['Webhooks (targeted re-read)', changes, `${f(pct(hooked, 50))} ms`, `${f(pct(hooked, 99))} ms`, `${f(Math.max(...hooked))} ms`],
            [
              'Polling, delta every minute',
              changes,
              `${(pct(polledMs, 50) / 1000).toFixed(1)} s`,
              `${(pct(polledMs, 99) / 1000).toFixed(1)} s`,
              `${(Math.max(...polledMs) / 1000).toFixed(1)} s`,
            ],
          ],
        ) +
        '\n' +
        markdownTable(
          [r('Burst changes'), r('Missing'), r('All at the LMS after'), r('Changes/s'), r('WEBHOOK runs: targeted'), r('delta')],
          [[f(burstIds.length), missing, `${s.toFixed(1)} s`, Math.round(burstIds.length / s), runs[0].targeted, runs[0].delta]],
        ),
    );
  } finally {
    await gw.close();
    await sb.close();
    lms.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
