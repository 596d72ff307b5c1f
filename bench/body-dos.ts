import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import * as path from 'node:path';
import { markdownTable, portOption, withBenchDatabase } from './support';

/**
 * Pre-auth body DoS (issue #17): N parallel unauthenticated 44 MB uploads to
 * POST /v1/hris/employees/{id}/documents, repeated for `--seconds` (each of the N
 * senders starts its next upload when the previous one is answered), while /health
 * is probed every 50 ms. Three processes: the gateway (which samples its own RSS),
 * the attacker, and this one, which only probes, so the senders' own work does not
 * delay the probes. The probe latencies and the gateway's peak RSS are the figures. `--dist <dir>` runs
 * another build (e.g. main's) the same way, for the before/after comparison.
 *
 *   npm run -s build && node dist/bench/body-dos.js [--parallel 8] [--mb 44] [--seconds 10] [--dist /path/to/other/dist] [--label main] [--run 1] [--port 0]
 *
 * Needs a Postgres server in DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres);
 * it creates and drops its own database. The gateway listens on a free port unless --port pins it.
 * Prints one row of the table in docs/benchmarks.md (--label names the build, --run numbers the run).
 */
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};

async function serve(dist: string, port: number): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { createGateway } = require(path.join(dist, 'src/bootstrap.js')) as typeof import('../src/bootstrap');
  const { loadConfig } = require(path.join(dist, 'src/config/config.js')) as typeof import('../src/config/config');
  const { createLogger, setRootLogger } = require(path.join(dist, 'src/common/logger.js')) as typeof import('../src/common/logger');
  setRootLogger(createLogger('silent'));
  const gw = await createGateway({ ...loadConfig(), port, host: '127.0.0.1' });
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  process.on('message', (m) => {
    if (m === 'reset') peak = process.memoryUsage().rss;
    if (m === 'report') process.send?.({ peak, rss: process.memoryUsage().rss });
    if (m === 'stop') void gw.close().then(() => (clearInterval(sampler), process.exit(0)));
  });
  process.send?.({ port: (gw.app.getHttpServer().address() as { port: number }).port, rss: process.memoryUsage().rss });
}

function upload(port: number, body: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/hris/employees/abc/documents',
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(-1)); // the server may close the connection once it has answered
    req.end(body);
  });
}

function probe(port: number): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/health', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
    });
    req.on('error', () => resolve(Number.POSITIVE_INFINITY));
    req.setTimeout(60_000, () => req.destroy());
    req.end();
  });
}

async function attack(port: number, parallel: number, mb: number, seconds: number): Promise<void> {
  const data = 'A'.repeat(mb * 1024 * 1024 - 200);
  const body = Buffer.from(JSON.stringify({ category_id: 'x', document: { name: 'a.pdf', content_type: 'application/pdf', data } }));
  const statuses: number[] = [];
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      do statuses.push(await upload(port, body));
      while (Date.now() < until);
    }),
  );
  const counts = statuses.reduce<Record<string, number>>((a, s) => ((a[s] = (a[s] ?? 0) + 1), a), {});
  process.send?.({ counts, body_mb: +(body.length / 1048576).toFixed(1) });
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main(): Promise<void> {
  const parallel = Number(arg('parallel', '8'));
  const mb = Number(arg('mb', '44'));
  const dist = path.resolve(arg('dist', path.join(__dirname, '..')));
  const port = portOption(arg('port', '0'), 'port');
  await withBenchDatabase('hgw_bench_dos', async (url) => {
    const child = fork(__filename, ['serve', dist, String(port)], {
      env: { ...process.env, DATABASE_URL: url, ENCRYPTION_KEY: randomBytes(32).toString('base64'), GATEWAY_ROLE: 'api' },
    });
    try {
      const hello = await new Promise<{ port: number; rss: number }>((resolve, reject) => {
        child.once('message', (m) => resolve(m as { port: number; rss: number }));
        child.once('exit', (c) => reject(new Error(`gateway exited (${c})`)));
      });
      for (let i = 0; i < 20; i++) await probe(hello.port); // warm
      // The same probing without the attack first: on a shared machine, the reference to compare with.
      const idle: number[] = [];
      for (const until = Date.now() + 5000; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) idle.push(await probe(hello.port));
      child.send('reset');
      const latencies: number[] = [];
      let running = true;
      const prober = (async () => {
        while (running) {
          latencies.push(await probe(hello.port));
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const t0 = Date.now();
      const attacker = fork(__filename, ['attack', String(hello.port), String(parallel), String(mb), arg('seconds', '10')]);
      const { counts, body_mb } = await new Promise<{ counts: Record<string, number>; body_mb: number }>((resolve) =>
        attacker.once('message', (m) => resolve(m as never)),
      );
      await new Promise((r) => attacker.once('exit', r));
      const elapsed = Date.now() - t0;
      await new Promise((r) => setTimeout(r, 500));
      running = false;
      await prober;
      const report = await new Promise<{ peak: number; rss: number }>((resolve) => {
        child.once('message', (m) => resolve(m as { peak: number; rss: number }));
        child.send('report');
      });
      const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'timeout');
      const n = (x: number) => x.toLocaleString('en-US');
      const answered = Object.entries(counts)
        .map(([status, count]) => `${n(count)} × ${status}`)
        .join(', ');
      const columns = [
        { title: 'Build' },
        { title: 'Run', right: true },
        { title: `Uploads answered in ${arg('seconds', '10')} s` },
        { title: '`/health` idle p50 / p99', right: true },
        { title: '`/health` under attack p50 / p99 / max', right: true },
        { title: 'Gateway RSS before → peak', right: true },
      ];
      const row = [
        arg('label', dist),
        arg('run', '1'),
        answered,
        `${ms(pct(idle, 50))} / ${ms(pct(idle, 99))} ms`,
        `${ms(pct(latencies, 50))} / **${ms(pct(latencies, 99))}** / ${ms(Math.max(...latencies))} ms`,
        `${n(Math.round(hello.rss / 1048576))} → **${n(Math.round(report.peak / 1048576))} MB**`,
      ];
      process.stdout.write(
        `${parallel} senders × ${body_mb} MB, ${(elapsed / 1000).toFixed(1)} s, ${latencies.length} /health probes; build ${dist}\n\n${markdownTable(columns, [row])}`,
      );
    } finally {
      child.send('stop');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    }
  });
}

const [, , mode, ...rest] = process.argv;
(mode === 'serve'
  ? serve(rest[0], Number(rest[1]))
  : mode === 'attack'
    ? attack(Number(rest[0]), Number(rest[1]), Number(rest[2]), Number(rest[3]))
    : main()
).catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
