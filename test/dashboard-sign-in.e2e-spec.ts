import request from 'supertest';
import { DashboardSessions } from '../src/dashboard/sessions';
import { clientKey } from '../src/dashboard/sign-in';
import { cookieOf, csrfOf } from './browser/dashboard-support';
import { startTestGateway, TestGateway } from './support/gateway';

const ADMIN_PASSWORD = 'correct-horse-battery-staple';
const WRONG = 'hgw_' + 'x'.repeat(40);

/**
 * Failed dashboard sign-ins are limited per client address (10 per 15 minutes) and, for the
 * admin password, across all addresses; past the limit the form answers 429 without
 * checking the secret. The gateway trusts X-Forwarded-For from loopback, which is how
 * these requests come from different addresses.
 */
describe('dashboard sign-in rate limit', () => {
  let gw: TestGateway;
  let form: { cookie: string; csrf: string };

  beforeAll(async () => {
    gw = await startTestGateway({ role: 'api', dashboardAdminPassword: ADMIN_PASSWORD });
    const page = await request(gw.url).get('/dashboard/sign-in').expect(200);
    form = { cookie: `hgw_dashboard_login=${cookieOf(page.headers['set-cookie'], 'hgw_dashboard_login')}`, csrf: csrfOf(page.text) };
  });
  afterAll(async () => {
    await gw?.close();
  });

  const signIn = (from: string, secret: string) =>
    request(gw.url).post('/dashboard/sign-in').set('Cookie', form.cookie).set('X-Forwarded-For', from).type('form').send({ csrf: form.csrf, secret });
  const session = (res: request.Response) => cookieOf(res.headers['set-cookie'], 'hgw_dashboard');

  it('refuses an address after 10 failures with 429 and a wait, without checking even the right key; other addresses still sign in', async () => {
    for (let i = 0; i < 10; i++) expect((await signIn('203.0.113.7', WRONG)).status).toBe(401);
    const sessions = gw.app.get(DashboardSessions);
    const checked = [jest.spyOn(sessions, 'signInWithApiKey'), jest.spyOn(sessions, 'signInAsAdmin')];
    const limited = await signIn('203.0.113.7', gw.apiKey);
    for (const spy of checked) expect(spy).not.toHaveBeenCalled();
    checked.forEach((spy) => spy.mockRestore());
    expect(limited.status).toBe(429);
    expect(limited.text).toMatch(/Too many sign-in attempts; try again in 15 minutes/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    expect(session(limited)).toBeNull();
    // The page is the sign-in form again, ready for a later try.
    expect(limited.text).toContain('id="sign-in-form"');
    expect((await signIn('203.0.113.7', ADMIN_PASSWORD)).status).toBe(429);

    const elsewhere = await signIn('198.51.100.20', gw.apiKey);
    expect(elsewhere.status).toBe(303);
    expect(session(elsewhere)).toMatch(/^hgds_/);
  });

  it('counts only failures: successful sign-ins in between do not use the budget', async () => {
    const from = '203.0.113.8';
    for (let i = 0; i < 9; i++) expect((await signIn(from, WRONG)).status).toBe(401);
    for (let i = 0; i < 5; i++) expect((await signIn(from, gw.apiKey)).status).toBe(303);
    expect((await signIn(from, ADMIN_PASSWORD)).status).toBe(303);
    expect((await signIn(from, WRONG)).status).toBe(401); // the 10th failure
    expect((await signIn(from, gw.apiKey)).status).toBe(429);
  });

  it('opens the address again when its window ends', async () => {
    const from = '203.0.113.9';
    for (let i = 0; i < 11; i++) await signIn(from, WRONG);
    expect((await signIn(from, gw.apiKey)).status).toBe(429);
    await gw.ds.query(`UPDATE attempt_windows SET window_end = now() - interval '1 second' WHERE key = $1`, [`dashboard-sign-in:${from}`]);
    expect((await signIn(from, gw.apiKey)).status).toBe(303);
  });

  it('limits the admin password across addresses (100 failures), while API keys still sign in', async () => {
    await gw.ds.query(`DELETE FROM attempt_windows`);
    // One failure each from 100 addresses: no address is over its own limit.
    for (let i = 0; i < 100; i++) expect((await signIn(`192.0.2.${i + 1}`, 'guess-' + i)).status).toBe(401);
    const admin = await signIn('198.51.100.30', ADMIN_PASSWORD);
    expect(admin.status).toBe(429);
    expect(admin.text).toMatch(/Too many sign-in attempts; try again in \d+ minutes/);
    expect(session(admin)).toBeNull();
    expect((await signIn('198.51.100.31', gw.apiKey)).status).toBe(303);
    await gw.ds.query(`UPDATE attempt_windows SET window_end = now() - interval '1 second' WHERE key = 'dashboard-sign-in:admin-password'`);
    expect((await signIn('198.51.100.30', ADMIN_PASSWORD)).status).toBe(303);
  });

  it('counts concurrent failures all: a burst cannot slip past the limit', async () => {
    const burst = await Promise.all(Array.from({ length: 15 }, () => signIn('203.0.113.10', WRONG)));
    expect(burst.map((r) => r.status).sort()).toEqual([...Array(10).fill(401), ...Array(5).fill(429)]);
  });

  it('believes X-Forwarded-For only from the proxies in TRUST_PROXY', async () => {
    // This gateway trusts 10.0.0.0/8 only; the test connects from loopback, so its X-Forwarded-For is ignored.
    const strict = await startTestGateway({ role: 'api', dashboardAdminPassword: ADMIN_PASSWORD, trustProxy: ['10.0.0.0/8'] });
    try {
      const page = await request(strict.url).get('/dashboard/sign-in').expect(200);
      const cookie = `hgw_dashboard_login=${cookieOf(page.headers['set-cookie'], 'hgw_dashboard_login')}`;
      const from = (xff: string) =>
        request(strict.url)
          .post('/dashboard/sign-in')
          .set('Cookie', cookie)
          .set('X-Forwarded-For', xff)
          .type('form')
          .send({ csrf: csrfOf(page.text), secret: WRONG });
      for (let i = 0; i < 10; i++) expect((await from(`203.0.113.${i + 100}`)).status).toBe(401);
      expect((await from('203.0.113.250')).status).toBe(429); // one address, the connection's, whatever the header says
    } finally {
      await strict.close();
    }
  });

  it('counts an IPv6 client by its /64, and an IPv4-mapped address as IPv4', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:bbbb::2')).toBe('2001:db8:1:2::/64');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey(undefined)).toBe('unknown');
  });
});
