// The world most sync e2e specs run in: a sped-up Personio sandbox, a test gateway whose
// syncs use the fast connector, and an integration connected to the sandbox with its first sync.
import { startPersonioSandbox, type PersonioSandbox, type PersonioSandboxOptions } from '../../connectors/personio/sandbox';
import { createIntegrationWithFirstSync } from '../../src/integrations/first-sync';
import { startTestGateway, type TestGateway } from './gateway';
import { fastConnectors, fastSyncEnv, TIME_SCALE, waitForRun } from './sync';

export interface SyncWorld {
  gw: TestGateway;
  sb: PersonioSandbox;
}

/**
 * Registers the spec's beforeAll/afterAll: starts the sandbox (at TIME_SCALE unless said) and a gateway
 * with `fastSyncEnv(env)` and the fast connectors; closes both after. The fields are set once beforeAll ran.
 */
export function useSyncWorld(sandbox: PersonioSandboxOptions, env: Record<string, string> = {}): SyncWorld {
  const world = {} as SyncWorld;
  beforeAll(async () => {
    world.sb = await startPersonioSandbox({ timeScale: TIME_SCALE, ...sandbox });
    world.gw = await startTestGateway({ env: fastSyncEnv(env) }, { connectors: fastConnectors() });
  });
  afterAll(async () => {
    await world.gw?.close();
    await world.sb?.close();
  });
  return world;
}

/**
 * Connects the sandbox's default credential as a Personio integration of `gw` and waits until its first
 * sync succeeded; `filters`, when given, are set on the integration before that wait.
 */
export async function connectWithFirstSync(
  gw: TestGateway,
  sb: PersonioSandbox,
  opts: { filters?: Record<string, unknown>; organization?: string; timeoutMs?: number } = {},
) {
  const { integration, syncId } = await createIntegrationWithFirstSync(gw.ds, gw.config, {
    environment: gw.environmentId,
    tool: 'personio',
    organization: opts.organization ?? 'ACME',
    baseUrl: sb.url,
    credentials: { clientId: sb.defaultCredential.clientId, clientSecret: sb.defaultCredential.clientSecret },
  });
  if (opts.filters && Object.keys(opts.filters).length)
    await gw.ds.query(`UPDATE integrations SET filters = $2 WHERE id = $1`, [integration.id, JSON.stringify(opts.filters)]);
  expect((await waitForRun(gw.ds, syncId, opts.timeoutMs)).status).toBe('SUCCEEDED');
  return integration;
}

/** The record events of the change set the inbound specs play: a hire, updates to ids[1] and ids[2], the deletion of ids[3]. */
export const changeSetEvents = (hiredId: number, ids: number[]): string[] => [
  `hris.employee.created ${hiredId}`,
  `hris.employee.updated ${ids[1]}`,
  `hris.employee.updated ${ids[2]}`,
  `hris.employee.deleted ${ids[3]}`,
];
