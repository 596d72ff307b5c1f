// Helpers for the sync engine's e2e tests: a fast connector for the sped-up
// simulator, the expected store computed from an independent full read, and polling.
import type { DataSource } from 'typeorm';
import type { ConnectorContext, HrisConnector } from '../../connectors/connector';
import { createPersonioConnector } from '../../connectors/personio/connector';
import type { PersonioSandbox, SandboxCredential } from '../../connectors/personio/sandbox';
import type { PersonioCredentials } from '../../connectors/personio/types';
import { employeeRow, employmentRow, matchesFilters } from '../../src/records/rows';
import type { IntegrationFilters } from '../../src/integrations/integration.entity';
import type { SyncRunRow } from '../../src/sync/sync-runs.repository';
import type { ConnectorMap } from '../../src/integrations/connector-registry';

export const TIME_SCALE = 60;

/** Scheduler knobs for tests, as environment variables: `startTestGateway({ env: fastSyncEnv() })` (or a child gateway's env). */
export function fastSyncEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { SYNC_POLL_MS: '100', SYNC_HEARTBEAT_MS: '200', SYNC_STALE_MS: '2000', SYNC_RETRY_BASE_MS: '300', SYNC_RETRY_MAX_MS: '2000', ...extra };
}

export const fastConnector = (retry: Record<string, number> = {}) =>
  createPersonioConnector({ client: { timeScale: TIME_SCALE, retry: { baseDelayMs: 20, maxDelayMs: 200, ...retry } } });

/** The connectors of a gateway whose syncs use the sped-up Personio client (`startTestGateway(…, { connectors })`). */
export const fastConnectors = (retry: Record<string, number> = {}): ConnectorMap => ({ personio: fastConnector(retry) as HrisConnector<unknown> });

export function ctxFor(sb: PersonioSandbox, cred: SandboxCredential = sb.defaultCredential): ConnectorContext<PersonioCredentials> {
  const noop = () => undefined;
  return {
    credentials: { clientId: cred.clientId, clientSecret: cred.clientSecret },
    baseUrl: sb.url,
    logger: { debug: noop, info: noop, warn: noop, error: noop },
    signal: new AbortController().signal,
    settings: {},
    now: () => new Date(),
  };
}

/** remote_id → data_hash of what a correct store holds, from an independent full read of the simulator. */
export async function expectedStore(sb: PersonioSandbox, integrationId: string, filters: IntegrationFilters = {}) {
  const employees = new Map<string, string>();
  const employments = new Map<string, string>();
  const kept = new Set<string>();
  for await (const batch of fastConnector().read(ctxFor(sb))) {
    for (const e of batch.employees) {
      if (!matchesFilters(e, filters)) continue;
      kept.add(e.remote_id);
      employees.set(e.remote_id, employeeRow(integrationId, e).hash);
    }
    for (const e of batch.employments) if (kept.has(e.employee_remote_id)) employments.set(e.remote_id, employmentRow(integrationId, e).hash);
  }
  return { employees, employments };
}

export async function liveStore(ds: DataSource, integrationId: string) {
  const read = async (table: string) =>
    new Map(
      (
        (await ds.query(`SELECT remote_id, data_hash FROM ${table} WHERE integration_id = $1 AND remote_deleted_at IS NULL`, [integrationId])) as {
          remote_id: string;
          data_hash: string;
        }[]
      ).map((r) => [r.remote_id, r.data_hash]),
    );
  return { employees: await read('hris_employees'), employments: await read('hris_employments') };
}

const sorted = (m: Map<string, string>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));

/** The unified store equals the simulator (same records, same content). */
export async function expectConverged(ds: DataSource, sb: PersonioSandbox, integrationId: string, filters: IntegrationFilters = {}): Promise<void> {
  const [want, have] = await Promise.all([expectedStore(sb, integrationId, filters), liveStore(ds, integrationId)]);
  expect(sorted(have.employees)).toEqual(sorted(want.employees));
  expect(sorted(have.employments)).toEqual(sorted(want.employments));
}

export async function runRow(ds: DataSource, id: string): Promise<SyncRunRow> {
  return ((await ds.query(`SELECT * FROM sync_runs WHERE id = $1`, [id])) as SyncRunRow[])[0];
}

/** Waits until the run has finished (any final status). */
export async function waitForRun(ds: DataSource, id: string, timeoutMs = 30_000): Promise<SyncRunRow> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await runRow(ds, id);
    if (r && !['QUEUED', 'RUNNING'].includes(r.status)) return r;
    if (Date.now() > until) throw new Error(`sync ${id} still ${r?.status} after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** Waits for a condition on the database (e.g. a retry run to appear). */
export async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}
