import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { startPersonioSandbox, type PersonioSandbox } from '../connectors/personio/sandbox';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { openDatabase } from '../src/bootstrap';
import { GatewayConfig, loadConfig } from '../src/config/config';
import { createIntegrationWithFirstSync } from '../src/integrations/first-sync';
import type { SyncRunRow } from '../src/sync/sync-runs.repository';
import { createTestDatabase } from './support/database';
import { waitFor } from './support/sync';
import { describeWithPostgresServer } from './support/database';

/**
 * Three gateway processes (`node dist/src/main.js`) behind no balancer on one Postgres,
 * 50 integrations in the Personio simulator: every sync runs once per interval, every
 * webhook attempt is sent once, and a process killed with SIGKILL hands its syncs and
 * webhook deliveries to the others well within a minute. Needs DATABASE_URL: the
 * embedded database serves one process.
 */
const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'dist', 'replicas-test'); // its own build, so a concurrent `npm run build` cannot swap files under it
const MAIN = path.join(OUT, 'src', 'main.js');
const INTEGRATIONS = 50;
const ENCRYPTION_KEY = randomBytes(32).toString('base64');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds once; reuses the build while no source file is newer. */
function build(): void {
  const sources = Math.max(...['src', 'connectors', 'migrations'].map((d) => newestSource(path.join(ROOT, d))));
  if (fs.existsSync(MAIN) && fs.statSync(MAIN).mtimeMs > sources) return;
  try {
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json', '--outDir', OUT], {
      cwd: ROOT,
      stdio: 'pipe',
      timeout: 120_000,
    });
  } catch (e) {
    // Type errors still emit JavaScript; only a missing output is fatal.
    if (!fs.existsSync(MAIN)) throw new Error(`build failed: ${(e as { stdout?: Buffer }).stdout?.toString() ?? e}`, { cause: e });
  }
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

interface Replica {
  child: ChildProcess;
  url: string;
  pid: number;
}

/** Data directories of the replicas, removed after the file. */
const dataDirs: string[] = [];

async function startReplica(databaseUrl: string, sandboxUrl: string): Promise<Replica> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    ENCRYPTION_KEY,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'warn',
    GATEWAY_ROLE: 'all',
    ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
    PERSONIO_BASE_URL: sandboxUrl,
    GATEWAY_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'hgw-replica-')),
    SYNC_POLL_MS: '200',
    SYNC_HEARTBEAT_MS: '300',
    SYNC_STALE_MS: '3000',
    SYNC_CONCURRENCY: '4',
    SYNC_DELTA_INTERVAL_MINUTES: '1',
    SYNC_FULL_INTERVAL_MINUTES: '60',
    SYNC_RETRY_BASE_MS: '500',
    WEBHOOK_POLL_MS: '100',
    WEBHOOK_TIMEOUT_MS: '1000',
    WEBHOOK_LEASE_MS: '2500',
    WEBHOOK_RETRY_BASE_MS: '300',
  };
  dataDirs.push(env.GATEWAY_DATA_DIR!);
  delete env.NODE_OPTIONS; // jest's VM-module flags are not for the child
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (d) => process.stderr.write(`[replica ${child.pid}] ${d}`));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () =>
      (
        await request(url)
          .get('/health')
          .catch(() => null)
      )?.status === 200,
    30_000,
    `replica on ${port} ready`,
  );
  return { child, url, pid: child.pid! };
}

/** A webhook receiver that answers after 100 ms, so deliveries are in flight when a process dies. */
async function startSlowReceiver() {
  const got = new Map<string, number>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const id = (JSON.parse(body) as { id: string }).id;
      got.set(id, (got.get(id) ?? 0) + 1);
      setTimeout(() => res.writeHead(200).end('ok'), 100);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

describeWithPostgresServer(__filename, 'three gateway processes on one Postgres server')('several gateway replicas on one database', () => {
  let db: { url: string; drop(): Promise<void> };
  let ds: DataSource;
  let sb: PersonioSandbox;
  let hook: Awaited<ReturnType<typeof startSlowReceiver>>;
  let replicas: Replica[] = [];
  const ids: string[] = [];
  /** Webhook deliveries the killed process had claimed and not finished. */
  let orphanDeliveryIds: string[] = [];
  const runs = async (): Promise<SyncRunRow[]> => ds.query(`SELECT * FROM sync_runs ORDER BY queued_at`);

  beforeAll(async () => {
    build();
    db = (await createTestDatabase())!;
    const config: GatewayConfig = { ...loadConfig({}), databaseUrl: db.url, encryptionKey: ENCRYPTION_KEY, allowPrivateNetworkTargets: true };
    ({ ds } = await openDatabase(config));
    const first = (await new ApiKeysService(ds).bootstrap())!;
    sb = await startPersonioSandbox({ employees: 30, seed: 8, rateLimits: false });
    sb.setFaults({ latencyMs: 60 }); // each sync takes a moment, so a killed process is caught mid-work
    hook = await startSlowReceiver();
    replicas = await Promise.all([0, 1, 2].map(() => startReplica(db.url, sb.url)));
    await request(replicas[0].url).post('/v1/webhooks/endpoints').set('Authorization', `Bearer ${first.key}`).send({ url: hook.url }).expect(201);
    for (let i = 0; i < INTEGRATIONS; i++) {
      const cred = sb.addCredential(); // one API credential per customer, as in production
      const { integration } = await createIntegrationWithFirstSync(ds, config, {
        environment: first.environmentId,
        tool: 'personio',
        organization: `Customer ${i}`,
        baseUrl: sb.url,
        credentials: { clientId: cred.clientId, clientSecret: cred.clientSecret },
      });
      ids.push(integration.id);
    }
  }, 120_000);
  afterAll(async () => {
    for (const r of replicas) r.child.kill('SIGKILL');
    await ds?.destroy();
    await db?.drop();
    await hook?.close();
    await sb?.close();
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a process killed mid-work hands its syncs and webhook deliveries to the others within a minute', async () => {
    const victim = replicas[0];
    const tag = `:${victim.pid}:`;
    // Caught with a sync running and webhook deliveries in flight.
    await waitFor(
      async () => {
        const [{ syncs, sends }] = await ds.query(
          `SELECT (SELECT count(*)::int FROM sync_runs WHERE status = 'RUNNING' AND worker_id LIKE $1) AS syncs,
                (SELECT count(*)::int FROM webhook_deliveries WHERE status = 'pending' AND claimed_by LIKE $1) AS sends`,
          [`%${tag}%`],
        );
        return syncs > 0 && sends > 0;
      },
      30_000,
      'the victim mid-sync and mid-delivery',
    );
    victim.child.kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise((r) => victim.child.once('exit', r));
    replicas = replicas.slice(1);
    const orphanRuns: SyncRunRow[] = await ds.query(`SELECT * FROM sync_runs WHERE status = 'RUNNING' AND worker_id LIKE $1`, [`%${tag}%`]);
    const orphanDeliveries: { id: string }[] = await ds.query(`SELECT id::text AS id FROM webhook_deliveries WHERE status = 'pending' AND claimed_by LIKE $1`, [
      `%${tag}%`,
    ]);
    orphanDeliveryIds = orphanDeliveries.map((d) => d.id);
    expect(orphanRuns.length).toBeGreaterThan(0);
    expect(orphanDeliveryIds.length).toBeGreaterThan(0);

    // Every integration completes its first sync, the orphans' included, and every event is delivered.
    await waitFor(async () => (await ds.query(`SELECT 1 FROM integrations WHERE first_sync_completed_at IS NULL`)).length === 0, 60_000, 'all first syncs');
    await waitFor(async () => (await ds.query(`SELECT 1 FROM webhook_deliveries WHERE status <> 'succeeded'`)).length === 0, 60_000, 'all deliveries');
    expect(Date.now() - killedAt).toBeLessThan(60_000);

    const all = await runs();
    for (const orphan of orphanRuns) {
      const after = all.filter((r) => r.integration_id === orphan.integration_id);
      expect(after.find((r) => r.id === orphan.id)).toMatchObject({ status: 'TIMED_OUT', error_kind: 'WORKER_LOST' });
      const retry = after.find((r) => r.trigger === 'RETRY' && r.status === 'SUCCEEDED');
      expect(retry?.worker_id).not.toContain(tag);
    }
    const handedOver: { status: string; attempts: number }[] = await ds.query(`SELECT status, attempts FROM webhook_deliveries WHERE id = ANY($1::bigint[])`, [
      orphanDeliveryIds,
    ]);
    expect(handedOver.every((d) => d.status === 'succeeded' && d.attempts >= 2)).toBe(true); // sent again, as the next attempt
    // One successful first sync per integration, and never two runs of one integration at once.
    for (const id of ids) {
      const mine = all.filter((r) => r.integration_id === id);
      expect(mine.filter((r) => r.type === 'FULL' && r.status === 'SUCCEEDED')).toHaveLength(1);
      for (let i = 1; i < mine.length; i++)
        expect(new Date(mine[i].started_at!).getTime()).toBeGreaterThanOrEqual(new Date(mine[i - 1].finished_at!).getTime());
    }
    // The survivors shared the work.
    expect(new Set(all.filter((r) => r.status === 'SUCCEEDED').map((r) => r.worker_id!.split(':')[1])).size).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it('each scheduled sync runs once per interval across the replicas', async () => {
    for (let interval = 1; interval <= 2; interval++) {
      // The delta interval (1 minute) elapses for every integration at once.
      await ds.query(`UPDATE sync_schedules SET next_delta_at = now() - interval '1 second'`);
      await waitFor(
        async () => {
          const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM sync_runs WHERE trigger = 'SCHEDULE' AND type = 'DELTA' AND status = 'SUCCEEDED'`);
          return n >= INTEGRATIONS * interval && (await ds.query(`SELECT 1 FROM sync_runs WHERE status IN ('QUEUED', 'RUNNING')`)).length === 0;
        },
        30_000,
        `delta round ${interval}`,
      );
      await new Promise((r) => setTimeout(r, 1500)); // time for a duplicate to appear, if one would
      const deltas: { integration_id: string; n: number }[] = await ds.query(
        `SELECT integration_id, count(*)::int AS n FROM sync_runs WHERE trigger = 'SCHEDULE' AND type = 'DELTA' GROUP BY integration_id`,
      );
      expect(deltas).toHaveLength(INTEGRATIONS);
      expect(deltas.filter((d) => d.n !== interval)).toEqual([]);
    }
    // And the next one is due a full interval after each integration's last slot (not after the run ended).
    const [{ off }] = await ds.query(
      `SELECT count(*)::int AS off FROM sync_schedules s
        WHERE next_delta_at <> (SELECT r.scheduled_for FROM sync_runs r WHERE r.integration_id = s.integration_id AND r.trigger = 'SCHEDULE'
                                 ORDER BY r.queued_at DESC LIMIT 1) + interval '1 minute'`,
    );
    expect(off).toBe(0);
  }, 60_000);

  it('each webhook attempt was sent once: no event lost, none sent more often than attempted', async () => {
    await waitFor(async () => (await ds.query(`SELECT 1 FROM webhook_deliveries WHERE status <> 'succeeded'`)).length === 0, 20_000, 'all deliveries');
    const rows: { id: string; event_id: string; attempts: number }[] = await ds.query(`SELECT id::text AS id, event_id, attempts FROM webhook_deliveries`);
    expect(rows.length).toBeGreaterThan(INTEGRATIONS * 3); // first syncs and two delta rounds
    const lost = rows.filter((r) => !hook.got.has(r.event_id));
    expect(lost).toEqual([]);
    // An attempt number is taken in the claim itself: a receipt beyond the attempts would be one attempt sent twice.
    const twice = rows.filter((r) => (hook.got.get(r.event_id) ?? 0) > r.attempts);
    expect(twice).toEqual([]);
    // The receiver always answers 200 in time: only deliveries the killed process held took a second attempt.
    expect(rows.filter((r) => r.attempts > 1 && !orphanDeliveryIds.includes(r.id))).toEqual([]);
    expect(await ds.query(`SELECT delivery_id, attempt FROM webhook_attempts GROUP BY delivery_id, attempt HAVING count(*) > 1`)).toEqual([]);
  }, 30_000);
});
