// A tool src/ has never heard of: the fake HRIS in test/support/fake-hris, with its
// own credential fields (tenant + token), guide, requirements, settings, upload
// rules and change notifications, registered only through the connectors provider.
// It goes through the connect page, the first sync, reads, custom and integration
// fields, documents, passthrough
// and webhooks (inbound notification in, record events out) end to end.
import request from 'supertest';
import { loadConfig } from '../src/config/config';
import { startTestGateway, TestGateway } from './support/gateway';
import { FAKE_TOOL, FakeHris, fakeConnector } from './support/fake-hris';
import { fastSyncEnv, waitFor, waitForRun } from './support/sync';
import { startWebhookReceiver } from './support/webhook-receiver';

describe('a connector src/ does not know (test-only fake HRIS)', () => {
  const hris = new FakeHris();
  const TOKEN = 'fake-token-s3cret-value';
  let gw: TestGateway;
  let rx: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let integrationId: string;
  const auth = () => ({ Authorization: `Bearer ${gw.apiKey}` });
  const scoped = () => ({ ...auth(), 'X-Integration-Id': integrationId });
  const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

  async function post(path: string, step: string, fields: Record<string, string>, from: string): Promise<{ status: number; text: string }> {
    const res = await request(gw.url)
      .post(`${path}/${step}`)
      .type('form')
      .send(new URLSearchParams({ csrf: csrfOf(from), ...fields }).toString());
    return { status: res.status, text: res.text };
  }

  beforeAll(async () => {
    hris.addTenant('acme', TOKEN, 5);
    hris.hide('acme', ['team']);
    rx = await startWebhookReceiver();
    gw = await startTestGateway(
      { env: fastSyncEnv(), inbound: { ...loadConfig({}).inbound, publicUrlSet: true }, toolSettings: { [FAKE_TOOL]: { region: 'eu-test' } } },
      { connectors: { [FAKE_TOOL]: fakeConnector(hris) as never } },
    );
    await request(gw.url).post('/v1/webhooks/endpoints').set(auth()).send({ url: rx.url, record_events: true }).expect(201);
  });
  afterAll(async () => {
    await gw?.close();
    await rx?.close();
  });

  it('connects through the page rendered from its own fields, guide and requirements', async () => {
    // No integration_tool: the gateway's only registered tool is the default.
    const link = await request(gw.url)
      .post('/v1/connect/create-link')
      .set(auth())
      .send({ end_user_email: 'hr@acme.example', end_user_organization_name: 'ACME Ltd', language: 'en' })
      .expect(200);
    const path = new URL(link.body.data.link).pathname;
    const page = (await request(gw.url).get(path).expect(200)).text;
    expect(page).toContain('Connect FakeHR');
    expect(page).toMatch(/<input id="tenant" name="tenant" type="text"[^>]*maxlength="40"/);
    expect(page).toMatch(/<input id="token" name="token" type="password"[^>]*maxlength="80"/);
    expect(page).not.toMatch(/client_id|clientId|Personio/);
    expect(page).toContain('Create an API token in FakeHR');
    expect(page).toContain('FakeHR › Admin › Tenant');
    // Required attributes listed under the guide step; the optional permission is not.
    expect(page).toMatch(/<ul class="attributes"><li>E-mail address<\/li><li>Team name<\/li><\/ul>/);

    const empty = await post(path, 'test', { tenant: '', token: '' }, page);
    expect(empty.text).toContain('Enter the Tenant name.');
    expect(empty.text).toContain('Enter the API token.');

    const wrong = await post(path, 'test', { tenant: 'acme', token: 'not-the-token' }, page);
    expect(wrong.text).toContain('FakeHR did not accept these credentials');
    expect(wrong.text).toContain('value="acme"');
    expect(wrong.text).not.toContain('not-the-token');

    const missing = await post(path, 'test', { tenant: 'acme', token: TOKEN }, wrong.text);
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('FakeHR accepted the credentials, but they cannot read everything yet:');
    expect(missing.text).toContain('The attribute &#34;Team name&#34; cannot be read (needed for team groups).');
    expect(missing.text).toContain('Widen the token in FakeHR › Admin, then test again.');
    expect(missing.text).not.toContain(TOKEN);

    // The token is left empty: the one saved by the last test is kept.
    hris.hide('acme', []);
    const ok = await post(path, 'test', { tenant: 'acme', token: '' }, missing.text);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('The connection works.');
    const done = await post(path, 'finish', {}, ok.text);
    expect(done.text).toContain('FakeHR is connected');
    [{ integration_id: integrationId }] = await gw.ds.query(`SELECT integration_id FROM connect_links WHERE integration_id IS NOT NULL`);
    expect(integrationId).toMatch(new RegExp(`^${FAKE_TOOL}:`));
  });

  it('runs the first sync and serves the records through the unified API', async () => {
    // The first FULL run (queued by the finish step, or by the scheduler when it looked first).
    const [run] = await waitFor(
      async () => {
        const rows = await gw.ds.query(`SELECT id FROM sync_runs WHERE integration_id = $1 AND type = 'FULL' ORDER BY queued_at LIMIT 1`, [integrationId]);
        return rows.length ? rows : null;
      },
      20_000,
      'the first sync',
    );
    // The whole row on failure: its error says why.
    expect(await waitForRun(gw.ds, run.id)).toMatchObject({ status: 'SUCCEEDED' });
    await waitFor(
      async () => (await gw.ds.query(`SELECT 1 FROM integrations WHERE id = $1 AND first_sync_completed_at IS NOT NULL`, [integrationId])).length > 0,
      20_000,
      'first sync completed',
    );
    const res = await request(gw.url).get('/v1/hris/employees').set(scoped()).expect(200);
    const people = hris.people('acme');
    expect(res.body.data.results.map((e: { remote_id: string }) => e.remote_id).sort()).toEqual(people.map((p) => p.id).sort());
    const first = res.body.data.results.find((e: { remote_id: string }) => e.remote_id === people[0].id);
    expect(first).toMatchObject({ first_name: people[0].firstName, work_email: people[0].email });
    const groups = await request(gw.url).get('/v1/hris/groups').set(scoped()).expect(200);
    expect(groups.body.data.results.map((g: { name: string }) => g.name).sort()).toEqual(['Blue', 'Green']);
    // The tool's own settings (ToolSetting) reach the connector as ctx.settings.
    expect(hris.settingsSeen.at(-1)).toMatchObject({ region: 'eu-test' });
    // Outbound webhooks: the LMS heard of the new integration and its records.
    await waitFor(
      async () => rx.received.some((h) => h.json.type === 'hris.employee.created' && h.json.data.integration_id === integrationId),
      20_000,
      'record events',
    );
    expect(rx.received.some((h) => h.json.type === 'integration-created')).toBe(true);
  });

  it("uploads a document under the tool's own rules", async () => {
    const categories = await request(gw.url).get('/v1/hris/employee-document-categories').set(scoped()).expect(200);
    const category = categories.body.data.results.find((c: { name: string }) => c.name === 'Certificates');
    const employees = await request(gw.url).get('/v1/hris/employees').set(scoped()).expect(200);
    const target = employees.body.data.results[0];
    const url = `/v1/hris/employees/${target.id}/documents`;
    const refused = await request(gw.url)
      .post(url)
      .set(scoped())
      .send({ category_id: category.id, document: { name: 'cert.docx', content_type: 'application/msword', data: Buffer.from('x').toString('base64') } })
      .expect(400);
    expect(refused.body.error.message).toContain('Accepted types: pdf, txt');
    const text = Buffer.from('Course completed');
    await request(gw.url)
      .post(url)
      .set(scoped())
      .send({ category_id: category.id, document: { name: 'cert.txt', content_type: 'text/plain', data: text.toString('base64') } })
      .expect(200);
    expect(hris.documents('acme')).toEqual([expect.objectContaining({ personId: target.remote_id, categoryId: 'cat-1', fileName: 'cert.txt', title: 'cert' })]);
    expect(Buffer.compare(hris.documents('acme')[0].bytes, text)).toBe(0);
  });

  it('serves its fields as integration fields and custom fields (kinds from its fieldKind, values from remote_fields)', async () => {
    const fields = (await request(gw.url).get(`/v1/integrations/${integrationId}/integration-fields`).set(auth()).expect(200)).body.data.results;
    expect(fields.map((f: { key: string; type: string }) => [f.key, f.type]).sort()).toEqual([
      ['email', 'DEFAULT'],
      ['first_name', 'DEFAULT'],
      ['last_name', 'DEFAULT'],
      ['team', 'DEFAULT'],
      ['x_shirt_size', 'CUSTOM'],
    ]);
    const shirt = fields.find((f: { key: string }) => f.key === 'x_shirt_size');
    const team = fields.find((f: { key: string }) => f.key === 'team');
    const created = await request(gw.url).post('/v1/custom-fields').set(auth()).send({ model: 'hris_employees', key: 'shirt' }).expect(200);
    await request(gw.url)
      .put(`/v1/integrations/${integrationId}/custom-fields/${created.body.data.id}`)
      .set(auth())
      .send({ integration_field_id: shirt.id })
      .expect(200);
    await request(gw.url).patch(`/v1/integrations/${integrationId}/integration-fields/${team.id}`).set(auth()).send({ enable_passthrough: true }).expect(200);
    const person = hris.people('acme')[0];
    const res = await request(gw.url).get('/v1/hris/employees').set(scoped()).expect(200);
    const served = res.body.data.results.find((e: { remote_id: string }) => e.remote_id === person.id);
    expect(served.custom_fields).toEqual({ shirt: person.shirtSize });
    expect(served.integration_fields).toEqual([{ id: team.id, key: 'team', type: 'DEFAULT', value: served.integration_fields[0].value, label: 'team' }]);
    expect(typeof served.integration_fields[0].value).toBe('string');
    const q = encodeURIComponent(JSON.stringify({ shirt: person.shirtSize }));
    const filtered = await request(gw.url).get(`/v1/hris/employees?custom_fields=${q}`).set(scoped()).expect(200);
    expect(filtered.body.data.results.map((e: { remote_id: string }) => e.remote_id)).toContain(person.id);
    expect(filtered.body.data.results.every((e: { custom_fields: { shirt: string } }) => e.custom_fields.shirt === person.shirtSize)).toBe(true);
  });

  it('forwards passthrough requests to the tool', async () => {
    const res = await request(gw.url).post(`/v1/passthrough/${FAKE_TOOL}/api`).set(scoped()).send({ method: 'GET', path: '/people' }).expect(200);
    expect(res.body.data.status).toBe(200);
    expect(res.body.data.data).toHaveLength(hris.people('acme').length);
  });

  it("takes the tool's change notifications in and sends record events out", async () => {
    await waitFor(async () => hris.subscriptions('acme').length === 1, 20_000, 'subscription');
    expect(hris.subscriptions('acme')[0].url).toBe(`${gw.url}/inbound/${encodeURIComponent(integrationId)}`);
    const person = hris.people('acme')[1];
    hris.change('acme', person.id, { firstName: 'Renamed' });
    expect(await hris.notify('acme', person.id)).toEqual([200]);
    await waitFor(
      async () => {
        const res = await request(gw.url).get('/v1/hris/employees').set(scoped());
        return res.body.data.results.some((e: { remote_id: string; first_name: string }) => e.remote_id === person.id && e.first_name === 'Renamed');
      },
      20_000,
      'the re-read',
    );
    const [run] = await gw.ds.query(`SELECT id FROM sync_runs WHERE integration_id = $1 AND trigger = 'WEBHOOK'`, [integrationId]);
    expect((await waitForRun(gw.ds, run.id)).status).toBe('SUCCEEDED');
    await waitFor(
      async () => rx.received.some((h) => h.json.type === 'hris.employee.updated' && h.json.data.remote_id === person.id),
      20_000,
      'the update event',
    );
  });
});
