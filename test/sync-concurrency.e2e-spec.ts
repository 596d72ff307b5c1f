import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startPersonioSandbox, type PersonioSandbox } from '../connectors/personio/sandbox';
import { createGateway, Gateway } from '../src/bootstrap';
import { createIntegrationWithFirstSync } from '../src/integrations/first-sync';
import { SyncService } from '../src/sync/sync.service';
import { SyncRunRow } from '../src/sync/sync-runs.repository';
import { startTestGateway, TestGateway } from './support/gateway';
import { expectConverged, fastSyncEnv, fastConnectors, waitFor, waitForRun } from './support/sync';

const ROOT = path.resolve(__dirname, '..');
const ENCRYPTION_KEY = randomBytes(32).toString('base64');
/** Data directories of the child processes, removed after the file. */
const dataDirs: string[] = [];

/** A real gateway process (src/main.ts compiled on the fly by swc), so it can be killed with SIGKILL. */
function spawnGateway(databaseUrl: string): ChildProcess {
  const register = `
    const swc = require('@swc/core'); const fs = require('fs');
    require.extensions['.ts'] = (m, filename) => m._compile(swc.transformSync(fs.readFileSync(filename, 'utf8'), {
      filename, module: { type: 'commonjs' },
      jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
    }).code, filename);
    require('./src/main.ts');`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...fastSyncEnv(),
    DATABASE_URL: databaseUrl,
    ENCRYPTION_KEY,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    GATEWAY_ROLE: 'all',
    ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
    GATEWAY_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'hgw-child-')),
  };
  dataDirs.push(env.GATEWAY_DATA_DIR!);
  delete env.NODE_OPTIONS; // jest's VM-module flags are not for the child
  const child = spawn(process.execPath, ['-e', register], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (d) => process.stderr.write(`[child] ${d}`));
  return child;
}

describe('sync across gateway processes', () => {
  let api: TestGateway;
  let worker: Gateway | null = null;
  let child: ChildProcess | null = null;
  let sb: PersonioSandbox;
  let dbUrl: string;

  // One API credential per integration, as separate customers have: Personio's limits (and the client's pacing) are per credential.
  const connect = async (org: string) => {
    const cred = sb.addCredential();
    return createIntegrationWithFirstSync(api.ds, api.config, {
      environment: api.environmentId,
      tool: 'personio',
      organization: org,
      baseUrl: sb.url,
      credentials: { clientId: cred.clientId, clientSecret: cred.clientSecret },
    });
  };

  beforeAll(async () => {
    sb = await startPersonioSandbox({ employees: 350, seed: 3, timeScale: 60 });
    // This process only serves the API; the workers are the child process and, later, a second gateway.
    api = await startTestGateway({ env: fastSyncEnv(), role: 'api', encryptionKey: ENCRYPTION_KEY });
    dbUrl = api.config.databaseUrl ?? api.embedded!.url;
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await worker?.close();
    await api?.close();
    await sb?.close();
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a process killed mid-sync loses nothing: its run is taken over and the retry completes', async () => {
    sb.setFaults({ latencyMs: 150 });
    child = spawnGateway(dbUrl);
    const { integration, syncId } = await connect('Crashy AG');
    const running = await waitFor(
      async () => {
        const [r] = await api.ds.query(`SELECT * FROM sync_runs WHERE id = $1 AND status = 'RUNNING' AND pages >= 2`, [syncId]);
        return r as SyncRunRow | undefined;
      },
      40_000,
      'the child to be mid-sync',
    );
    expect(running.worker_id).toContain(`:${child.pid}:`);
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    child = null;
    sb.resetFaults();

    worker = await createGateway({ ...api.config, role: 'all', port: 0, databaseUrl: dbUrl }, { inMemory: true, connectors: fastConnectors() });
    const dead = await waitForRun(api.ds, syncId, 20_000);
    expect(dead).toMatchObject({ status: 'TIMED_OUT', error_kind: 'WORKER_LOST' });
    const [retry] = await api.ds.query(`SELECT id FROM sync_runs WHERE integration_id = $1 AND trigger = 'RETRY'`, [integration.id]);
    expect((await waitForRun(api.ds, retry.id)).status).toBe('SUCCEEDED');
    await expectConverged(api.ds, sb, integration.id);
    const finished = await api.ds.query(
      `SELECT data->>'sync_state' AS s FROM webhook_events WHERE integration_id = $1 AND type = 'sync-finished' ORDER BY created_at`,
      [integration.id],
    );
    expect(finished.map((f: { s: string }) => f.s)).toEqual(['TIMED_OUT', 'SUCCEEDED']);
  });

  it('two processes on one database share the work but never run one integration twice at once', async () => {
    child = spawnGateway(dbUrl);
    const created = await Promise.all(['One', 'Two', 'Three'].map((o) => connect(o)));
    await Promise.all(created.map((c) => waitForRun(api.ds, c.syncId, 40_000)));
    const ids = created.map((c) => c.integration.id);
    const sync = api.app.get(SyncService);
    const until = Date.now() + 3_000;
    while (Date.now() < until) {
      await Promise.all(ids.map((id, i) => sync.requestSync(id, { type: i % 2 ? 'DELTA' : 'FULL', trigger: 'API' })));
      await new Promise((r) => setTimeout(r, 300));
    }
    await waitFor(async () => (await api.ds.query(`SELECT 1 FROM sync_runs WHERE status IN ('QUEUED', 'RUNNING')`)).length === 0, 40_000, 'all runs done');
    const runs: SyncRunRow[] = await api.ds.query(`SELECT * FROM sync_runs WHERE integration_id = ANY($1) ORDER BY started_at`, [ids]);
    expect(runs.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    for (const id of ids) {
      const mine = runs.filter((r) => r.integration_id === id);
      for (let i = 1; i < mine.length; i++)
        expect(new Date(mine[i].started_at!).getTime()).toBeGreaterThanOrEqual(new Date(mine[i - 1].finished_at!).getTime());
    }
    const workers = new Set(runs.map((r) => r.worker_id!.split(':')[1]));
    expect(workers.size).toBe(2); // both processes did work
    for (const id of ids) await expectConverged(api.ds, sb, id);
  });
});
