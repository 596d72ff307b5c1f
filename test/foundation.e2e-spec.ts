import request from 'supertest';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { openDatabase } from '../src/bootstrap';
import { FEATURE_MODULES } from '../src/app.modules';
import { collectRoutes } from '../src/openapi/openapi.builder';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { INTEGRATION_PATH_PARAMS } from '../src/integrations/integration-scope.guard';
import { startTestGateway, TestGateway } from './support/gateway';

describe('gateway foundation', () => {
  let gw: TestGateway;
  const auth = () => ({ Authorization: `Bearer ${gw.apiKey}` });

  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('answers check-api-key as Kombo does', async () => {
    const res = await request(gw.url).get('/v1/check-api-key').set(auth()).expect(200);
    expect(res.body).toEqual({ status: 'success', data: { environment_id: gw.environmentId, customer_id: gw.environmentId } });
  });

  it.each([
    ['no Authorization header', undefined],
    ['a malformed header', 'Token abc'],
    ['an unknown key', 'Bearer hgw_0000000000000000000000000000000000000000'],
    ['a key of the wrong shape', 'Bearer not-a-key'],
  ])('refuses %s with PLATFORM.AUTHENTICATION_INVALID', async (_, header) => {
    const req = request(gw.url).get('/v1/check-api-key');
    if (header) req.set('Authorization', header);
    const res = await req.expect(401);
    expect(res.body.status).toBe('error');
    expect(res.body.error.code).toBe('PLATFORM.AUTHENTICATION_INVALID');
    expect(res.body.error).toHaveProperty('log_url');
  });

  it('refuses a revoked key', async () => {
    const keys = gw.app.get(ApiKeysService);
    const { key, listing } = await keys.createKey('default', 'to-revoke');
    await request(gw.url).get('/v1/check-api-key').set('Authorization', `Bearer ${key}`).expect(200);
    await keys.revokeKey(listing.id);
    const res = await request(gw.url).get('/v1/check-api-key').set('Authorization', `Bearer ${key}`).expect(401);
    expect(res.body.error.code).toBe('PLATFORM.AUTHENTICATION_INVALID');
  });

  it('stores only a hash and a short prefix of each key', async () => {
    const rows: Record<string, unknown>[] = await gw.ds.query('SELECT * FROM api_keys');
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(gw.apiKey);
    expect(dump).not.toContain(gw.apiKey.slice(12));
    expect(rows.some((r) => r.prefix === gw.apiKey.slice(0, 12))).toBe(true);
  });

  it('lists keys by prefix only', async () => {
    const listed = await gw.app.get(ApiKeysService).listKeys('default');
    expect(JSON.stringify(listed)).not.toContain(gw.apiKey);
    expect(listed[0].prefix).toHaveLength(12);
  });

  describe('errors leave in the Kombo envelope, never as HTML or 500', () => {
    it('unknown route → 404', async () => {
      const res = await request(gw.url).get('/v1/does-not-exist').set(auth()).expect(404);
      expect(res.body).toMatchObject({ status: 'error', error: { code: 'PLATFORM.NOT_FOUND' } });
      expect(res.headers['content-type']).toMatch(/json/);
    });

    it('malformed JSON → 400 INPUT_INVALID', async () => {
      const res = await request(gw.url).post('/v1/check-api-key').set(auth()).set('Content-Type', 'application/json').send('{"a":').expect(400);
      expect(res.body.error.code).toBe('PLATFORM.INPUT_INVALID');
      expect(res.body.error.message).toMatch(/JSON/);
    });

    it('oversized body → 413 INPUT_INVALID', async () => {
      const big = JSON.stringify({ x: 'a'.repeat(2 * 1024 * 1024) });
      const res = await request(gw.url).post('/v1/check-api-key').set(auth()).set('Content-Type', 'application/json').send(big).expect(413);
      expect(res.body.error.code).toBe('PLATFORM.INPUT_INVALID');
      expect(res.body.error.message).toMatch(/too large/);
    });

    it('wrong content type → 415 INPUT_INVALID', async () => {
      const res = await request(gw.url).post('/v1/check-api-key').set(auth()).set('Content-Type', 'text/plain').send('hello').expect(415);
      expect(res.body.error.code).toBe('PLATFORM.INPUT_INVALID');
      expect(res.body.error.message).toMatch(/application\/json/);
    });
  });

  it('serves health, the OpenAPI document and the reference page without a key', async () => {
    const health = await request(gw.url).get('/health').expect(200);
    expect(health.body.info.database.status).toBe('up');
    const doc = await request(gw.url).get('/v1/openapi.json').expect(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.paths['/check-api-key']).toBeDefined();
    const page = await request(gw.url).get('/docs').expect(200);
    expect(page.text).toContain('swagger-ui');
    await request(gw.url).get('/docs/assets/swagger-ui-bundle.js').expect(200);
  });

  describe('environment isolation', () => {
    let otherKey: string;
    let integrationId: string;

    beforeAll(async () => {
      const keys = gw.app.get(ApiKeysService);
      await keys.createEnvironment('other');
      otherKey = (await keys.createKey('other')).key;
      const created = await gw.app.get(IntegrationsService).create({
        environmentId: gw.environmentId,
        tool: 'personio',
        credentials: { clientId: 'id', clientSecret: 'secret-value-never-shown' },
        endUserOrganizationName: 'ACME',
      });
      integrationId = created.id;
    });

    // Every route that names an integration, in the path or by X-Integration-Id, is
    // called with another environment's key: each must answer 404, as for a missing one.
    it("no integration-scoped route reveals another environment's integration", async () => {
      const scoped = collectRoutes(FEATURE_MODULES).filter((r) => INTEGRATION_PATH_PARAMS.some((p) => r.path.includes(`:${p}`)) || r.spec?.integrationHeader);
      // The HRIS reads, integration management, fields and passthrough routes are all in the table.
      expect(scoped.length).toBeGreaterThan(5);
      // Settings routes (issue #13) are in the table too.
      expect(scoped.map((r) => `${r.method} ${r.path}`)).toEqual(
        expect.arrayContaining([
          'GET /v1/integrations/:integration_id/settings',
          'PATCH /v1/integrations/:integration_id/settings',
          'GET /v1/integrations/:integration_id/settings/changes',
        ]),
      );
      for (const r of scoped) {
        let path = r.path;
        for (const p of INTEGRATION_PATH_PARAMS) path = path.replace(`:${p}`, encodeURIComponent(integrationId));
        path = path.replace(/:([A-Za-z0-9_]+)/g, 'x');
        const res = await request(gw.url)
          [r.method.toLowerCase() as 'get'](path)
          .set('Authorization', `Bearer ${otherKey}`)
          .set('X-Integration-Id', integrationId)
          .set('Content-Type', 'application/json')
          .send(r.method === 'GET' ? undefined : {});
        expect({ route: `${r.method} ${r.path}`, status: res.status, code: res.body?.error?.code }).toEqual({
          route: `${r.method} ${r.path}`,
          status: 404,
          code: 'PLATFORM.INTEGRATION_NOT_FOUND',
        });
      }
      // The environment-wide list shows only the caller's own integrations.
      const other = await request(gw.url).get('/v1/integrations').set('Authorization', `Bearer ${otherKey}`).expect(200);
      expect(other.body.data.results).toEqual([]);
      const own = await request(gw.url).get('/v1/integrations').set('Authorization', `Bearer ${gw.apiKey}`).expect(200);
      expect(own.body.data.results.map((i: { id: string }) => i.id)).toContain(integrationId);
    });
  });

  it('writes no API key or secret into the logs', () => {
    const logs = gw.logs().join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(gw.apiKey);
    expect(logs).not.toContain('secret-value-never-shown');
  });
});

describe('migrations', () => {
  it('are idempotent: a second start on the same database applies nothing and works', async () => {
    const gw = await startTestGateway();
    try {
      const { ds } = await openDatabase({ ...gw.config, databaseUrl: gw.embedded ? gw.embedded.url : gw.config.databaseUrl });
      const [{ count }] = await ds.query('SELECT count(*)::int AS count FROM schema_migrations');
      expect(count).toBeGreaterThanOrEqual(2);
      const again = await ds.runMigrations();
      expect(again).toEqual([]);
      expect(await new ApiKeysService(ds).bootstrap()).toBeNull();
      await ds.destroy();
    } finally {
      await gw.close();
    }
  });
});
