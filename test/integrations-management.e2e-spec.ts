import request from 'supertest';
import { startPersonioSandbox } from '../connectors/personio/sandbox';
import type { PersonioSandbox } from '../connectors/personio/sandbox/types';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { markFirstSyncDone, seedUnified } from './hris-seed';
import { startTestGateway, TestGateway } from './support/gateway';

/** Management, custom/integration fields and passthrough: validation and failure paths (the happy paths run through the SDK in kombo-sdk.e2e-spec.ts). */
describe('integration management, fields and passthrough', () => {
  let gw: TestGateway;
  let sandbox: PersonioSandbox;
  let integrationId: string;
  const api = () => ({ Authorization: `Bearer ${gw.apiKey}` });
  const passthrough = (route: string, body: { method: string; path: string }) =>
    request(gw.url).post(`/v1/passthrough/${route}`).set(api()).set('X-Integration-Id', integrationId).send(body);

  beforeAll(async () => {
    sandbox = await startPersonioSandbox({ employees: 10, seed: 5 });
    gw = await startTestGateway();
    const i = await gw.app.get(IntegrationsService).create({
      environmentId: gw.environmentId,
      tool: 'personio',
      // Wrong secret: every live call to Personio fails authentication.
      credentials: { clientId: sandbox.defaultCredential.clientId, clientSecret: 'papi-wrong-secret-1234567890' },
      baseUrl: sandbox.url,
      endUserOrganizationName: 'ACME',
    });
    integrationId = i.id;
    await seedUnified(gw.ds, integrationId, { employees: 5 });
    await markFirstSyncDone(gw.ds, integrationId);
  });
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
  });

  it.each([
    [{}, 'value'],
    [{ value: 'yes' }, 'value'],
    [{ value: true, extra: 1 }, 'extra'],
  ])('PUT enabled refuses %j naming the field', async (body, field) => {
    const res = await request(gw.url).put(`/v1/integrations/${integrationId}/enabled`).set(api()).send(body).expect(400);
    expect(res.body.error).toMatchObject({ code: 'PLATFORM.INPUT_INVALID', message: expect.stringContaining(field) });
  });

  it('GET /tools refuses an unknown category', async () => {
    const res = await request(gw.url).get('/v1/tools/crm').set(api()).expect(400);
    expect(res.body.error.message).toContain('category');
  });

  it("passthrough answers a Personio auth failure with 403 (PLATFORM.INPUT_INVALID: Kombo's passthrough schema has platform codes only) and leaks no secret", async () => {
    const res = await passthrough('personio/personnel', { method: 'GET', path: '/company/employees' }).expect(403);
    expect(res.body.error).toMatchObject({ code: 'PLATFORM.INPUT_INVALID', title: 'The input is invalid.' });
    expect(JSON.stringify(res.body)).not.toContain('papi-wrong-secret');
    const bad = await passthrough('personio/personnel', { method: 'TRACE', path: '/x' }).expect(400);
    expect(bad.body.error.message).toContain('method');
    const otherTool = await passthrough('bamboohr/v1', { method: 'GET', path: '/x' }).expect(400);
    expect(otherTool.body.error.message).toContain('tool');
    expect(gw.logs().join('\n')).not.toContain('papi-wrong-secret');
  });

  it('integration fields fall back to the attributes seen in synced records when the HRIS is unreachable', async () => {
    const res = await request(gw.url).get(`/v1/integrations/${integrationId}/integration-fields`).set(api()).expect(200);
    expect(res.body.data.results.map((f: { key: string }) => f.key).sort()).toEqual(['cost_code', 'id']);
    expect(res.body.data).toMatchObject({ next: null, next_cursor: null });
    const costCode = res.body.data.results.find((f: { key: string }) => f.key === 'cost_code');
    await request(gw.url)
      .patch(`/v1/integrations/${integrationId}/integration-fields/${costCode.id}`)
      .set(api())
      .send({ enable_passthrough: true })
      .expect(200);
    const employees = await request(gw.url).get('/v1/hris/employees?page_size=1').set(api()).set('X-Integration-Id', integrationId).expect(200);
    expect(employees.body.data.results[0].integration_fields).toEqual([
      { id: costCode.id, key: 'cost_code', type: 'DEFAULT', value: expect.stringMatching(/^CC-/), label: 'Cost code' },
    ]);
    const missing = await request(gw.url)
      .patch(`/v1/integrations/${integrationId}/integration-fields/nope`)
      .set(api())
      .send({ enable_passthrough: true })
      .expect(404);
    expect(missing.body.error.code).toBe('PLATFORM.INPUT_INVALID');
  });

  it('custom fields: key validation, duplicates, unknown ids, a DEFAULT attribute as source, the filter', async () => {
    const bad = await request(gw.url).post('/v1/custom-fields').set(api()).send({ model: 'hris_employees', key: '1 bad key' }).expect(400);
    expect(bad.body.error.message).toContain('key');
    const created = await request(gw.url).post('/v1/custom-fields').set(api()).send({ model: 'hris_employees', key: 'cost_code' }).expect(200);
    const dup = await request(gw.url).post('/v1/custom-fields').set(api()).send({ model: 'hris_employees', key: 'cost_code' }).expect(409);
    expect(dup.body.error.code).toBe('PLATFORM.CONFLICT');
    await request(gw.url).put(`/v1/integrations/${integrationId}/custom-fields/unknown`).set(api()).send({ integration_field_id: null }).expect(404);
    const wrongField = await request(gw.url)
      .put(`/v1/integrations/${integrationId}/custom-fields/${created.body.data.id}`)
      .set(api())
      .send({ integration_field_id: 'nope' })
      .expect(400);
    expect(wrongField.body.error.message).toContain('integration_field_id');
    const fields = (await request(gw.url).get(`/v1/integrations/${integrationId}/integration-fields`).set(api()).expect(200)).body.data.results;
    const source = fields.find((f: { key: string }) => f.key === 'cost_code');
    await request(gw.url)
      .put(`/v1/integrations/${integrationId}/custom-fields/${created.body.data.id}`)
      .set(api())
      .send({ integration_field_id: source.id })
      .expect(200);
    const q = encodeURIComponent(JSON.stringify({ cost_code: 'CC-1' }));
    const res = await request(gw.url)
      .get(`/v1/hris/employees?custom_fields=${q}&include_deleted=true`)
      .set(api())
      .set('X-Integration-Id', integrationId)
      .expect(200);
    expect(res.body.data.results.length).toBeGreaterThan(0);
    expect(res.body.data.results.every((e: { custom_fields: { cost_code: string } }) => e.custom_fields.cost_code === 'CC-1')).toBe(true);
    await request(gw.url).delete(`/v1/custom-fields/${created.body.data.id}`).set(api()).expect(200);
    const after = await request(gw.url).get('/v1/hris/employees?page_size=1').set(api()).set('X-Integration-Id', integrationId).expect(200);
    expect(after.body.data.results[0].custom_fields).toEqual({});
  });

  it('an unmapped custom field filter matches nothing, or is ignored with ignore_unsupported_filters', async () => {
    await request(gw.url).post('/v1/custom-fields').set(api()).send({ model: 'hris_employees', key: 'shirt' }).expect(200);
    const q = encodeURIComponent(JSON.stringify({ shirt: 'M' }));
    const none = await request(gw.url).get(`/v1/hris/employees?custom_fields=${q}`).set(api()).set('X-Integration-Id', integrationId).expect(200);
    expect(none.body.data.results).toEqual([]);
    const ignored = await request(gw.url)
      .get(`/v1/hris/employees?custom_fields=${q}&ignore_unsupported_filters=true`)
      .set(api())
      .set('X-Integration-Id', integrationId)
      .expect(200);
    expect(ignored.body.data.results.length).toBeGreaterThan(0);
  });
});
