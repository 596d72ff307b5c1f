import request from 'supertest';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { expectNoSecretInClear, useConnectWorld } from './connect.helpers';
import { waitFor } from './support/sync';

/** The hosted connect page (see test/connect.helpers.ts): finishing, activation tokens, filters and relinking. */
describe('connect links and the hosted connect page', () => {
  const cw = useConnectWorld();
  const { auth, credential, createLink, getPage, post, events, activationTokenOf, integrationFor, relinkPath } = cw;

  describe('the hosted page', () => {
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

      cw.sandbox.setWhitelist(c.clientId, 'all');
      // "Test again" without re-typing the secret: the sealed one from the first test is used.
      const again = await post(path, 'test', { clientId: c.clientId, clientSecret: '' }, first.text);
      expect(again.status).toBe(200);
      expect(again.text).toContain('The connection works.');
      const created = await events('integration-created');
      const done = await post(path, 'finish', {}, again.text);
      expect(done.status).toBe(200);
      const token = activationTokenOf(done.text)!;
      expect(token).toMatch(/^hgat_/);

      const exchanged = await request(cw.gw.url).get(`/v1/connect/integration-by-token/${token}`).set(auth()).expect(200);
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
      const runs: unknown[] = await cw.gw.ds.query(`SELECT 1 FROM sync_runs WHERE integration_id = $1`, [id]);
      expect(runs.length).toBeGreaterThan(0);

      const reused = await request(cw.gw.url).get(`/v1/connect/integration-by-token/${token}`).set(auth()).expect(404);
      expect(reused.body.error.code).toBe('PLATFORM.INPUT_INVALID'); // Kombo's general schema has no NOT_FOUND
      // The link is spent: a reload or a second finish shows a clear page.
      expect(await getPage(path, 410)).toContain('This link has already been used');
      expect((await post(path, 'finish', {}, again.text)).status).toBe(410);
      const raw = JSON.stringify(await cw.gw.ds.query('SELECT * FROM activation_tokens'));
      expect(raw).not.toContain(token);
    });

    it('creates one integration when "Finish" is posted twice at once', async () => {
      const c = credential();
      const { path, token } = await createLink();
      const ok = await post(path, 'test', { clientId: c.clientId, clientSecret: c.clientSecret });
      const [a, b] = await Promise.all([post(path, 'finish', {}, ok.text), post(path, 'finish', {}, ok.text)]);
      expect([a.status, b.status].sort()).toEqual([200, 410]);
      const rows: unknown[] = await cw.gw.ds.query(
        `SELECT i.id FROM integrations i JOIN connect_links l ON l.integration_id = i.id WHERE l.token_hash = encode(sha256($1::bytea), 'hex')`,
        [token],
      );
      expect(rows).toHaveLength(1);
      const [{ count }] = await cw.gw.ds.query(`SELECT count(*)::int AS count FROM integrations WHERE end_user_origin_id = 'acme-1'`);
      expect(count).toBe((await events('integration-created')).filter((e) => e.data.end_user.origin_id === 'acme-1').length);
    });

    it('refuses an activation token from another environment', async () => {
      const c = credential();
      const { path } = await createLink();
      const ok = await post(path, 'test', { clientId: c.clientId, clientSecret: c.clientSecret });
      const token = activationTokenOf((await post(path, 'finish', {}, ok.text)).text)!;
      const keys = cw.gw.app.get(ApiKeysService);
      await keys.createEnvironment('elsewhere');
      const other = (await keys.createKey('elsewhere')).key;
      await request(cw.gw.url).get(`/v1/connect/integration-by-token/${token}`).set('Authorization', `Bearer ${other}`).expect(404);
      await request(cw.gw.url).get(`/v1/connect/integration-by-token/${token}`).set(auth()).expect(200);
    });

    it('shows a clear page for an expired or unknown link', async () => {
      const { path, token } = await createLink({ language: 'de' });
      await cw.gw.ds.query(`UPDATE connect_links SET expires_at = now() - interval '1 second' WHERE token_hash = encode(sha256($1::bytea), 'hex')`, [token]);
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
      const [row] = await cw.gw.ds.query(
        `SELECT i.filters FROM integrations i JOIN connect_links l ON l.integration_id = i.id WHERE l.token_hash = encode(sha256($1::bytea), 'hex')`,
        [path.split('/').pop()],
      );
      expect(row.filters).toEqual({ group_remote_ids: [departments[0]], employment_statuses: ['ACTIVE'] });
    });

    it('relink offers the filter step with the current filters preselected, in German; the change is recorded and applied', async () => {
      const integrations = cw.gw.app.get(IntegrationsService);
      const c = credential();
      const integration = await integrationFor(c, { endUserOrganizationName: 'Filter AG', filters: { employment_statuses: ['ACTIVE'] } });
      const path = await relinkPath(integration.id, { language: 'de', link_type: 'MAGIC_LINK' });
      const ok = await post(path, 'test', { clientId: c.clientId, clientSecret: c.clientSecret });
      expect(ok.text).toContain('Welche Mitarbeitenden sollen synchronisiert werden?');
      expect(ok.text).toMatch(/name="statuses" value="ACTIVE" checked> Aktiv</);
      expect(ok.text).toMatch(/name="employment_types" value="FULL_TIME"> Vollzeit</);
      const done = await post(path, 'finish', { statuses: 'ACTIVE', employment_types: 'FULL_TIME' }, ok.text);
      expect(done.text).toContain('Zugangsdaten aktualisiert');
      const after = await integrations.find(cw.gw.environmentId, integration.id);
      expect(after.filters).toEqual({ employment_statuses: ['ACTIVE'], employment_types: ['FULL_TIME'] });
      const [change] = await cw.gw.ds.query(`SELECT actor_type, old_values, new_values FROM integration_settings_changes WHERE integration_id = $1`, [
        integration.id,
      ]);
      expect(change).toMatchObject({
        actor_type: 'CONNECT_PAGE',
        old_values: { filters: { employment_types: [] } },
        new_values: { filters: { employment_types: ['FULL_TIME'] } },
      });
      expect((await events('integration-settings-changed')).filter((e) => e.integration_id === integration.id)).toHaveLength(1);
      // Credentials only, when the LMS asks for it.
      const plainOk = await post(await relinkPath(integration.id, { enable_filtering: false }), 'test', { clientId: c.clientId, clientSecret: c.clientSecret });
      expect(plainOk.text).not.toContain('id="filters"');
    });

    it('relinks an INVALID integration: same id, new credentials, ACTIVE again, syncing resumes, change notifications subscribed', async () => {
      const integrations = cw.gw.app.get(IntegrationsService);
      const old = credential();
      const integration = await integrationFor(old, { endUserOrganizationName: 'Relink AG', endUserEmail: 'it@relink.example', endUserOriginId: 'r-1' });
      await cw.gw.ds.query(`UPDATE integrations SET status = 'INVALID', status_reason = 'credentials revoked' WHERE id = $1`, [integration.id]);
      const path = await relinkPath(integration.id, { language: 'en', link_type: 'EMBEDDED' });
      const fresh = credential();
      const page = await getPage(path);
      expect(page).toContain('Relink AG: enter new Personio API credentials');
      const ok = await post(path, 'test', { clientId: fresh.clientId, clientSecret: fresh.clientSecret }, page);
      cw.gw.config.inbound.publicUrlSet = true; // the HR system can reach this gateway: relink subscribes to change notifications
      const done = await post(path, 'finish', {}, ok.text);
      expect(done.text).toContain('Credentials updated');
      const subscribed = await waitFor(async () => {
        const [row] = await cw.gw.ds.query(`SELECT status FROM inbound_subscriptions WHERE integration_id = $1`, [integration.id]);
        return row?.status === 'ACTIVE' ? row : null;
      });
      cw.gw.config.inbound.publicUrlSet = false;
      expect(subscribed.status).toBe('ACTIVE');
      expect(cw.sandbox.webhooks().map((h) => h.url)).toContain(`${cw.gw.url}/inbound/${encodeURIComponent(integration.id)}`);
      const token = activationTokenOf(done.text)!;
      const exchanged = await request(cw.gw.url).get(`/v1/connect/integration-by-token/${token}`).set(auth()).expect(200);
      expect(exchanged.body.data.id).toBe(integration.id);
      const after = await integrations.find(cw.gw.environmentId, integration.id);
      expect(after.status).toBe('ACTIVE');
      expect(integrations.credentialsOf(after)).toEqual({ clientId: fresh.clientId, clientSecret: fresh.clientSecret });
      const changed = (await events('integration-state-changed')).filter((e) => e.integration_id === integration.id);
      expect(changed.at(-1)!.data).toMatchObject({ integration_id: integration.id, state: 'ACTIVE' });
      const runs: Array<{ trigger: string }> = await cw.gw.ds.query(`SELECT * FROM sync_runs WHERE integration_id = $1`, [integration.id]);
      expect(runs.length).toBeGreaterThan(0);
      await request(cw.gw.url).post('/v1/integrations/personio%3Anope/relink').set(auth()).send({}).expect(404);
    });
  });

  it('never stores, logs or shows a client secret in clear text', async () => {
    expect(cw.secrets.length).toBeGreaterThan(3);
    expect(cw.pages.length).toBeGreaterThan(20);
    await expectNoSecretInClear(cw);
  });
});
