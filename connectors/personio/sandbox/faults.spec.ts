import { request } from 'node:http';
import { PersonioSandbox, startPersonioSandbox } from './index';
import { get, token } from './testing';

const NOW = new Date('2026-03-02T09:30:00Z');
let sb: PersonioSandbox;
let t: string;

beforeEach(async () => {
  sb = await startPersonioSandbox({ employees: 60, now: NOW, rateLimits: false });
  t = await token(sb);
});
afterEach(() => sb.close());

const ids = (r: { json: any }) => r.json.data.map((e: any) => e.attributes.id.value as number); // eslint-disable-line @typescript-eslint/no-explicit-any

describe('whitelist and scopes', () => {
  it('silently leaves out attributes the credential may not read, also in /attributes and supervisor', async () => {
    const c = sb.addCredential({ attributes: ['first_name', 'supervisor', 'dynamic_990105'] });
    const ct = await token(sb, c);
    const r = await get(sb, '/v1/company/employees?limit=50', ct);
    const withSup = r.json.data.find((e: any) => e.attributes.supervisor.value); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(Object.keys(withSup.attributes)).toEqual(['id', 'first_name', 'supervisor', 'dynamic_990105']);
    expect(Object.keys(withSup.attributes.supervisor.value.attributes)).toEqual(['id', 'first_name']);
    const attrs = await get(sb, '/v1/company/employees/attributes', ct);
    expect(attrs.json.data.map((a: any) => a.key)).toEqual(['first_name', 'supervisor', 'dynamic_990105']); // eslint-disable-line @typescript-eslint/no-explicit-any
    const projected = await get(sb, '/v1/company/employees?attributes[]=email&attributes[]=first_name', ct);
    expect(Object.keys(projected.json.data[0].attributes)).toEqual(['id', 'first_name']);
    sb.setWhitelist(c.clientId, 'all');
    expect(Object.keys((await get(sb, '/v1/company/employees?limit=1', ct)).json.data[0].attributes).length).toBeGreaterThan(40);
    expect(sb.employeeRaw(sb.employeeIds()[0], c.clientId)).toMatchObject({ type: 'Employee' });
  });

  it('answers 403 when a scope is missing', async () => {
    const c = sb.addCredential({ scopes: ['employees:read'] });
    const ct = await token(sb, c);
    const upload = await fetch(`${sb.url}/v1/company/documents`, { method: 'POST', headers: { authorization: `Bearer ${ct}` }, body: new FormData() });
    expect(upload.status).toBe(403);
    expect(await upload.json()).toMatchObject({ success: false, error: { code: 403 } });
    expect((await get(sb, '/v1/company/document-categories', ct)).status).toBe(403);
    sb.setWhitelist(c.clientId, 'all', []);
    expect((await get(sb, '/v1/company/employees', ct)).status).toBe(403);
  });
});

describe('faults', () => {
  it('serverErrorRate answers 500/502/503, some as HTML like a load balancer', async () => {
    sb.setFaults({ serverErrorRate: 1 });
    const rs = await Promise.all(Array.from({ length: 30 }, () => get(sb, '/v1/company/employees?limit=1', t)));
    expect(new Set(rs.map((r) => r.status))).toEqual(new Set([500, 502, 503]));
    expect(rs.find((r) => r.status === 502)!.headers.get('content-type')).toBe('text/html');
    sb.resetFaults();
    expect((await get(sb, '/v1/company/employees?limit=1', t)).status).toBe(200);
  });

  it('latencyMs delays every v1 response', async () => {
    sb.setFaults({ latencyMs: 150 });
    const t0 = Date.now();
    await get(sb, '/v1/company/employees?limit=1', t);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('resetRate destroys the socket without a response', async () => {
    sb.setFaults({ resetRate: 1 });
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const req = request(`${sb.url}/v1/company/employees`, { headers: { authorization: `Bearer ${t}` } }, () => resolve(new Error('got a response')));
      req.on('error', resolve);
      req.end();
    });
    expect(err.code).toBe('ECONNRESET');
    expect(sb.requestLog().at(-1)).toMatchObject({ status: 0, path: '/v1/company/employees' });
  });

  it('truncatedJsonRate answers 200 with a cut-off body', async () => {
    sb.setFaults({ truncatedJsonRate: 1 });
    const r = await get(sb, '/v1/company/employees?limit=5', t);
    expect(r.status).toBe(200);
    expect(r.json).toBeUndefined();
    expect(r.text.startsWith('{"success":true')).toBe(true);
  });

  it('rateLimitBurst answers 429 to the next N data calls', async () => {
    sb.setFaults({ rateLimitBurst: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(sb, '/v1/company/employees?limit=1', t)).status);
    expect(statuses).toEqual([429, 429, 200]);
  });

  it('revokeTokensAfterRequests invalidates every token after N more calls; a new token works', async () => {
    const other = await token(sb);
    sb.setFaults({ revokeTokensAfterRequests: 2 });
    expect((await get(sb, '/v1/company/employees?limit=1', t)).status).toBe(200);
    expect((await get(sb, '/v1/company/employees?limit=1', other)).status).toBe(200);
    expect((await get(sb, '/v1/company/employees?limit=1', t)).status).toBe(401);
    expect((await get(sb, '/v1/company/employees?limit=1', other)).status).toBe(401);
    expect((await get(sb, '/v1/company/employees?limit=1', await token(sb))).status).toBe(200);
  });

  it('shiftRecordsBetweenPages=delete makes a plain offset walk miss one record', async () => {
    const before = sb.employeeIds();
    const p1 = await get(sb, '/v1/company/employees?limit=20&offset=0', t);
    sb.setFaults({ shiftRecordsBetweenPages: 'delete' });
    const p2 = await get(sb, '/v1/company/employees?limit=20&offset=20', t);
    const seen = [...ids(p1), ...ids(p2)];
    expect(sb.employeeIds()).toHaveLength(before.length - 1);
    expect(seen).not.toContain(before[20]); // moved onto the page already read
    expect(sb.faults().shiftRecordsBetweenPages).toBeNull();
  });

  it('shiftRecordsBetweenPages=insert makes a plain offset walk see one record twice', async () => {
    const p1 = await get(sb, '/v1/company/employees?limit=20&offset=0', t);
    sb.setFaults({ shiftRecordsBetweenPages: 'insert' });
    const p2 = await get(sb, '/v1/company/employees?limit=20&offset=20', t);
    expect(ids(p2)[0]).toBe(ids(p1)[19]);
    expect(sb.employeeIds()).toHaveLength(61);
  });

  it('uploadFailureRate answers 5xx to uploads', async () => {
    sb.setFaults({ uploadFailureRate: 1 });
    const form = new FormData();
    form.set('title', 'x');
    const r = await fetch(`${sb.url}/v1/company/documents`, { method: 'POST', headers: { authorization: `Bearer ${t}` }, body: form });
    expect([500, 503]).toContain(r.status);
    expect(sb.uploadedDocuments()).toEqual([]);
  });

  it('rejects unknown fault names', () => {
    expect(() => sb.setFaults({ nope: 1 } as never)).toThrow(/unknown fault/);
  });
});
