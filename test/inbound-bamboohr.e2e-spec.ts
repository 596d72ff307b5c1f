// Change notifications end to end with the BambooHR simulator: BambooHR echoes no token
// of ours but signs each delivery with the private key it returned once, at creation.
// The gateway subscribes, keeps the key sealed, verifies each delivery over its raw
// bytes and re-reads the person within seconds; a forged, altered or replayed delivery
// is answered like a wrong token and records nothing.
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { createBamboohrConnector } from '../connectors/bamboohr/connector';
import { startBambooHrForTest, type BambooTestSandbox } from '../connectors/bamboohr/sandbox/testing';
import type { HrisConnector } from '../connectors/connector';
import { loadConfig } from '../src/config/config';
import { InboundSubscriptions } from '../src/inbound/subscriptions.service';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { startTestGateway, type TestGateway } from './support/gateway';
import { fastSyncEnv, waitFor, waitForRun } from './support/sync';

describe('inbound change notifications with the BambooHR simulator (signed deliveries)', () => {
  let gw: TestGateway;
  let sb: BambooTestSandbox;
  let subs: InboundSubscriptions;
  let id: string;
  const auth = () => ({ Authorization: `Bearer ${gw.apiKey}` });
  const inbound = () => `/inbound/${encodeURIComponent(id)}`;
  const firstName = async (remoteId: number): Promise<string | null> =>
    (await gw.ds.query(`SELECT data->>'first_name' AS n FROM hris_employees WHERE integration_id = $1 AND remote_id = $2`, [id, String(remoteId)]))[0]?.n ??
    null;
  const eventCount = async (): Promise<number> => (await gw.ds.query(`SELECT count(*)::int AS n FROM inbound_events WHERE integration_id = $1`, [id]))[0].n;
  const privateKey = (): string => String(sb.sandbox.webhooks()[0].privateKey);
  const sign = (key: string, body: string, ts: string) =>
    createHmac('sha256', key)
      .update(body + ts)
      .digest('hex');
  const deliver = (body: string, headers: Record<string, string>) =>
    request(gw.url).post(inbound()).set('Content-Type', 'application/json').set(headers).send(body);

  beforeAll(async () => {
    // The simulator's clock is the real one: the gateway refuses deliveries stamped more than five minutes off its own.
    sb = await startBambooHrForTest({ employees: 10, seed: 4, now: new Date() });
    const bamboohr = createBamboohrConnector({ client: { timeScale: 1000 } }) as HrisConnector<unknown>;
    gw = await startTestGateway({ env: fastSyncEnv(), inbound: { ...loadConfig({}).inbound, publicUrlSet: true } }, { connectors: { bamboohr } });
    subs = gw.app.get(InboundSubscriptions);
    const integration = await gw.app.get(IntegrationsService).create({
      environmentId: gw.environmentId,
      tool: 'bamboohr',
      credentials: { companyDomain: sb.company, apiKey: sb.apiKey },
      baseUrl: sb.url,
      endUserOrganizationName: 'Acme Inc.',
    });
    id = integration.id;
    const res = await request(gw.url).post('/v1/force-sync').set(auth()).set('X-Integration-Id', id).send({ type: 'FULL' }).expect(200);
    expect((await waitForRun(gw.ds, res.body.data.sync_id)).status).toBe('SUCCEEDED');
  });
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
  });

  it('subscribes at BambooHR (event-based JSON) and keeps the private key only sealed', async () => {
    expect(await subs.ensure(id)).toBe('ACTIVE');
    const hooks = sb.sandbox.webhooks();
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ url: `${gw.url}${inbound()}`, format: 'json', events: ['employee.created', 'employee.updated', 'employee.deleted'] });
    const row = (await subs.get(id))!;
    expect(row.remote_id).toBe(String(hooks[0].id));
    expect(row.secret).toEqual(expect.any(String));
    expect(row.secret).not.toContain(privateKey());
  });

  it('a change in BambooHR is delivered signed and the gateway re-reads that person within seconds', async () => {
    const person = sb.sandbox.employeeIds()[2];
    const changedAt = Date.now();
    sb.sandbox.update(person, { firstName: 'Realtime' });
    await waitFor(async () => (await firstName(person)) === 'Realtime', 10_000, 'the re-read of the changed person');
    expect(Date.now() - changedAt).toBeLessThan(10_000);
    expect(sb.sandbox.deliveries().map((d) => [d.type, d.status])).toEqual([['employee.updated', 200]]);
    const runs: { status: string }[] = await gw.ds.query(`SELECT status FROM sync_runs WHERE integration_id = $1 AND trigger = 'WEBHOOK'`, [id]);
    expect(runs.length).toBeGreaterThan(0);
  });

  it('a hire and a deletion are delivered and re-read too', async () => {
    const hired = sb.sandbox.hire({ firstName: 'Nova', lastName: 'Hire' });
    await waitFor(async () => (await firstName(hired.id)) === 'Nova', 10_000, 'the hire');
    const gone = sb.sandbox.employeeIds()[4];
    sb.sandbox.remove(gone);
    await waitFor(
      async () =>
        (await gw.ds.query(`SELECT 1 FROM hris_employees WHERE integration_id = $1 AND remote_id = $2 AND remote_deleted_at IS NOT NULL`, [id, String(gone)]))
          .length > 0,
      10_000,
      'the deletion',
    );
  });

  it('a forged, altered or replayed delivery is refused like a wrong token and records nothing', async () => {
    const before = await eventCount();
    const person = String(sb.sandbox.employeeIds()[1]);
    const ts = String(Math.floor(Date.now() / 1000));
    const body = JSON.stringify({
      type: 'employee.updated',
      timestamp: new Date().toISOString().slice(0, 19) + '+0000',
      data: { companyId: '12345', employeeId: person, changedFields: ['firstName'] },
    });
    const unknown = await request(gw.url).post('/inbound/no-such-integration').set('Content-Type', 'application/json').send(body);
    expect(unknown.status).toBe(404);
    const refusals = [
      await deliver(body, { 'X-BambooHR-Timestamp': ts, 'X-BambooHR-Signature': sign('f'.repeat(48), body, ts) }), // another key
      await deliver(body.replace(person, '1'), { 'X-BambooHR-Timestamp': ts, 'X-BambooHR-Signature': sign(privateKey(), body, ts) }), // altered
      await deliver(body, { 'X-BambooHR-Timestamp': String(Number(ts) - 600), 'X-BambooHR-Signature': sign(privateKey(), body, String(Number(ts) - 600)) }), // replayed later
      await deliver(body, { Authorization: privateKey() }), // unsigned
    ];
    for (const r of refusals) expect([r.status, r.body]).toEqual([404, unknown.body]);
    expect(await eventCount()).toBe(before);
    // The same delivery signed with the key is accepted: the refusals above are the signature's doing.
    const ok = await deliver(body, { 'X-BambooHR-Timestamp': ts, 'X-BambooHR-Signature': sign(privateKey(), body, ts) });
    expect(ok.status).toBe(200);
    expect(ok.body.data).toEqual({ events: 1, recorded: 1 });
  });

  it('a webhook left at its URL by a create whose answer was lost is deleted when the gateway subscribes again; others stay', async () => {
    const api = `${sb.url}/api/gateway.php/${sb.company}/v1/webhooks`;
    const headers = { Authorization: `Basic ${Buffer.from(`${sb.apiKey}:x`).toString('base64')}`, Accept: 'application/json' };
    const create = async (url: string) => {
      const res = await fetch(api, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'lost', url, format: 'json', events: ['employee.created'], includeCompanyDomain: false }),
      });
      expect(res.status).toBe(201);
      return String(((await res.json()) as { id: unknown }).id);
    };
    const url = `${gw.url}${inbound()}`;
    const stray = await create(url);
    const other = await create('https://lms.example/hooks/bamboohr');
    expect(await subs.ensure(id)).toBe('ACTIVE');
    const ours = sb.sandbox.webhooks().filter((w) => w.url === url);
    expect(ours.map((w) => String(w.id))).toEqual([(await subs.get(id))!.remote_id]);
    expect(String(ours[0].id)).not.toBe(stray);
    expect(sb.sandbox.webhooks().map((w) => String(w.id))).toContain(other);
    expect(gw.logs().some((l) => l.includes('lost track of') && l.includes(stray))).toBe(true);
    expect((await fetch(`${api}/${other}`, { method: 'DELETE', headers })).status).toBeLessThan(300);
  });

  it('disable deletes the webhook at BambooHR and refuses its deliveries; no log line carries the private key', async () => {
    const key = privateKey();
    await request(gw.url)
      .put(`/v1/integrations/${encodeURIComponent(id)}/enabled`)
      .set(auth())
      .send({ value: false })
      .expect(200);
    expect(sb.sandbox.webhooks()).toEqual([]);
    const ts = String(Math.floor(Date.now() / 1000));
    const body = JSON.stringify({ type: 'employee.deleted', timestamp: '', data: { companyId: '12345', employeeId: '101' } });
    expect((await deliver(body, { 'X-BambooHR-Timestamp': ts, 'X-BambooHR-Signature': sign(key, body, ts) })).status).toBe(404);
    expect(gw.logs().join('\n')).not.toContain(key);
  });
});
