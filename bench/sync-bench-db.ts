// The gateway's side of a sync benchmark: a fresh database (dropped afterwards), the
// migrations, one environment and a SyncRunner around the connector under test, so each
// sync bench measures the runner exactly as the gateway runs it.
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import type { HrisConnector } from '../connectors/connector';
import type { RateLimit } from '../connectors/http/limiter';
import { createPersonioConnector } from '../connectors/personio/connector';
import { createIntegrationWithFirstSync } from '../src/integrations/first-sync';
import { GatewayConfig, loadConfig } from '../src/config/config';
import { createDataSource, runMigrations } from '../src/database/data-source';
import { createVault } from '../src/integrations/vault';
import { SyncRunner } from '../src/sync/sync-runner';
import { SyncRunsRepository } from '../src/sync/sync-runs.repository';
import { withBenchDatabase } from './support';

export interface SyncBench {
  databaseUrl: string;
  config: GatewayConfig;
  ds: DataSource;
  environmentId: string;
  runs: SyncRunsRepository;
  runner: SyncRunner;
}

export function withSyncBench<T>(prefix: string, connector: HrisConnector<unknown>, fn: (b: SyncBench) => Promise<T>): Promise<T> {
  return withBenchDatabase(prefix, async (databaseUrl) => {
    const config = {
      ...loadConfig({}),
      databaseUrl,
      allowPrivateNetworkTargets: true,
      dataDir: path.join(os.tmpdir(), 'hgw-bench'),
      encryptionKey: randomBytes(32).toString('base64'),
    };
    const ds = createDataSource(databaseUrl);
    await ds.initialize();
    try {
      await runMigrations(ds);
      const [{ id: environmentId }] = await ds.query(`INSERT INTO environments (id, name) VALUES ('env_bench', 'bench') RETURNING id`);
      const runs = new SyncRunsRepository(ds);
      const runner = new SyncRunner({ ds, config, sync: config.sync, vault: createVault(config), runs, connectorFor: () => connector, workerId: 'bench' });
      return await fn({ databaseUrl, config, ds, environmentId, runs, runner });
    } finally {
      await ds.destroy();
    }
  });
}

/** A client limit that paces nothing (the simulator runs without limits too); 4 in flight as the shipped clients allow. */
export const UNPACED: RateLimit = { perMinute: 1e9, perSecond: 1e9, maxConcurrent: 4 };

/** The Personio connector with its client's pacing lifted. */
export function unpacedPersonioConnector(): HrisConnector<unknown> {
  return createPersonioConnector({ client: { limits: { employees: UNPACED, auth: UNPACED, other: UNPACED } } }) as HrisConnector<unknown>;
}

/** A Personio integration of the simulator, created with its first full sync queued (the gateway's own path). */
export function createBenchIntegration(
  ds: DataSource,
  config: GatewayConfig,
  environment: string,
  sim: { url: string; clientId: string; clientSecret: string },
) {
  return createIntegrationWithFirstSync(ds, config, {
    environment,
    tool: 'personio',
    organization: 'Bench',
    baseUrl: sim.url,
    credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret },
  });
}
