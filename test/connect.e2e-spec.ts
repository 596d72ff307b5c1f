import request from 'supertest';
import { TEST_ATTEMPTS_PER_WINDOW } from '../src/connect/connect-flow.service';
import { useConnectWorld } from './connect.helpers';

/**
 * Connect links and the hosted connect page over real HTTP (see test/connect.helpers.ts): creating
 * links, the page, and the failures of "Test connection". Finishing and relinking are in
 * connect-finish.e2e-spec.ts. The secrets this file hands out are checked after its tests.
 */
describe('connect links and the hosted connect page', () => {
  const cw = useConnectWorld({ checkSecretsAfterAll: true });
  const { auth, credential, createLink, getPage, post, events } = cw;

  describe('POST /v1/connect/create-link', () => {
    it('returns a link under PUBLIC_URL that lives 1 hour (EMBEDDED) or 1 year (MAGIC_LINK) or as chosen', async () => {
      const embedded = await createLink();
      expect(embedded.link).toMatch(new RegExp(`^${cw.gw.url}/connect/hgct_[1-9A-HJ-NP-Za-km-z]{44}$`));
      expect(new Date(embedded.expires_at).getTime() - Date.now()).toBeGreaterThan(59 * 60_000);
      expect(new Date(embedded.expires_at).getTime() - Date.now()).toBeLessThanOrEqual(60 * 60_000);
      const magic = await createLink({ link_type: 'MAGIC_LINK' });
      expect(new Date(magic.expires_at).getTime() - Date.now()).toBeGreaterThan(364 * 86_400_000);
      const custom = await createLink({ expires_in_minutes: 15 });
      expect(Math.round((new Date(custom.expires_at).getTime() - Date.now()) / 60_000)).toBe(15);
    });

    it('stores only the hash of the link token', async () => {
      const { token } = await createLink();
      expect(JSON.stringify(await cw.gw.ds.query('SELECT * FROM connect_links'))).not.toContain(token);
    });

    it('names invalid fields, unknown tools and categories', async () => {
      const missing = await request(cw.gw.url).post('/v1/connect/create-link').set(auth()).send({ end_user_organization_name: 'X' }).expect(400);
      expect(missing.body.error).toMatchObject({ code: 'PLATFORM.INPUT_INVALID' });
      expect(missing.body.error.message).toMatch(/end_user_email/);
      const tool = await request(cw.gw.url)
        .post('/v1/connect/create-link')
        .set(auth())
        .send({ end_user_email: 'a@b.example', end_user_organization_name: 'X', integration_tool: 'hibob' })
        .expect(400);
      expect(tool.body.error.message).toMatch(/hibob.*personio/);
      const cat = await request(cw.gw.url)
        .post('/v1/connect/create-link')
        .set(auth())
        .send({ end_user_email: 'a@b.example', end_user_organization_name: 'X', integration_category: 'ATS' })
        .expect(400);
      expect(cat.body.error.message).toMatch(/ATS/);
      await request(cw.gw.url).post('/v1/connect/create-link').send({ end_user_email: 'a@b.example', end_user_organization_name: 'X' }).expect(401);
    });
  });

  describe('the hosted page', () => {
    it('explains the data and the Personio guide, with a strict CSP and no caching', async () => {
      const { path } = await createLink();
      const res = await request(cw.gw.url).get(`${path}?sdkv=1.3.0`).expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain('frame-ancestors *');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toContain('Settings › Integrations › API credentials');
      for (const label of ['First name', 'Subcompany', 'Cost center', 'Weekly hours', 'Last modified', 'Last day of work']) expect(res.text).toContain(label);
      expect(res.text).not.toMatch(/<script>|<style>|style="/);
      await request(cw.gw.url)
        .get('/connect/assets/connect.js')
        .expect(200)
        .expect('Content-Type', /javascript/);
      // The stylesheet shared with the dashboard is served under the page's own path; names off the list (even
      // Object.prototype's) are 404s.
      await request(cw.gw.url)
        .get('/connect/assets/base.css')
        .expect(200)
        .expect('Content-Type', /text\/css/);
      await request(cw.gw.url).get('/connect/assets/constructor').expect(404);
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
      const res = await request(cw.gw.url).post(`${path}/test`).type('form').send(form.toString()).expect(403);
      expect(res.text).toContain('This form has expired');
      const cross = await request(cw.gw.url).post(`${path}/test`).set('Origin', 'https://evil.example').type('form').send(form.toString()).expect(403);
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
      const log = await request(cw.gw.url)
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
  });
});
