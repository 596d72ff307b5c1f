import request from 'supertest';
import { AfterQueryEvent, DataSource, EntitySubscriberInterface } from 'typeorm';
import { AccessCache } from '../src/auth/access-cache';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { createDataSource } from '../src/database/data-source';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { markFirstSyncDone, seedUnified } from './hris-seed';
import { startTestGateway, TestGateway } from './support/gateway';

/**
 * The API keeps authenticated keys and looked-up integrations in memory (src/auth/access-cache.ts).
 * The TTL here is five minutes, so whatever takes effect at once below was invalidated, not expired.
 */
describe('API key and integration cache', () => {
  let gw: TestGateway;
  let integrationId: string;
  const lookups = { keys: 0, integrations: 0 };
  const counter: EntitySubscriberInterface = {
    afterQuery(e: AfterQueryEvent) {
      if (/^\s*SELECT\b[\s\S]*\bFROM api_keys\b/.test(e.query)) lookups.keys++;
      if (/^\s*SELECT\b[\s\S]*\bFROM "integrations"/.test(e.query)) lookups.integrations++;
    },
  };
  const read = (key: string, integration = integrationId) =>
    request(gw.url).get('/v1/hris/employees?page_size=5').set('Authorization', `Bearer ${key}`).set('X-Integration-Id', integration);
  const newIntegration = async () => {
    const id = (
      await gw.app.get(IntegrationsService).create({
        environmentId: gw.environmentId,
        tool: 'personio',
        credentials: { clientId: 'a', clientSecret: 'b' },
        endUserOrganizationName: 'ACME',
      })
    ).id;
    await markFirstSyncDone(gw.ds, id);
    return id;
  };
  /** Another gateway process: its own pool, so only Postgres NOTIFY can tell this one. */
  const otherProcess = async (): Promise<DataSource> => createDataSource(String((gw.ds.options as { url: string }).url), { poolSize: 2 }).initialize();
  /** Polls until `check` holds; returns how long that took (ms), or throws after `withinMs`. */
  const eventually = async (check: () => Promise<boolean>, withinMs = 3000): Promise<number> => {
    const start = Date.now();
    while (!(await check())) {
      if (Date.now() - start > withinMs) throw new Error(`not within ${withinMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return Date.now() - start;
  };

  beforeAll(async () => {
    gw = await startTestGateway({ apiAccessCacheSeconds: 300 });
    integrationId = await newIntegration();
    await seedUnified(gw.ds, integrationId, { employees: 8 });
    gw.ds.subscribers.push(counter);
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('repeated reads look the API key and the integration up once', async () => {
    gw.app.get(AccessCache).clear();
    lookups.keys = lookups.integrations = 0;
    for (let i = 0; i < 5; i++) await read(gw.apiKey).expect(200);
    expect(lookups).toEqual({ keys: 1, integrations: 1 });
  });

  it('a key revoked in this process is refused on the next request', async () => {
    const keys = gw.app.get(ApiKeysService);
    const { key, listing } = await keys.createKey(gw.environmentId, 'revoked-here');
    await read(key).expect(200);
    await keys.revokeKey(listing.id);
    const res = await read(key).expect(401);
    expect(res.body.error.code).toBe('PLATFORM.AUTHENTICATION_INVALID');
  });

  it('an integration deleted through the API is gone for the next read', async () => {
    const id = await newIntegration();
    await read(gw.apiKey, id).expect(200);
    await request(gw.url).delete(`/v1/integrations/${id}`).set('Authorization', `Bearer ${gw.apiKey}`).expect(200);
    const res = await read(gw.apiKey, id).expect(404);
    expect(res.body.error.code).toBe('PLATFORM.INTEGRATION_NOT_FOUND');
  });

  it('unknown keys are answered 401 and never cached', async () => {
    const cache = gw.app.get(AccessCache);
    cache.clear();
    for (let i = 0; i < 5; i++) await read(`hgw_${String(i).repeat(40)}`).expect(401);
    expect(cache.keys.size).toBe(0);
  });

  // The embedded PGlite does not pass NOTIFY between connections (and runs in one process).
  const onPostgres = process.env.DATABASE_URL ? it : it.skip;

  onPostgres('a key revoked by another process is refused within moments', async () => {
    const keys = gw.app.get(ApiKeysService);
    const { key, listing } = await keys.createKey(gw.environmentId, 'revoked-elsewhere');
    await read(key).expect(200);
    await read(key).expect(200); // cached now
    const other = await otherProcess();
    try {
      await new ApiKeysService(other).revokeKey(listing.id);
    } finally {
      await other.destroy();
    }
    expect(await eventually(async () => (await read(key)).status === 401)).toBeLessThan(3000);
  });

  onPostgres('a key revoked while the LISTEN connection was down is refused once it is back, not a TTL later', async () => {
    const keys = gw.app.get(ApiKeysService);
    const { key, listing } = await keys.createKey(gw.environmentId, 'revoked-unheard');
    await read(key).expect(200); // cached now
    const other = await otherProcess();
    try {
      // Cut this process's LISTEN connection, then revoke while it is down: that NOTIFY reaches no one here.
      await other.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'hris-gateway-listen' AND datname = current_database()`,
      );
      await new ApiKeysService(other).revokeKey(listing.id);
    } finally {
      await other.destroy();
    }
    // Reconnected within a second or two (RECONNECT_MS); the 300 s TTL would be far longer.
    expect(await eventually(async () => (await read(key)).status === 401, 10_000)).toBeLessThan(10_000);
  });

  onPostgres('an integration changed or deleted by another process is served as it now is', async () => {
    const id = await newIntegration();
    await read(gw.apiKey, id).expect(200);
    const other = await otherProcess();
    try {
      await other.query(`UPDATE integrations SET setup_status = 'INCOMPLETE' WHERE id = $1`, [id]);
      await eventually(async () => (await read(gw.apiKey, id)).body.error?.code === 'INTEGRATION.SETUP_INCOMPLETE');
      await other.query(`DELETE FROM integrations WHERE id = $1`, [id]);
      await eventually(async () => (await read(gw.apiKey, id)).status === 404);
    } finally {
      await other.destroy();
    }
  });
});
