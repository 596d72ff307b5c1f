// Helpers for the dashboard tests: sign in over HTTP as a browser would (login cookie +
// form), read CSRF tokens from pages, post forms, and set up real data from the simulator.
import request from 'supertest';
import type { PersonioSandbox } from '../../connectors/personio/sandbox';
import { createIntegrationWithFirstSync } from '../../src/integrations/first-sync';
import type { TestGateway } from '../support/gateway';
import { waitForRun } from '../support/sync';

export function cookieOf(setCookie: string[] | string | undefined, name: string): string | null {
  for (const c of ([] as string[]).concat(setCookie ?? [])) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(c);
    if (m) return decodeURIComponent(m[1]);
  }
  return null;
}

export function csrfOf(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF field on the page');
  return m[1];
}

/** Signs in with an API key or admin password; returns the Cookie header of the session, plus the raw responses. */
export async function signIn(baseUrl: string, secret: string): Promise<{ cookie: string; setCookie: string[] }> {
  const form = await request(baseUrl).get('/dashboard/sign-in').expect(200);
  const login = cookieOf(form.headers['set-cookie'], 'hgw_dashboard_login');
  const res = await request(baseUrl)
    .post('/dashboard/sign-in')
    .set('Cookie', `hgw_dashboard_login=${login}`)
    .type('form')
    .send({ csrf: csrfOf(form.text), secret });
  if (res.status !== 303) throw new Error(`sign-in failed with ${res.status}`);
  const session = cookieOf(res.headers['set-cookie'], 'hgw_dashboard');
  return { cookie: `hgw_dashboard=${session}`, setCookie: ([] as string[]).concat(res.headers['set-cookie'] ?? []) };
}

/** GET a page with the session; returns the response (not following redirects). */
export const getPage = (baseUrl: string, cookie: string, path: string) => request(baseUrl).get(path).set('Cookie', cookie);

/** POSTs a form the way the page would, with the page's CSRF token unless `csrf` overrides it. */
export async function postForm(baseUrl: string, cookie: string, path: string, fields: Record<string, string>, opts: { csrf?: string; origin?: string } = {}) {
  const csrf = opts.csrf ?? csrfOf((await getPage(baseUrl, cookie, '/dashboard/integrations').expect(200)).text);
  const req = request(baseUrl).post(path).set('Cookie', cookie).type('form');
  if (opts.origin) req.set('Origin', opts.origin);
  return req.send({ csrf, ...fields });
}

/** An integration against the simulator, with its first full sync done. */
export async function syncedIntegration(gw: TestGateway, sb: PersonioSandbox, organization: string, environment = gw.environmentId) {
  const cred = sb.addCredential();
  const { integration, syncId } = await createIntegrationWithFirstSync(gw.ds, gw.config, {
    environment,
    tool: 'personio',
    organization,
    email: `hr@${organization.toLowerCase().replace(/\W+/g, '')}.example`,
    baseUrl: sb.url,
    credentials: { clientId: cred.clientId, clientSecret: cred.clientSecret },
  });
  const run = await waitForRun(gw.ds, syncId);
  if (run.status !== 'SUCCEEDED') throw new Error(`first sync ${run.status}: ${run.error}`);
  return { id: integration.id, credential: cred };
}
