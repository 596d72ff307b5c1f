import { startEach } from '../../sandbox-kit/start-each.spec-env';
import { PersonioSandbox, startPersonioSandbox } from './index';
import { call, token, v2, v2Token } from './testing';

const NOW = new Date('2026-03-02T09:30:00Z');
const start = startEach(startPersonioSandbox, { employees: 10, now: NOW });

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const grant = (sb: PersonioSandbox, extra: Record<string, string> = {}) =>
  new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: sb.defaultCredential.clientId,
    client_secret: sb.defaultCredential.clientSecret,
    ...extra,
  }).toString();
const post = (sb: PersonioSandbox, body: string, headers: Record<string, string> = FORM) => call(sb, '/v2/auth/token', { method: 'POST', headers, body });

describe('POST /v2/auth/token', () => {
  it('issues a Bearer papi- token for a form-encoded client-credentials grant, with all scopes when none is asked', async () => {
    const sb = await start();
    const r = await post(sb, grant(sb));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      access_token: expect.stringMatching(/^papi-/),
      refresh_token: null,
      token_type: 'Bearer',
      expires_in: 86400,
      scope: expect.stringContaining('personio:webhooks:write'),
    });
    const list = await v2(sb, 'GET', '/v2/webhooks', r.json.access_token);
    expect(list.status).toBe(200);
  });

  it('answers OAuth2-style 400s: JSON body, missing parameters, other grant types, wrong secret, unknown scope', async () => {
    const sb = await start();
    const json = await post(sb, JSON.stringify(Object.fromEntries(new URLSearchParams(grant(sb)))), { 'content-type': 'application/json' });
    expect(json.status).toBe(400);
    expect(json.headers.get('content-type')).toContain('application/problem+json');
    expect(json.json).toMatchObject({
      error: 'invalid_request',
      error_description: 'The content type of the request must be "application/x-www-form-urlencoded".',
    });
    const missing = await post(sb, new URLSearchParams({ client_id: 'x' }).toString());
    expect(missing.json).toMatchObject({ error: 'invalid_request', meta: { missing_parameters: ['grant_type', 'client_secret'] } });
    expect((await post(sb, grant(sb, { grant_type: 'password' }))).json).toMatchObject({ error: 'unsupported_grant_type' });
    const wrong = await post(sb, grant(sb, { client_secret: 'nope' }));
    expect(wrong.status).toBe(400);
    expect(wrong.json).toMatchObject({ error: 'invalid_client' });
    expect(wrong.text).not.toContain('nope');
    expect((await post(sb, grant(sb, { scope: 'personio:persons:read personio:payroll:write' }))).json).toMatchObject({ error: 'invalid_scope' });
  });

  it('grants only the requested scopes: a read-only token cannot create webhooks', async () => {
    const sb = await start();
    const t = await v2Token(sb, sb.defaultCredential, 'personio:webhooks:read');
    expect((await v2(sb, 'GET', '/v2/webhooks', t)).status).toBe(200);
    const create = await v2(sb, 'POST', '/v2/webhooks', t, { url: 'https://example.com/h', description: 'd', enabled_events: ['person.created'], token: 'x' });
    expect(create.status).toBe(403);
  });

  it('rejects v1 tokens, missing and revoked tokens on v2 routes with 401', async () => {
    const sb = await start();
    expect((await v2(sb, 'GET', '/v2/webhooks', await token(sb))).status).toBe(401);
    expect((await call(sb, '/v2/webhooks')).status).toBe(401);
    const t = await v2Token(sb);
    const revoke = await call(sb, '/v2/auth/revoke', { method: 'POST', headers: FORM, body: new URLSearchParams({ token: t }).toString() });
    expect(revoke.status).toBe(200);
    expect((await v2(sb, 'GET', '/v2/webhooks', t)).status).toBe(401);
  });

  it('allows 150 token requests a minute, then one per second for 60 s (its own limit, apart from /v1/auth)', async () => {
    const sb = await start();
    for (let i = 0; i < 150; i++) expect((await post(sb, grant(sb))).status).toBe(200);
    const over = await post(sb, grant(sb));
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBeNull();
    expect((await post(sb, grant(sb))).status).toBe(429);
    expect(
      (
        await call(sb, '/v1/auth', {
          method: 'POST',
          headers: FORM,
          body: new URLSearchParams({ client_id: sb.defaultCredential.clientId, client_secret: sb.defaultCredential.clientSecret }).toString(),
        })
      ).status,
    ).toBe(200);
    sb.advanceClock(1000);
    expect((await post(sb, grant(sb))).status).toBe(200);
    expect((await post(sb, grant(sb))).status).toBe(429);
    sb.advanceClock(61_000);
    expect((await post(sb, grant(sb))).status).toBe(200);
    expect((await post(sb, grant(sb))).status).toBe(200);
  });
});
