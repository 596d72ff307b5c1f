import { fork } from 'node:child_process';
import * as os from 'node:os';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { createGateway } from '../src/bootstrap';
import { createLogger, setRootLogger } from '../src/common/logger';
import { loadConfig } from '../src/config/config';
import { applyHeapGrowth } from '../src/config/heap';
import { DeliveryWorker } from '../src/webhooks/delivery.worker';
import { EndpointsService } from '../src/webhooks/endpoints.service';
import { enqueueEvent } from '../src/webhooks/outbox';
import { WEBHOOK_CONFIG } from '../src/webhooks/webhooks.config';
import { portOption, withBenchDatabase } from './support';

/**
 * Webhook delivery to a local receiver (its own process, answering 200 at once):
 * 1. throughput: N events queued while the worker is stopped, then the time to deliver them all;
 * 2. latency: events committed one per transaction at a steady rate while the worker runs;
 *    latency = receiver arrival − the start of the event's transaction (same machine, same clock),
 *    first with the commit waking the worker (as shipped), then, as the baseline in the same run,
 *    the same worker with its wake-up subscription removed: polling every WEBHOOK_POLL_MS only.
 * Needs a Postgres server; a scratch database is created and dropped. The receiver and gateway listen on free ports
 * unless --receiver-port and --gateway-port pin them.
 * Run: npm run -s build && DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres node dist/bench/webhooks-delivery.js [--events 20000] [--rate 200] [--seconds 10] [--rounds 2]
 */
type Arrival = { id: string; at: number };

function receiver(): void {
  const arrivals: Arrival[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      arrivals.push({ id: req.headers['webhook-id'] as string, at: Date.now() });
      res.writeHead(200).end('ok');
    });
  });
  server.listen(Number(process.argv[3] ?? 0), '127.0.0.1', () => process.send?.({ port: (server.address() as { port: number }).port }));
  process.on('message', (m: string) => {
    if (m === 'drain') process.send?.({ arrivals: arrivals.splice(0) });
  });
}

const { values } = parseArgs({
  args: process.argv[2] === 'receiver' ? [] : process.argv.slice(2),
  options: {
    events: { type: 'string', default: '20000' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    'receiver-port': { type: 'string', default: '0' },
    'gateway-port': { type: 'string', default: '0' },
  },
});

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL to a Postgres server');
  await withBenchDatabase('hgw_bench_webhooks', run);
}

async function run(url: string): Promise<void> {
  const child = fork(__filename, ['receiver', String(portOption(values['receiver-port'], 'receiver-port'))]);
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  const drain = () =>
    new Promise<Arrival[]>((resolve) => {
      child.once('message', (m: { arrivals: Arrival[] }) => resolve(m.arrivals));
      child.send('drain');
    });

  setRootLogger(createLogger('warn'));
  const config = loadConfig();
  applyHeapGrowth(config.heapGrowthPercent);
  const gw = await createGateway({ ...config, databaseUrl: url, port: portOption(values['gateway-port'], 'gateway-port'), allowPrivateNetworkTargets: true });
  try {
    const [{ id: env }] = await gw.ds.query(`SELECT id FROM environments LIMIT 1`);
    await gw.app.get(EndpointsService).create(env, { url: `http://127.0.0.1:${port}/hook` });
    const worker = gw.app.get(DeliveryWorker);
    const emit = (em: Parameters<typeof enqueueEvent>[0], i: number) =>
      enqueueEvent(em, {
        environmentId: env,
        integrationId: null,
        type: 'data-changed',
        data: { integration_id: 'personio:bench', integration_tool: 'personio', integration_category: 'HRIS', changed_models: [{ name: 'hris_employees' }], i },
      });

    // 1. Throughput.
    const n = Number(values.events);
    await worker.stop();
    for (let i = 0; i < n; i += 1000)
      await gw.ds.transaction(async (em) => {
        for (let j = i; j < Math.min(n, i + 1000); j++) await emit(em, j);
      });
    const t0 = Date.now();
    const cpu0 = process.cpuUsage();
    worker.start();
    let got = 0;
    while (got < n) {
      await new Promise((r) => setTimeout(r, 100));
      got += (await drain()).length;
    }
    const secs = (Date.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    // Gateway CPU per delivery (this process: worker, sender, pg client; not Postgres or the receiver): less noisy than the rate on a shared machine.
    const cpuPerDelivery = Math.round((cpu.user + cpu.system) / n);
    process.stderr.write(`throughput: ${n} deliveries in ${secs.toFixed(2)} s = ${Math.round(n / secs)} deliveries/s, ${cpuPerDelivery} µs gateway CPU each\n`);

    // The throughput phase leaves thousands of dead and fresh rows: whichever latency phase ran first paid for
    // them (autovacuum, stale statistics). Settle the tables so both phases start from the same state.
    for (const t of ['webhook_events', 'webhook_deliveries', 'webhook_attempts']) await gw.ds.query(`VACUUM ANALYZE ${t}`);
    // 2. Latency at a steady rate, one event per transaction: woken by the commit, then polling only (baseline).
    const rate = Number(values.rate);
    const total = rate * Number(values.seconds);
    const latency = async () => {
      const begun = new Map<string, number>();
      const commits: number[] = [];
      const start = Date.now();
      for (let i = 0; i < total; i++) {
        const due = start + (i * 1000) / rate;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        const t = Date.now();
        void gw.ds
          .transaction((em) => emit(em, i))
          .then((id) => {
            begun.set(id, t);
            commits.push(Date.now() - t);
          });
      }
      const arrivals: Arrival[] = [];
      while (arrivals.length < total) {
        await new Promise((r) => setTimeout(r, 200));
        arrivals.push(...(await drain()));
      }
      const lat = arrivals.map((a) => a.at - (begun.get(a.id) ?? a.at)).sort((a, b) => a - b);
      const pct = (p: number, l = lat) => l[Math.min(l.length - 1, Math.floor((p / 100) * l.length))];
      commits.sort((a, b) => a - b);
      return { p50: pct(50), p95: pct(95), p99: pct(99), max: lat.at(-1)!, 'commit p99': pct(99, commits) };
    };
    // The phases alternate (baseline first, then woken, --rounds times): whichever phase runs first after the
    // throughput phase pays for a database still settling (checkpoint, autovacuum), so one pair alone misleads.
    const unlisten = () => (worker as unknown as { unlisten(): void }).unlisten();
    const rounds: { woken: Awaited<ReturnType<typeof latency>>; polled: Awaited<ReturnType<typeof latency>> }[] = [];
    for (let r = 0; r < Number(values.rounds); r++) {
      unlisten();
      const polled = await latency();
      await worker.stop();
      worker.start();
      rounds.push({ polled, woken: await latency() });
    }
    const cpus = os.cpus();
    console.log(
      `\nWebhook delivery, ${cpus.length} × ${cpus[0]?.model ?? '?'}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}, WEBHOOK_POLL_MS=${gw.app.get(WEBHOOK_CONFIG).pollMs}\n`,
    );
    console.log(`| measure | woken by the commit | polling only (baseline) |`);
    console.log(`|---|---:|---:|`);
    console.log(`| throughput, ${n} queued events | ${Math.round(n / secs)} deliveries/s (${cpuPerDelivery} µs gateway CPU each) | — |`);
    rounds.forEach(({ woken, polled }, i) => {
      const f = (l: typeof woken) => `${l.p50} / ${l.p95} / ${l.p99} / ${l.max} ms (commit p99 ${l['commit p99']} ms)`;
      console.log(`| round ${i + 1}: event→delivery p50 / p95 / p99 / max at ${rate} events/s, ${total} events | ${f(woken)} | ${f(polled)} |`);
    });
  } finally {
    await gw.close();
    child.kill();
  }
}

if (process.argv[2] === 'receiver') receiver();
else
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
