// The set-up of test/integration-settings.e2e-spec.ts: a gateway with fast syncs, a Personio
// sandbox with an endpoint that wants record events, one integration after its first sync, and
// the queries the tests read the outcome with (webhook events, live employees, the full sync a change queued).
import request from 'supertest';
import { startPersonioSandbox, type PersonioSandbox } from '../../connectors/personio/sandbox';
import { createIntegrationWithFirstSync } from '../../src/integrations/first-sync';
import type { IntegrationFilters } from '../../src/integrations/integration.entity';
import { startTestGateway, type TestGateway } from './gateway';
import { fastConnectors, fastSyncEnv, waitFor, waitForRun } from './sync';

/** Every filter field unset: a PATCH with `{ ...ALL_NULL, ...filters }` sets exactly `filters`. */
export const ALL_NULL = { legal_entity_remote_ids: null, location_remote_ids: null, group_remote_ids: null, employment_statuses: null, employment_types: null };

export interface SettingsEnv {
  gw: TestGateway;
  sb: PersonioSandbox;
  /** The integration (organization ACME) the tests change. */
  id: string;
  auth(): { Authorization: string };
  api(): ReturnType<typeof request>;
  q<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** The data of the integration's webhook events of one type since a moment, oldest first. */
  events(type: string, since: Date): Promise<Record<string, unknown>[]>;
  /** Ids of the integration's employees that are not deleted. */
  live(): Promise<Set<string>>;
  /** PATCHes the settings, waits for the full sync the change queued, and returns what it added and removed. */
  changeFilters(filters: IntegrationFilters): Promise<{ res: request.Response; since: Date; added: string[]; removed: string[] }>;
}

/** Starts the sandbox (160 employees), the gateway and the integration before the file's tests; closes them after. */
export function useSettingsEnv(): SettingsEnv {
  const env: SettingsEnv = {
    gw: undefined as unknown as TestGateway,
    sb: undefined as unknown as PersonioSandbox,
    id: '',
    auth: () => ({ Authorization: `Bearer ${env.gw.apiKey}` }),
    api: () => request(env.gw.url),
    q: <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => env.gw.ds.query(sql, params) as Promise<T[]>,
    events: (type, since) =>
      env
        .q<{
          data: Record<string, unknown>;
        }>(`SELECT data FROM webhook_events WHERE integration_id = $1 AND type = $2 AND created_at >= $3 ORDER BY created_at`, [env.id, type, since])
        .then((r) => r.map((x) => x.data)),
    live: async () =>
      new Set(
        (await env.q<{ id: string }>(`SELECT id FROM hris_employees WHERE integration_id = $1 AND remote_deleted_at IS NULL`, [env.id])).map((r) => r.id),
      ),
    async changeFilters(filters) {
      const { id, q } = env;
      const before = await env.live();
      const since = new Date(Date.now() - 1);
      const res = await env
        .api()
        .patch(`/v1/integrations/${id}/settings`)
        .set(env.auth())
        .send({ filters: { ...ALL_NULL, ...filters } })
        .expect(200);
      const run = await waitFor(
        async () =>
          (
            await q<{ id: string }>(
              `SELECT id FROM sync_runs WHERE integration_id = $1 AND type = 'FULL' AND queued_at >= $2 ORDER BY queued_at DESC LIMIT 1`,
              [id, since],
            )
          )[0],
        20_000,
        'the full sync',
      );
      expect((await waitForRun(env.gw.ds, run.id)).status).toBe('SUCCEEDED');
      const after = await env.live();
      return { res, since, added: [...after].filter((x) => !before.has(x)), removed: [...before].filter((x) => !after.has(x)) };
    },
  };

  beforeAll(async () => {
    env.sb = await startPersonioSandbox({ employees: 160, seed: 23, timeScale: 60 });
    env.gw = await startTestGateway({ env: fastSyncEnv() }, { connectors: fastConnectors() });
    // Record-level events are only written for an environment with an endpoint that wants them.
    await env
      .api()
      .post('/v1/webhooks/endpoints')
      .set(env.auth())
      .send({ url: `${env.sb.url}/hooks`, record_events: true })
      .expect(201);
    const c = await createIntegrationWithFirstSync(env.gw.ds, env.gw.config, {
      environment: env.gw.environmentId,
      tool: 'personio',
      organization: 'ACME',
      baseUrl: env.sb.url,
      credentials: { clientId: env.sb.defaultCredential.clientId, clientSecret: env.sb.defaultCredential.clientSecret },
    });
    env.id = c.integration.id;
    expect((await waitForRun(env.gw.ds, c.syncId)).status).toBe('SUCCEEDED');
  });
  afterAll(async () => {
    await env.gw?.close();
    await env.sb?.close();
  });
  return env;
}
