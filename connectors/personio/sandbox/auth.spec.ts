import { startEach } from '../../sandbox-kit/start-each.spec-env';
import { PersonioSandbox, startPersonioSandbox } from './index';
import { call, get, token } from './testing';

const NOW = new Date('2026-03-02T09:30:00Z');
const start = startEach(startPersonioSandbox, { employees: 10, now: NOW });

const form = (sb: PersonioSandbox) => new URLSearchParams({ client_id: sb.defaultCredential.clientId, client_secret: sb.defaultCredential.clientSecret });

describe('POST /v1/auth', () => {
  it('accepts JSON and form bodies and issues stable papi- tokens valid 24 h', async () => {
    const sb = await start();
    const json = await call(sb, '/v1/auth', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Object.fromEntries(form(sb))),
    });
    expect(json.json).toEqual({
      success: true,
      data: { token: expect.stringMatching(/^papi-/), expires_in: 86400, scope: expect.stringContaining('employees:read') },
    });
    const viaForm = await call(sb, '/v1/auth', { method: 'POST', body: form(sb) });
    expect(viaForm.status).toBe(200);
    const t = json.json.data.token as string;
    for (let i = 0; i < 3; i++) {
      const r = await get(sb, '/v1/company/employees?limit=1', t);
      expect(r.status).toBe(200);
      expect(r.headers.get('authorization')).toBe(`Bearer ${t}`);
    }
    sb.advanceClock(86_400_000);
    expect((await get(sb, '/v1/company/employees?limit=1', t)).json).toEqual({
      success: false,
      error: { code: 401, message: 'Provided authorization is not valid' },
    });
  });

  it('answers 403 to query-string credentials unless the 2026-12 switch is off', async () => {
    const sb = await start();
    expect((await call(sb, `/v1/auth?${form(sb)}`, { method: 'POST' })).status).toBe(403);
    const old = await start({ rejectQueryCredentials: false });
    expect((await call(old, `/v1/auth?${form(old)}`, { method: 'POST' })).status).toBe(200);
  });

  it('rejects wrong secrets, missing and unknown tokens', async () => {
    const sb = await start();
    const bad = await call(sb, '/v1/auth', { method: 'POST', body: new URLSearchParams({ client_id: sb.defaultCredential.clientId, client_secret: 'nope' }) });
    expect(bad.status).toBe(401);
    expect((await call(sb, '/v1/company/employees')).json).toEqual({ success: false, error: { code: 401, message: 'Authorization is not provided' } });
    expect((await get(sb, '/v1/company/employees', 'papi-forged')).status).toBe(401);
    const spec = await start({ invalidTokenStatus: 403 });
    expect((await get(spec, '/v1/company/employees', 'papi-forged')).status).toBe(403);
  });

  it('legacy mode: single-use tokens rotated through the Authorization header', async () => {
    const sb = await start({ legacyRotatingTokens: true });
    const t1 = await token(sb);
    const r1 = await get(sb, '/v1/company/employees?limit=1', t1);
    const t2 = r1.headers.get('authorization')!.replace('Bearer ', '');
    expect(t2).not.toBe(t1);
    expect((await get(sb, '/v1/company/employees?limit=1', t1)).status).toBe(401);
    const r2 = await get(sb, '/v1/company/employees?limit=1', t2);
    expect(r2.status).toBe(200);
    const t3 = r2.headers.get('authorization')!.replace('Bearer ', '');
    const pictureId = sb.employeeIds().find((id) => (sb.employeeRaw(id) as any).attributes.profile_picture.value)!; // eslint-disable-line @typescript-eslint/no-explicit-any
    const pic = await get(sb, `/v1/company/employees/${pictureId}/profile-picture/32`, t3);
    expect(pic.status).toBe(200);
    expect(pic.headers.get('authorization')).toBeNull(); // pictures neither spend nor rotate
    expect((await get(sb, '/v1/company/employees?limit=1', t3)).status).toBe(200);
  });

  it('allows 60 auth calls per minute, then a 60 s cool-down', async () => {
    const sb = await start();
    const auth = () => call(sb, '/v1/auth', { method: 'POST', body: form(sb) });
    for (let i = 0; i < 60; i++) expect((await auth()).status).toBe(200);
    const limited = await auth();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeNull();
    sb.advanceClock(59_000);
    expect((await auth()).status).toBe(429); // the cool-down started at the 61st call
    sb.advanceClock(1_500);
    expect((await auth()).status).toBe(200);
  });

  it('scales the windows with timeScale', async () => {
    const sb = await start({ timeScale: 30 }); // a minute lasts 2 s
    const auth = () => call(sb, '/v1/auth', { method: 'POST', body: form(sb) });
    await Promise.all(Array.from({ length: 60 }, auth));
    expect((await auth()).status).toBe(429);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await auth()).status).toBe(200);
  });
});
