import request from 'supertest';
import { startPersonioSandbox, type PersonioSandbox } from '../connectors/personio/sandbox';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { startTestGateway, TestGateway } from './support/gateway';
import { fastSyncEnv, fastConnectors, waitFor } from './support/sync';
import { startWebhookReceiver, WebhookReceiver } from './support/webhook-receiver';
import { cookieOf, csrfOf, getPage, postForm, signIn, syncedIntegration } from './browser/dashboard-support';

const ADMIN_PASSWORD = 'correct-horse-battery-staple';

/** A posted form's response, after checking its status. */
async function posted(status: number, res: Promise<request.Response>): Promise<request.Response> {
  const r = await res;
  expect({ status: r.status, location: r.headers.location }).toMatchObject({ status });
  return r;
}

/** The operator dashboard over HTTP: sessions, CSRF, environment scoping, secrets, and every action's effect. */
describe('operator dashboard', () => {
  let gw: TestGateway;
  let sb: PersonioSandbox;
  let hook: WebhookReceiver;
  let integrationId: string;
  let clientSecret: string;
  let webhookSecret: string;
  let cookie: string;
  let failing = true;

  beforeAll(async () => {
    sb = await startPersonioSandbox({ employees: 40, seed: 5, timeScale: 60 });
    hook = await startWebhookReceiver(() => (failing ? 500 : 200));
    gw = await startTestGateway(
      {
        env: { ...fastSyncEnv(), WEBHOOK_POLL_MS: '50', WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_RETRY_MAX_DELAY_MS: '50', WEBHOOK_RETRY_WINDOW_MS: '150' },
        dashboardAdminPassword: ADMIN_PASSWORD,
      },
      { connectors: fastConnectors() },
    );
    const ep = await request(gw.url).post('/v1/webhooks/endpoints').set('Authorization', `Bearer ${gw.apiKey}`).send({ url: hook.url }).expect(201);
    webhookSecret = ep.body.data.secret;
    const synced = await syncedIntegration(gw, sb, 'ACME Learning GmbH');
    integrationId = synced.id;
    clientSecret = synced.credential.clientSecret;
    cookie = (await signIn(gw.url, gw.apiKey)).cookie;
  });
  afterAll(async () => {
    await gw?.close();
    await hook?.close();
    await sb?.close();
  });

  it('sends a visitor without a session to the sign-in page, for pages and for actions', async () => {
    for (const path of ['/dashboard', '/dashboard/integrations', `/dashboard/integrations/${integrationId}`, '/dashboard/webhooks', '/dashboard/connect']) {
      const res = await request(gw.url).get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 303 });
    }
    expect((await request(gw.url).get('/dashboard/webhooks')).headers.location).toBe('/dashboard/sign-in');
    const post = await request(gw.url).post(`/dashboard/integrations/${integrationId}/enabled`).type('form').send({ value: 'false' });
    expect([post.status, post.headers.location]).toEqual([303, '/dashboard/sign-in']);
    expect((await gw.ds.query(`SELECT status FROM integrations WHERE id = $1`, [integrationId]))[0].status).toBe('ACTIVE');
    // A cookie that is not a session is no session.
    expect((await getPage(gw.url, 'hgw_dashboard=hgds_forged', '/dashboard/integrations')).status).toBe(303);
  });

  it('signs in with an API key into an HttpOnly, SameSite=Strict session cookie; a wrong key or a forged form is refused', async () => {
    const { setCookie } = await signIn(gw.url, gw.apiKey);
    const session = setCookie.find((c) => c.startsWith('hgw_dashboard='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(session).toMatch(/Path=\/dashboard/);
    expect(session).not.toContain(gw.apiKey);

    const form = await request(gw.url).get('/dashboard/sign-in').expect(200);
    const login = cookieOf(form.headers['set-cookie'], 'hgw_dashboard_login');
    const wrong = await request(gw.url)
      .post('/dashboard/sign-in')
      .set('Cookie', `hgw_dashboard_login=${login}`)
      .type('form')
      .send({ csrf: csrfOf(form.text), secret: 'hgw_' + 'x'.repeat(40) });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('not a valid API key');
    expect(cookieOf(wrong.headers['set-cookie'], 'hgw_dashboard')).toBeNull();
    // Without the login cookie (a cross-site form), even the right key does not sign in.
    const forged = await request(gw.url)
      .post('/dashboard/sign-in')
      .type('form')
      .send({ csrf: csrfOf(form.text), secret: gw.apiKey });
    expect(forged.status).toBe(403);
    expect(cookieOf(forged.headers['set-cookie'], 'hgw_dashboard')).toBeNull();
  });

  it('lists the integrations with state, last sync, employee count and next sync, under a strict CSP without inline script', async () => {
    const res = await getPage(gw.url, cookie, '/dashboard/integrations').expect(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.text).not.toMatch(/\son[a-z]+="/); // no inline handlers either
    const row = res.text.slice(res.text.indexOf(`data-integration-id="${integrationId}"`));
    expect(row).toContain('ACME Learning GmbH');
    expect(row).toContain('ACTIVE');
    expect(row).toMatch(new RegExp(`class="num employees">${sb.employeeIds().length}<`));
    expect(row).toMatch(/class="next-sync">\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(row).toMatch(/class="last-sync">\d{4}-\d{2}-\d{2}/);
  });

  it('pages the integrations, 100 at a time, newest first, without skipping ones created in the same instant; a forged page link is refused', async () => {
    // 205 more integrations from one statement: they share created_at to the microsecond (paused, so nothing syncs them).
    const extra = Array.from({ length: 205 }, (_, n) => `personio:PageTest${String(n).padStart(3, '0')}xxxxxxxxx`);
    await gw.ds.query(
      `INSERT INTO integrations (id, environment_id, tool, status, end_user_organization_name, credentials)
       SELECT id, $1, 'personio', 'INACTIVE', 'Paged Customer', '' FROM unnest($2::text[]) AS id`,
      [gw.environmentId, extra],
    );
    try {
      const pages: string[][] = [];
      let path: string | null = '/dashboard/integrations';
      while (path) {
        const text: string = (await getPage(gw.url, cookie, path).expect(200)).text;
        pages.push([...text.matchAll(/data-integration-id="([^"]+)"/g)].map((m) => m[1]));
        path = /href="([^"]+)" id="more-integrations"/.exec(text)?.[1] ?? null;
      }
      expect(pages.map((p) => p.length)).toEqual([100, 100, 6]);
      const seen = pages.flat();
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual([...extra, integrationId].sort());
      // Newest first: the 205 came after the synced one.
      expect(seen[seen.length - 1]).toBe(integrationId);
      const forged = await getPage(gw.url, cookie, '/dashboard/integrations?after=eyJ4IjoxfQ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').expect(400);
      expect(forged.text).toContain('Bad link');
    } finally {
      await gw.ds.query(`DELETE FROM integrations WHERE id = ANY($1)`, [extra]);
    }
  });

  it('refuses a POST without the session’s CSRF token or from another origin, and does nothing', async () => {
    const before = await gw.ds.query(`SELECT count(*)::int AS n FROM sync_runs WHERE integration_id = $1`, [integrationId]);
    const noToken = await postForm(gw.url, cookie, `/dashboard/integrations/${integrationId}/sync`, { type: 'FULL' }, { csrf: '' });
    expect(noToken.status).toBe(403);
    const other = await signIn(gw.url, gw.apiKey); // another session's token does not fit this one
    const otherToken = csrfOf((await getPage(gw.url, other.cookie, '/dashboard/integrations')).text);
    expect((await postForm(gw.url, cookie, `/dashboard/integrations/${integrationId}/sync`, { type: 'FULL' }, { csrf: otherToken })).status).toBe(403);
    expect((await postForm(gw.url, cookie, `/dashboard/integrations/${integrationId}/sync`, { type: 'FULL' }, { origin: 'https://evil.example' })).status).toBe(
      403,
    );
    expect(await gw.ds.query(`SELECT count(*)::int AS n FROM sync_runs WHERE integration_id = $1`, [integrationId])).toEqual(before);
  });

  it('"Sync now" queues a manual run that shows up in the runs tab with its counts', async () => {
    const res = await postForm(gw.url, cookie, `/dashboard/integrations/${integrationId}/sync`, {
      type: 'FULL',
      back: `/dashboard/integrations/${integrationId}`,
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/dashboard/integrations/${integrationId}?ok=sync-queued`);
    const run = await waitFor(
      async () => (await gw.ds.query(`SELECT * FROM sync_runs WHERE integration_id = $1 AND trigger = 'MANUAL' AND status = 'SUCCEEDED'`, [integrationId]))[0],
      20_000,
      'manual run',
    );
    const page = await getPage(gw.url, cookie, res.headers.location).expect(200);
    expect(page.text).toContain('Sync queued');
    const row = page.text.slice(page.text.indexOf(`data-run-id="${run.id}"`));
    expect(row).toContain('manual (dashboard)');
    expect(row).toMatch(new RegExp(`<td class="num">0</td><td class="num">0</td><td class="num">0</td><td class="num">${run.unchanged}</td>`));
    expect(page.text).toContain('<svg id="run-chart"');
    expect(page.text).toContain('first sync');
  });

  it('disables and enables an integration; a disabled one is paused', async () => {
    await posted(303, postForm(gw.url, cookie, `/dashboard/integrations/${integrationId}/enabled`, { value: 'false' }));
    expect((await gw.ds.query(`SELECT status FROM integrations WHERE id = $1`, [integrationId]))[0].status).toBe('INACTIVE');
    const row = (await getPage(gw.url, cookie, '/dashboard/integrations')).text;
    expect(row).toContain('INACTIVE');
    expect(row).toContain('paused');
    await posted(303, postForm(gw.url, cookie, `/dashboard/integrations/${integrationId}/enabled`, { value: 'true' }));
    expect((await gw.ds.query(`SELECT status FROM integrations WHERE id = $1`, [integrationId]))[0].status).toBe('ACTIVE');
  });

  it('creates a relink link and a connect link that open the hosted connect page; a bad email is named', async () => {
    const relink = await posted(200, postForm(gw.url, cookie, `/dashboard/integrations/${integrationId}/relink`, {}));
    const link = /value="([^"]+)" id="created-link"/.exec(relink.text)?.[1];
    expect(link).toMatch(new RegExp(`^${gw.url}/connect/hgct_`));
    expect((await request(link!).get('')).status).toBe(200);
    const [stored] = await gw.ds.query(`SELECT link_type, relink_integration_id FROM connect_links ORDER BY created_at DESC LIMIT 1`);
    expect(stored).toEqual({ link_type: 'MAGIC_LINK', relink_integration_id: integrationId });

    const bad = await postForm(gw.url, cookie, '/dashboard/connect', { end_user_organization_name: 'Beta AG', end_user_email: 'not-an-email' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('end_user_email must be an email address');
    expect(bad.text).toContain('value="Beta AG"'); // the form keeps what was typed
    const good = await posted(
      200,
      postForm(gw.url, cookie, '/dashboard/connect', {
        end_user_organization_name: 'Beta AG',
        end_user_email: 'hr@beta.example',
        link_type: 'MAGIC_LINK',
        language: 'de',
        expires_in_minutes: '120',
        enable_filtering: 'true',
      }),
    );
    expect(good.text).toMatch(/value="http:\/\/127\.0\.0\.1:\d+\/connect\/hgct_\w+" id="created-link"/);
    const [created] = await gw.ds.query(
      `SELECT link_type, language, enable_filtering, end_user_organization_name, expires_at - created_at AS ttl FROM connect_links ORDER BY created_at DESC LIMIT 1`,
    );
    expect(created).toMatchObject({ link_type: 'MAGIC_LINK', language: 'de', enable_filtering: true, end_user_organization_name: 'Beta AG' });
  });

  it('shows webhook deliveries with attempts and last response, and redelivers the failed ones since a time', async () => {
    // The first sync's events were answered 500 until their (short) retry window closed.
    await waitFor(async () => (await gw.ds.query(`SELECT 1 FROM webhook_deliveries WHERE status = 'failed'`)).length > 0, 20_000, 'failed deliveries');
    await waitFor(async () => (await gw.ds.query(`SELECT 1 FROM webhook_deliveries WHERE status = 'pending'`)).length === 0, 20_000, 'no pending deliveries');
    const failedPage = await getPage(gw.url, cookie, '/dashboard/webhooks?status=failed').expect(200);
    expect(failedPage.text).toContain('data-status="failed"');
    expect(failedPage.text).toContain('HTTP 500');
    expect(failedPage.text).toContain(hook.url);
    const [{ n: failed }] = await gw.ds.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'failed'`);

    failing = false;
    const since = new Date(Date.now() - 3600_000).toISOString().slice(0, 16);
    const res = await posted(303, postForm(gw.url, cookie, '/dashboard/webhooks/redeliver-failed', { since }));
    expect(res.headers.location).toBe(`/dashboard/webhooks?ok=redelivered-failed&n=${failed}`);
    await waitFor(async () => (await gw.ds.query(`SELECT 1 FROM webhook_deliveries WHERE status <> 'succeeded'`)).length === 0, 20_000, 'redelivered');
    const after = await getPage(gw.url, cookie, res.headers.location).expect(200);
    expect(after.text).toContain(`${failed} failed deliveries queued again`);
    expect(after.text).not.toContain('data-status="failed"');

    const [ev] = await gw.ds.query(`SELECT id FROM webhook_events ORDER BY created_at LIMIT 1`);
    const received = hook.received.length;
    await posted(303, postForm(gw.url, cookie, `/dashboard/webhooks/events/${ev.id}/redeliver`, {}));
    await hook.waitFor((all) => all.length > received && all.slice(received).some((h) => h.json.id === ev.id));
  });

  it('never renders a secret: API key, client secret, webhook secret or session id', async () => {
    const pages = [
      '/dashboard/integrations',
      `/dashboard/integrations/${integrationId}`,
      '/dashboard/webhooks',
      '/dashboard/connect',
      `/dashboard/integrations/${integrationId}/delete`,
    ];
    for (const p of pages) {
      const html = (await getPage(gw.url, cookie, p).expect(200)).text;
      for (const secret of [gw.apiKey, clientSecret, webhookSecret, cookie.split('=')[1]])
        expect({ p, leaked: html.includes(secret) }).toEqual({ p, leaked: false });
    }
    const logs = gw.logs().join('\n');
    expect(logs).not.toContain(gw.apiKey);
    expect(logs).not.toContain(cookie.split('=')[1]);
  });

  it('keeps an API-key session inside its environment; the admin sees every environment and can switch', async () => {
    const keys = gw.app.get(ApiKeysService);
    const other = await keys.createEnvironment('staging');
    const otherKey = (await keys.createKey('staging')).key;
    const theirs = await syncedIntegration(gw, sb, 'Staging Customer', other.id);
    const scoped = (await signIn(gw.url, otherKey)).cookie;
    const list = (await getPage(gw.url, scoped, '/dashboard/integrations').expect(200)).text;
    expect(list).toContain('Staging Customer');
    expect(list).not.toContain(integrationId);
    expect(list).not.toContain('environment_id'); // no switcher for key sessions
    expect((await getPage(gw.url, scoped, `/dashboard/integrations/${integrationId}`)).status).toBe(404);
    expect((await postForm(gw.url, scoped, `/dashboard/integrations/${integrationId}/enabled`, { value: 'false' })).status).toBe(404);
    expect((await gw.ds.query(`SELECT status FROM integrations WHERE id = $1`, [integrationId]))[0].status).toBe('ACTIVE');
    expect((await postForm(gw.url, scoped, `/dashboard/integrations/${integrationId}/settings`, { employment_statuses: 'ACTIVE' })).status).toBe(404);
    expect((await gw.ds.query(`SELECT filters FROM integrations WHERE id = $1`, [integrationId]))[0].filters).toEqual({});
    expect((await postForm(gw.url, scoped, '/dashboard/environment', { environment_id: gw.environmentId })).headers.location).toContain('error=environment');
    expect((await getPage(gw.url, scoped, '/dashboard/integrations')).text).not.toContain(integrationId);

    const admin = (await signIn(gw.url, ADMIN_PASSWORD)).cookie;
    const adminPage = (await getPage(gw.url, admin, '/dashboard/integrations').expect(200)).text;
    expect(adminPage).toContain('name="environment_id"');
    expect(adminPage).toContain('>staging</option>');
    await posted(303, postForm(gw.url, admin, '/dashboard/environment', { environment_id: other.id }));
    expect((await getPage(gw.url, admin, '/dashboard/integrations')).text).toContain(theirs.id);

    // Revoking the key ends its dashboard sessions.
    await keys.revokeKey((await keys.listKeys('staging'))[0].id);
    expect((await getPage(gw.url, scoped, '/dashboard/integrations')).status).toBe(303);
  });

  it('deletes an integration only after confirmation', async () => {
    const doomed = await syncedIntegration(gw, sb, 'Doomed GmbH');
    const confirm = await getPage(gw.url, cookie, `/dashboard/integrations/${doomed.id}/delete`).expect(200);
    expect(confirm.text).toContain('cannot be undone');
    await posted(303, postForm(gw.url, cookie, `/dashboard/integrations/${doomed.id}/delete`, {})); // no confirm field: back to the question
    expect(await gw.ds.query(`SELECT id FROM integrations WHERE id = $1`, [doomed.id])).toHaveLength(1);
    const res = await posted(303, postForm(gw.url, cookie, `/dashboard/integrations/${doomed.id}/delete`, { confirm: 'yes' }));
    expect(res.headers.location).toBe('/dashboard/integrations?ok=deleted');
    expect(await gw.ds.query(`SELECT id FROM integrations WHERE id = $1`, [doomed.id])).toHaveLength(0);
  });

  it('signing out ends the session on the server, not just in the browser', async () => {
    const s = await signIn(gw.url, gw.apiKey);
    const res = await posted(303, postForm(gw.url, s.cookie, '/dashboard/sign-out', {}));
    expect(res.headers.location).toBe('/dashboard/sign-in');
    expect((await getPage(gw.url, s.cookie, '/dashboard/integrations')).status).toBe(303);
  });
});
