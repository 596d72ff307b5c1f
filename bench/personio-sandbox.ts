import { parseArgs } from 'node:util';
import { Agent, request } from 'node:http';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startPersonioSandbox } from '../connectors/personio/sandbox';
import { listEmployees } from '../connectors/personio/sandbox/employees-api';
import { SandboxState, resolveOptions } from '../connectors/personio/sandbox/state';
import { markdownTable, portOption } from './support';

/**
 * Generates a company, then pages through every employee at limit 100 over real HTTP (keep-alive),
 * the way the connector does. Prints generation time, pages/s, employees/s and peak RSS.
 * The sandbox runs in a worker thread so server and client each get a core, as in real use.
 * `--concurrency N` keeps N page requests in flight (in offset order) so rendering, transfer and
 * parsing overlap; 1 is a strictly sequential walk.
 * The sandbox listens on a free port unless --port pins it. Prints the row of the table in docs/benchmarks.md.
 * Run: npm run -s build && node dist/bench/personio-sandbox.js --employees 100000
 */
const { values } = parseArgs({
  options: {
    employees: { type: 'string', default: '100000' },
    limit: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '2' },
    'skip-render-only': { type: 'boolean', default: false },
    port: { type: 'string', default: '0' },
  },
});

let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function getText(agent: Agent, url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Started {
  url: string;
  clientId: string;
  clientSecret: string;
  genMs: number;
}

/** Rendering alone (no HTTP, no client): the sandbox's own ceiling on this machine. */
function renderOnly(employees: number, limit: number, seed: number): number {
  const state = new SandboxState(resolveOptions({ employees, seed, rateLimits: false }));
  const credential = state.auth.add();
  const t0 = performance.now();
  let pages = 0;
  for (let offset = 0; offset < employees; offset += limit) {
    listEmployees(state, credential, new URLSearchParams({ limit: String(limit), offset: String(offset) }));
    pages++;
  }
  return pages / ((performance.now() - t0) / 1000);
}

/** Worker side: generate and serve until the main thread says stop. */
async function serve(): Promise<void> {
  const t0 = performance.now();
  const sb = await startPersonioSandbox({ employees: workerData.employees, seed: workerData.seed, rateLimits: false, port: workerData.port });
  const c = sb.defaultCredential;
  parentPort!.postMessage({ url: sb.url, clientId: c.clientId, clientSecret: c.clientSecret, genMs: performance.now() - t0 } satisfies Started);
  parentPort!.once('message', () => void sb.close().then(() => process.exit(0)));
}

async function main(): Promise<void> {
  const employees = Number(values.employees);
  const limit = Number(values.limit);
  const sampler = setInterval(sampleRss, 50);
  const worker = new Worker(__filename, { workerData: { employees, seed: Number(values.seed), port: portOption(values.port, 'port') } });
  const started = await new Promise<Started>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const genMs = started.genMs;
  sampleRss();
  const rssAfterGenerate = process.memoryUsage().rss;
  const sb = { url: started.url };
  const c = { clientId: started.clientId, clientSecret: started.clientSecret };
  const auth = await fetch(`${sb.url}/v1/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: c.clientId, client_secret: c.clientSecret }),
  });
  const token = ((await auth.json()) as { data: { token: string } }).data.token;
  const agent = new Agent({ keepAlive: true, maxSockets: Math.max(1, Number(values.concurrency)) });

  const concurrency = Math.max(1, Number(values.concurrency));
  let pages = 0;
  let seen = 0;
  let bytes = 0;
  let nextOffset = 0;
  let done = false;
  const t1 = performance.now();
  const walker = async () => {
    while (!done) {
      const offset = nextOffset;
      nextOffset += limit;
      const r = await getText(agent, `${sb.url}/v1/company/employees?limit=${limit}&offset=${offset}`, token);
      if (r.status !== 200) throw new Error(`page at offset ${offset}: HTTP ${r.status}`);
      const page = JSON.parse(r.body) as { data: unknown[] };
      pages++;
      seen += page.data.length;
      bytes += r.body.length;
      if (page.data.length < limit) done = true;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, walker));
  const secs = (performance.now() - t1) / 1000;
  sampleRss();
  clearInterval(sampler);
  agent.destroy();
  worker.postMessage('stop');
  await new Promise((r) => worker.once('exit', r));
  const renderRate = values['skip-render-only'] ? null : renderOnly(employees, limit, Number(values.seed));

  const f = (n: number) => Math.round(n).toLocaleString('en-US');
  const r = (title: string) => ({ title, right: true });
  process.stdout.write(
    `personio-sandbox bench: limit ${limit}, Node ${process.version}; RSS after generating ${mb(rssAfterGenerate)}\n\n` +
      markdownTable(
        [
          r('Employees'),
          r('Concurrency'),
          r('Generate'),
          r('Pages'),
          r('JSON served'),
          r('Walk'),
          r('Pages/s'),
          r('Employees/s'),
          r('Peak RSS (server + client)'),
        ],
        [
          [
            f(employees),
            concurrency,
            `${(genMs / 1000).toFixed(1)} s`,
            f(pages),
            `${f(bytes / 1024 / 1024)} MB`,
            `${secs.toFixed(1)} s`,
            f(pages / secs),
            f(seen / secs),
            mb(peakRss),
          ],
        ],
      ) +
      (renderRate !== null ? `\nRendering alone (in-process, no HTTP, after the walk): ${renderRate.toFixed(0)} pages/s.\n` : ''),
  );
  if (seen !== employees) throw new Error(`saw ${seen} employees, expected ${employees}`);
}

(isMainThread ? main() : serve()).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
