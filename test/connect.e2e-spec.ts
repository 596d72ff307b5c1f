import request from 'supertest';
import { startPersonioSandbox, type PersonioSandbox, type SandboxCredential } from '../connectors/personio/sandbox';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { TEST_ATTEMPTS_PER_WINDOW } from '../src/connect/connect-flow.service';
import { startTestGateway, TestGateway } from './support/gateway';
import { waitFor } from './support/sync';

/**
 * Connect links and the hosted page over real HTTP: the gateway on a fresh database,
 * Personio played by the simulator. Pages are driven like a browser without JS would:
 * GET the page, read the CSRF token from the form, POST the form.
 */
describe('connect links and the hosted connect page', () => {
  let gw: TestGateway;
  let sandbox: PersonioSandbox;
  const pages: string[] = [];
  const secrets: string[] = [];
  const auth = () => ({ Authorization: `Bearer ${gw.apiKey}` });

  beforeAll(async () => {
    sandbox = await startPersonioSandbox({ employees: 30, seed: 7, port: 0 });
    // role "api": no sync or delivery worker in this process. These tests check what the flow
    // writes (integration, events, queued sync run); the browser test runs the sync itself.
    gw = await startTestGateway({ toolSettings: { personio: { baseUrl: sandbox.url } }, role: 'api' });
  });
  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
  });

  function credential(c: Partial<SandboxCredential> = {}): SandboxCredential {
    const created = sandbox.addCredential(c);
    secrets.push(created.clientSecret);
    return created;
  }

  async function createLink(body: Record<string, unknown> = {}): Promise<{ link: string; path: string; token: string; expires_at: string }> {
    const res = await request(gw.url)
      .post('/v1/connect/create-link')
      .set(auth())
      .send({ end_user_email: 'hr@acme.example', end_user_organization_name: 'ACME GmbH', end_user_origin_id: 'acme-1', integration_tool: 'personio', ...body })
      .expect(200);
    const link: string = res.body.data.link;
    const path = new URL(link).pathname;
    return { link, path, token: path.split('/').pop()!, expires_at: res.body.data.expires_at };
  }

  async function getPage(path: string, expected = 200): Promise<string> {
    const res = await request(gw.url).get(path).expect(expected);
    pages.push(res.text);
    return res.text;
  }

  const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

  async function post(path: string, step: string, fields: Record<string, string | string[]>, from?: string): Promise<{ status: number; text: string }> {
    const html = from ?? (await getPage(path));
    const form = new URLSearchParams();
    form.append('csrf', csrfOf(html));
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
    const res = await request(gw.url).post(`${path}/${step}`).type('form').send(form.toString());
    pages.push(res.text);
    return { status: res.status, text: res.text };
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- payloads are read field by field in the assertions
  const events = async (type: string): Promise<Array<{ integration_id: string | null; data: any }>> =>
    gw.ds.query(`SELECT integration_id, data FROM webhook_events WHERE type = $1 ORDER BY created_at`, [type]);

  const activationTokenOf = (html: string) => /data-activation-token="([^"]+)"/.exec(html)?.[1];

  describe('POST /v1/connect/create-link', () => {
    it('returns a link under PUBLIC_URL that lives 1 hour (EMBEDDED) or 1 year (MAGIC_LINK) or as chosen', async () => {
      const embedded = await createLink();
      expect(embedded.link).toMatch(new RegExp(`^${gw.url}/connect/hgct_[1-9A-HJ-NP-Za-km-z]{44}$`));
      expect(new Date(embedded.expires_at).getTime() - Date.now()).toBeGreaterThan(59 * 60_000);
      expect(new Date(embedded.expires_at).getTime() - Date.now()).toBeLessThanOrEqual(60 * 60_000);
      const magic = await createLink({ link_type: 'MAGIC_LINK' });
      expect(new Date(magic.expires_at).getTime() - Date.now()).toBeGreaterThan(364 * 86_400_000);
      const custom = await createLink({ expires_in_minutes: 15 });
      expect(Math.round((new Date(custom.expires_at).getTime() - Date.now()) / 60_000)).toBe(15);
    });

    it('stores only the hash of the link token', async () => {
      const { token } = await createLink();
      expect(JSON.stringify(await gw.ds.query('SELECT * FROM connect_links'))).not.toContain(token);
    });

    it('names invalid fields, unknown tools and categories', async () => {
      const missing = await request(gw.url).post('/v1/connect/create-link').set(auth()).send({ end_user_organization_name: 'X' }).expect(400);
      expect(missing.body.error).toMatchObject({ code: 'PLATFORM.INPUT_INVALID' });
      expect(missing.body.error.message).toMatch(/end_user_email/);
      const tool = await request(gw.url)
        .post('/v1/connect/create-link')
        .set(auth())
        .send({ end_user_email: 'a@b.example', end_user_organization_name: 'X', integration_tool: 'hibob' })
        .expect(400);
      expect(tool.body.error.message).toMatch(/hibob.*personio/);
      const cat = await request(gw.url)
        .post('/v1/connect/create-link')
        .set(auth())
        .send({ end_user_email: 'a@b.example', end_user_organization_name: 'X', integration_category: 'ATS' })
        .expect(400);
      expect(cat.body.error.message).toMatch(/ATS/);
      await request(gw.url).post('/v1/connect/create-link').send({ end_user_email: 'a@b.example', end_user_organization_name: 'X' }).expect(401);
    });
  });

  describe('the hosted page', () => {
    it('explains the data and the Personio guide, with a strict CSP and no caching', async () => {
      const { path } = await createLink();
      const res = await request(gw.url).get(`${path}?sdkv=1.3.0`).expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain('frame-ancestors *');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toContain('Settings › Integrations › API credentials');
      for (const label of ['First name', 'Subcompany', 'Cost center', 'Weekly hours', 'Last modified', 'Last day of work']) expect(res.text).toContain(label);
      expect(res.text).not.toMatch(/<script>|<style>|style="/);
      await request(gw.url)
        .get('/connect/assets/connect.js')
        .expect(200)
        .expect('Content-Type', /javascript/);
    });

    it('speaks German when the link asks for it', async () => {
      const { path } = await createLink({ language: 'de' });
      const html = await getPage(path);
      expect(html).toContain('lang="de"');
      expect(html).toContain('Verbindung testen');
      expect(html).toContain('Einstellungen › Integrationen › API-Zugangsdaten');
    });

    it('refuses a form without a valid CSRF token', async () => {
      const c = credential();
      const { path } = await createLink();
      const form = new URLSearchParams({ csrf: 'forged.token', clientId: c.clientId, clientSecret: c.clientSecret });
      const res = await request(gw.url).post(`${path}/test`).type('form').send(form.toString()).expect(403);
      expect(res.text).toContain('This form has expired');
      const cross = await request(gw.url).post(`${path}/test`).set('Origin', 'https://evil.example').type('form').send(form.toString()).expect(403);
      expect(cross.text).not.toContain(c.clientSecret);
    });

    it('says clearly when the credentials are wrong, and sends connection-flow-failed', async () => {
      const c = credential();
      const { path } = await createLink();
      const before = (await events('connection-flow-failed')).length;
      const res = await post(path, 'test', { clientId: c.clientId, clientSecret: 'papi-wrong-secret-xyz' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('Personio did not accept these credentials');
      expect(res.text).toContain(`value="${c.clientId}"`);
      expect(res.text).not.toContain('papi-wrong-secret-xyz');
      const failed = await events('connection-flow-failed');
      expect(failed).toHaveLength(before + 1);
      expect(failed.at(-1)!.data).toMatchObject({
        integration_tool: 'personio',
        integration_category: 'HRIS',
        end_user: { organization_name: 'ACME GmbH', creator_email: 'hr@acme.example', origin_id: 'acme-1' },
      });
      const log = await request(gw.url)
        .get(new URL(failed.at(-1)!.data.log_url).pathname)
        .set(auth())
        .expect(200);
      expect(log.body.data.failures.at(-1)).toMatchObject({ kind: 'AUTH' });
      const empty = await post(path, 'test', { clientId: '', clientSecret: '' });
      expect(empty.status).toBe(400);
      expect(empty.text).toContain('Enter the Client ID');
    });

    it(`rate-limits "Test connection" to ${TEST_ATTEMPTS_PER_WINDOW} per link`, async () => {
      const c = credential();
      const { path } = await createLink();
      let html = await getPage(path);
      for (let i = 0; i < TEST_ATTEMPTS_PER_WINDOW; i++) {
        // Half wrong secrets (Personio says no), half empty ones (refused before any call): both count.
        const r = await post(path, 'test', { clientId: c.clientId, clientSecret: i % 2 ? 'papi-wrong' : '' }, html);
        expect(r.status).toBe(i % 2 ? 422 : 400);
        html = r.text;
      }
      const limited = await post(path, 'test', { clientId: c.clientId, clientSecret: c.clientSecret }, html);
      expect(limited.status).toBe(429);
      expect(limited.text).toMatch(/Too many attempts with this link\. Please wait \d+ minutes/);
    });

    it('names each missing attribute, then finishes once they are allowed; the token is single use', async () => {
      const c = credential({
        attributes: [
          'id',
          'first_name',
          'last_name',
          'email',
          'position',
          'status',
          'department',
          'team',
          'subcompany',
          'gender',
          'employment_type',
          'hire_date',
          'termination_date',
          'last_working_day',
          'supervisor',
          'cost_centers',
          'weekly_working_hours',
          'last_modified_at',
        ],
      });
      const { path } = await createLink();
      const first = await post(path, 'test', { clientId: c.clientId, clientSecret: c.clientSecret });
      expect(first.text).toContain('The attribute &#34;Office&#34; cannot be read');
      expect(first.text).not.toContain('id="finish"');
      expect(first.text).not.toContain(c.clientSecret);

      sandbox.setWhitelist(c.clientId, 'all');
      // "Test again" without re-typing the secret: the sealed one from the first test is used.
      const again = await post(path, 'test', { clientId: c.clientId, clientSecret: '' }, first.text);
      expect(again.status).toBe(200);
      expect(again.text).toContain('The connection works.');
      const created = await events('integration-created');
      const done = await post(path, 'finish', {}, again.text);
      expect(done.status).toBe(200);
      const token = activationTokenOf(done.text)!;
      expect(token).toMatch(/^hgat_/);

      const exchanged = await request(gw.url).get(`/v1/connect/integration-by-token/${token}`).set(auth()).expect(200);
      expect(exchanged.body.data).toEqual({
        id: expect.stringMatching(/^personio:/),
        tool: 'personio',
        end_user_origin_id: 'acme-1',
        end_user_organization_name: 'ACME GmbH',
        end_user_email: 'hr@acme.example',
        setup_status: expect.stringMatching(/FINAL_SYNC_PENDING|COMPLETED/),
      });
      const id = exchanged.body.data.id;
      expect((await events('integration-created')).slice(created.length)).toEqual([
        {
          integration_id: id,
          data: { id, tool: 'personio', category: 'HRIS', end_user: { organization_name: 'ACME GmbH', creator_email: 'hr@acme.example', origin_id: 'acme-1' } },
        },
      ]);
      const runs: unknown[] = await gw.ds.query(`SELECT 1 FROM sync_runs WHERE integration_id = $1`, [id]);
      expect(runs.length).toBeGreaterThan(0);

      const reused = await request(gw.url).get(`/v1/connect/integration-by-token/${token}`).set(auth()).expect(404);
      expect(reused.body.error.code).toBe('PLATFORM.INPUT_INVALID'); // Kombo's general schema has no NOT_FOUND
      // The link is spent: a reload or a second finish shows a clear page.
      expect(await getPage(path, 410)).toContain('This link has already been used');
      expect((await post(path, 'finish', {}, again.text)).status).toBe(410);
      const raw = JSON.stringify(await gw.ds.query('SELECT * FROM activation_tokens'));
      expect(raw).not.toContain(token);
    });

    it('creates one integration when "Finish" is posted twice at once', async () => {
      const c = credential();
      const { path, token } = await createLink();
      const ok = await post(path, 'test', { clientId: c.clientId, clientSecret: c.clientSecret });
      const [a, b] = await Promise.all([post(path, 'finish', {}, ok.text), post(path, 'finish', {}, ok.text)]);
      expect([a.status, b.status].sort()).toEqual([200, 410]);
      const rows: unknown[] = await gw.ds.query(
        `SELECT i.id FROM integrations i JOIN connect_links l ON l.integration_id = i.id WHERE l.token_hash = encode(sha256($1::bytea), 'hex')`,
        [token],
      );
      expect(rows).toHaveLength(1);
      const [{ count }] = await gw.ds.query(`SELECT count(*)::int AS count FROM integrations WHERE end_user_origin_id = 'acme-1'`);
      expect(count).toBe((await events('integration-created')).filter((e) => e.data.end_user.origin_id === 'acme-1').length);
    });

    it('refuses an activation token from another environment', async () => {
      const c = credential();
      const { path } = await createLink();
      const ok = await post(path, 'test', { clientId: c.clientId, clientSecret: c.clientSecret });
      const token = activationTokenOf((await post(path, 'finish', {}, ok.text)).text)!;
      const keys = gw.app.get(ApiKeysService);
      await keys.createEnvironment('elsewhere');
      const other = (await keys.createKey('elsewhere')).key;
      await request(gw.url).get(`/v1/connect/integration-by-token/${token}`).set('Authorization', `Bearer ${other}`).expect(404);
      await request(gw.url).get(`/v1/connect/integration-by-token/${token}`).set(auth()).expect(200);
    });

    it('shows a clear page for an expired or unknown link', async () => {
      const { path, token } = await createLink({ language: 'de' });
      await gw.ds.query(`UPDATE connect_links SET expires_at = now() - interval '1 second' WHERE token_hash = encode(sha256($1::bytea), 'hex')`, [token]);
      const expired = await getPage(path, 410);
      expect(expired).toContain('Dieser Link ist abgelaufen');
      expect(await getPage('/connect/hgct_not-a-real-token', 404)).toContain('This link is not valid');
    });

    it('offers filters read live from Personio and stores the choice on the integration', async () => {
      const c = credential();
      const { path } = await createLink({ enable_filtering: true, link_type: 'MAGIC_LINK' });
      const ok = await post(path, 'test', { clientId: c.clientId, clientSecret: c.clientSecret });
      expect(ok.text).toContain('Choose which employees to sync');
      const departments = [...ok.text.matchAll(/name="departments" value="([^"]+)"/g)].map((m) => m[1]);
      const statuses = [...ok.text.matchAll(/name="statuses" value="([^"]+)"/g)].map((m) => m[1]);
      expect(departments.length).toBeGreaterThan(0);
      expect(statuses).toContain('ACTIVE');
      // Human labels, not enum values.
      expect(ok.text).toMatch(/name="statuses" value="ACTIVE"> Active</);
      expect(ok.text).toMatch(/name="employment_types" value="FULL_TIME"> Full-time</);
      expect(ok.text).not.toMatch(/> (ACTIVE|FULL_TIME|INACTIVE)</);
      const bad = await post(path, 'finish', { departments: 'not-offered' }, ok.text);
      expect(bad.status).toBe(400);
      const done = await post(path, 'finish', { departments: departments[0], statuses: 'ACTIVE' }, ok.text);
      expect(done.text).toContain('Personio is connected');
      expect(activationTokenOf(done.text)).toBeUndefined(); // magic links report by webhook only
      const [row] = await gw.ds.query(
        `SELECT i.filters FROM integrations i JOIN connect_links l ON l.integration_id = i.id WHERE l.token_hash = encode(sha256($1::bytea), 'hex')`,
        [path.split('/').pop()],
      );
      expect(row.filters).toEqual({ group_remote_ids: [departments[0]], employment_statuses: ['ACTIVE'] });
    });

    it('relink offers the filter step with the current filters preselected, in German; the change is recorded and applied', async () => {
      const integrations = gw.app.get(IntegrationsService);
      const c = credential();
      const integration = await integrations.create({
        environmentId: gw.environmentId,
        tool: 'personio',
        credentials: { clientId: c.clientId, clientSecret: c.clientSecret },
        endUserOrganizationName: 'Filter AG',
        filters: { employment_statuses: ['ACTIVE'] },
      });
      const res = await request(gw.url)
        .post(`/v1/integrations/${encodeURIComponent(integration.id)}/relink`)
        .set(auth())
        .send({ language: 'de', link_type: 'MAGIC_LINK' })
        .expect(200);
      const path = new URL(res.body.data.link).pathname;
      const ok = await post(path, 'test', { clientId: c.clientId, clientSecret: c.clientSecret });
      expect(ok.text).toContain('Welche Mitarbeitenden sollen synchronisiert werden?');
      expect(ok.text).toMatch(/name="statuses" value="ACTIVE" checked> Aktiv</);
      expect(ok.text).toMatch(/name="employment_types" value="FULL_TIME"> Vollzeit</);
      const done = await post(path, 'finish', { statuses: 'ACTIVE', employment_types: 'FULL_TIME' }, ok.text);
      expect(done.text).toContain('Zugangsdaten aktualisiert');
      const after = await integrations.find(gw.environmentId, integration.id);
      expect(after.filters).toEqual({ employment_statuses: ['ACTIVE'], employment_types: ['FULL_TIME'] });
      const [change] = await gw.ds.query(`SELECT actor_type, old_values, new_values FROM integration_settings_changes WHERE integration_id = $1`, [
        integration.id,
      ]);
      expect(change).toMatchObject({
        actor_type: 'CONNECT_PAGE',
        old_values: { filters: { employment_types: [] } },
        new_values: { filters: { employment_types: ['FULL_TIME'] } },
      });
      expect((await events('integration-settings-changed')).filter((e) => e.integration_id === integration.id)).toHaveLength(1);
      // Credentials only, when the LMS asks for it.
      const plain = await request(gw.url)
        .post(`/v1/integrations/${encodeURIComponent(integration.id)}/relink`)
        .set(auth())
        .send({ enable_filtering: false })
        .expect(200);
      const plainOk = await post(new URL(plain.body.data.link).pathname, 'test', { clientId: c.clientId, clientSecret: c.clientSecret });
      expect(plainOk.text).not.toContain('id="filters"');
    });

    it('relinks an INVALID integration: same id, new credentials, ACTIVE again, syncing resumes, change notifications subscribed', async () => {
      const integrations = gw.app.get(IntegrationsService);
      const old = credential();
      const integration = await integrations.create({
        environmentId: gw.environmentId,
        tool: 'personio',
        credentials: { clientId: old.clientId, clientSecret: old.clientSecret },
        endUserOrganizationName: 'Relink AG',
        endUserEmail: 'it@relink.example',
        endUserOriginId: 'r-1',
      });
      await gw.ds.query(`UPDATE integrations SET status = 'INVALID', status_reason = 'credentials revoked' WHERE id = $1`, [integration.id]);
      const res = await request(gw.url)
        .post(`/v1/integrations/${encodeURIComponent(integration.id)}/relink`)
        .set(auth())
        .send({ language: 'en', link_type: 'EMBEDDED' })
        .expect(200);
      const path = new URL(res.body.data.link).pathname;
      const fresh = credential();
      const page = await getPage(path);
      expect(page).toContain('Relink AG: enter new Personio API credentials');
      const ok = await post(path, 'test', { clientId: fresh.clientId, clientSecret: fresh.clientSecret }, page);
      gw.config.inbound.publicUrlSet = true; // the HR system can reach this gateway: relink subscribes to change notifications
      const done = await post(path, 'finish', {}, ok.text);
      expect(done.text).toContain('Credentials updated');
      const subscribed = await waitFor(async () => {
        const [row] = await gw.ds.query(`SELECT status FROM inbound_subscriptions WHERE integration_id = $1`, [integration.id]);
        return row?.status === 'ACTIVE' ? row : null;
      });
      gw.config.inbound.publicUrlSet = false;
      expect(subscribed.status).toBe('ACTIVE');
      expect(sandbox.webhooks().map((h) => h.url)).toContain(`${gw.url}/inbound/${encodeURIComponent(integration.id)}`);
      const token = activationTokenOf(done.text)!;
      const exchanged = await request(gw.url).get(`/v1/connect/integration-by-token/${token}`).set(auth()).expect(200);
      expect(exchanged.body.data.id).toBe(integration.id);
      const after = await integrations.find(gw.environmentId, integration.id);
      expect(after.status).toBe('ACTIVE');
      expect(integrations.credentialsOf(after)).toEqual({ clientId: fresh.clientId, clientSecret: fresh.clientSecret });
      const changed = (await events('integration-state-changed')).filter((e) => e.integration_id === integration.id);
      expect(changed.at(-1)!.data).toMatchObject({ integration_id: integration.id, state: 'ACTIVE' });
      const runs: Array<{ trigger: string }> = await gw.ds.query(`SELECT * FROM sync_runs WHERE integration_id = $1`, [integration.id]);
      expect(runs.length).toBeGreaterThan(0);
      await request(gw.url).post('/v1/integrations/personio%3Anope/relink').set(auth()).send({}).expect(404);
    });
  });

  it('never stores, logs or shows a client secret in clear text', async () => {
    expect(secrets.length).toBeGreaterThan(3);
    const tables = ['integrations', 'connect_links', 'activation_tokens', 'webhook_events'];
    const dump = JSON.stringify(await Promise.all(tables.map((t) => gw.ds.query(`SELECT * FROM ${t}`))));
    const logs = gw.logs().join('\n');
    const html = pages.join('\n');
    expect(pages.length).toBeGreaterThan(20);
    for (const s of secrets) {
      expect(dump).not.toContain(s);
      expect(logs).not.toContain(s);
      expect(html).not.toContain(s);
    }
    expect(logs).not.toMatch(/hgct_[1-9A-Za-z]{20}/);
    expect(logs).not.toMatch(/hgat_[1-9A-Za-z]{20}/);
  });
});
