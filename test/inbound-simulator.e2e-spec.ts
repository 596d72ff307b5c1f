// Change notifications end to end with the Personio simulator's v2 surface: the
// gateway subscribes, the simulator delivers (with duplicates and out of order),
// the gateway re-reads and the LMS gets the same record events as a polled sync.
// Subscription lifecycle: lost subscriptions are re-created; disable and delete remove them.
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startPersonioSandbox, type PersonioSandbox } from '../connectors/personio/sandbox';
import { v2, v2Token } from '../connectors/personio/sandbox/testing';
import { createPersonioConnector } from '../connectors/personio/connector';
import { loadConfig } from '../src/config/config';
import { CREDENTIAL_VAULT, CredentialVault } from '../src/integrations/vault';
import { SYNC_CONFIG } from '../src/sync/sync.config';
import { ConnectorRegistry } from '../src/integrations/connector-registry';
import { InboundSubscriptions } from '../src/inbound/subscriptions.service';
import { createIntegrationWithFirstSync } from '../src/integrations/first-sync';
import type { SyncRunRow } from '../src/sync/sync-runs.repository';
import { getPage, signIn } from './browser/dashboard-support';
import { startTestGateway, TestGateway } from './support/gateway';
import { changeSetEvents } from './support/sync-world';
import { ctxFor, fastSyncEnv, fastConnectors, waitFor, waitForRun } from './support/sync';

describe('inbound change notifications with the Personio simulator', () => {
  let gw: TestGateway;
  let sb: PersonioSandbox;
  let subs: InboundSubscriptions;
  let webhookId: string;
  let polledId: string;
  const auth = () => ({ Authorization: `Bearer ${gw.apiKey}` });
  const seenTokens = new Set<string>();
  const hooksNow = () => {
    const hs = sb.webhooks();
    hs.forEach((h) => seenTokens.add(String(h.token)));
    return hs;
  };

  async function connect(cred = sb.defaultCredential): Promise<string> {
    const { integration, syncId } = await createIntegrationWithFirstSync(gw.ds, gw.config, {
      environment: gw.environmentId,
      tool: 'personio',
      organization: 'ACME',
      baseUrl: sb.url,
      credentials: { clientId: cred.clientId, clientSecret: cred.clientSecret },
    });
    expect((await waitForRun(gw.ds, syncId)).status).toBe('SUCCEEDED');
    return integration.id;
  }

  const now = async (): Promise<string> => (await gw.ds.query(`SELECT clock_timestamp()::text AS t`))[0].t;
  async function recordEvents(id: string, after: string): Promise<string[]> {
    const rows: { type: string; data: { remote_id: string } }[] = await gw.ds.query(
      `SELECT type, data FROM webhook_events WHERE integration_id = $1 AND type LIKE 'hris.%' AND created_at > $2`,
      [id, after],
    );
    return [...new Set(rows.map((r) => `${r.type} ${r.data.remote_id}`))].sort();
  }
  const pendingEvents = async (id: string) =>
    (await gw.ds.query(`SELECT count(*)::int AS n FROM inbound_events WHERE integration_id = $1 AND processed_at IS NULL`, [id]))[0].n;
  const activeRuns = async (id: string) =>
    (await gw.ds.query(`SELECT count(*)::int AS n FROM sync_runs WHERE integration_id = $1 AND status IN ('QUEUED', 'RUNNING')`, [id]))[0].n;
  /** The simulator has delivered everything and the gateway has re-read it. */
  async function settled(id: string): Promise<void> {
    await sb.deliveriesIdle(20_000);
    await waitFor(async () => (await pendingEvents(id)) === 0 && (await activeRuns(id)) === 0);
  }
  async function force(id: string, type: 'DELTA' | 'FULL'): Promise<SyncRunRow> {
    const res = await request(gw.url).post('/v1/force-sync').set(auth()).set('X-Integration-Id', id).send({ type }).expect(200);
    return waitForRun(gw.ds, res.body.data.sync_id);
  }

  beforeAll(async () => {
    sb = await startPersonioSandbox({ employees: 40, seed: 9, timeScale: 60, webhooks: { dispatchLatencyMs: 0, retryTimeScale: 1000 } });
    gw = await startTestGateway({ env: fastSyncEnv(), inbound: { ...loadConfig({}).inbound, publicUrlSet: true } }, { connectors: fastConnectors() });
    subs = gw.app.get(InboundSubscriptions);
    await request(gw.url)
      .post('/v1/webhooks/endpoints')
      .set(auth())
      .send({ url: `${sb.url}/hooks`, record_events: true })
      .expect(201);
    webhookId = await connect();
    // Credentials without the webhooks permission: this integration keeps polling.
    const noHooks = sb.addCredential({ scopes: ['employees:read', 'documents:read', 'documents:write', 'personio:persons:read'] });
    polledId = await connect(noHooks);
  });
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
  });

  it('subscribes where the credentials allow it; says why not where they do not', async () => {
    expect(await subs.ensure(webhookId)).toBe('ACTIVE');
    const hooks = hooksNow();
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ url: `${gw.url}/inbound/${encodeURIComponent(webhookId)}`, status: 'ENABLED', auth_type: 'TOKEN' });
    expect(await subs.ensure(polledId)).toBe('UNAVAILABLE');
    expect((await subs.get(polledId))!.status_reason).toMatch(/Webhooks.*permission/);
    expect(hooksNow()).toHaveLength(1);
    // The token is stored sealed, never in clear.
    expect((await subs.get(webhookId))!.token).not.toContain(String(hooks[0].token));
  });

  it('the dashboard shows whether an integration gets changes in real time, and why not', async () => {
    const { cookie } = await signIn(gw.url, gw.apiKey);
    const on = await getPage(gw.url, cookie, `/dashboard/integrations/${encodeURIComponent(webhookId)}`).expect(200);
    expect(on.text).toMatch(/id="realtime">on: changes arrive within seconds/);
    const off = await getPage(gw.url, cookie, `/dashboard/integrations/${encodeURIComponent(polledId)}`).expect(200);
    expect(off.text).toMatch(/id="realtime">off; polling <span class="hint">These API credentials may not manage webhooks/);
  });

  it("create, update, terminate and delete, delivered twice and out of order, give the polled sync's record events once", async () => {
    sb.setFaults({ webhookDuplicateRate: 1, webhookOutOfOrder: true });
    const ids = sb.employeeIds();
    const from = await now();
    const hired = sb.hire({ first_name: 'Nova', last_name: 'Nowak' });
    sb.change(ids[1], { first_name: 'Renamed' });
    sb.change(ids[1], { last_name: 'Twice' });
    sb.terminate(ids[2], '2020-01-31');
    sb.remove(ids[3]);
    await settled(webhookId);
    sb.resetFaults();
    const viaWebhook = await recordEvents(webhookId, from);
    const webhookRuns: SyncRunRow[] = await gw.ds.query(`SELECT * FROM sync_runs WHERE integration_id = $1 AND trigger = 'WEBHOOK'`, [webhookId]);
    expect(webhookRuns.length).toBeGreaterThan(0);
    expect(webhookRuns.every((r) => r.status === 'SUCCEEDED')).toBe(true);

    await force(polledId, 'DELTA');
    await force(polledId, 'FULL');
    expect(viaWebhook).toEqual(await recordEvents(polledId, from));
    expect(viaWebhook).toEqual(expect.arrayContaining(changeSetEvents(hired.id, ids)));
    // Each person's change reached the LMS once, though every delivery came twice.
    const [{ n }] = await gw.ds.query(
      `SELECT count(*)::int AS n FROM webhook_events WHERE integration_id = $1 AND type = 'hris.employee.updated' AND data->>'remote_id' = $2 AND created_at > $3`,
      [webhookId, String(ids[1]), from],
    );
    expect(n).toBeLessThanOrEqual(2); // two separate changes may be two updates; never one per delivery (4)
  });

  it('a change Personio sends no event for is caught by the reconciliation delta, which runs less often while subscribed', async () => {
    const ids = sb.employeeIds();
    const from = await now();
    sb.change(ids[6], { position: 'Quiet Promotion' }); // Personio fires nothing on a job change
    await sb.deliveriesIdle(10_000);
    expect(await recordEvents(webhookId, from)).toEqual([]);
    const run = await force(webhookId, 'DELTA');
    expect(run).toMatchObject({ status: 'SUCCEEDED', type: 'DELTA' });
    expect(await recordEvents(webhookId, from)).toEqual([`hris.employee.updated ${ids[6]}`]);
    const minutes = async (id: string) =>
      (await gw.ds.query(`SELECT (extract(epoch FROM next_delta_at - now()) / 60)::float8 AS m FROM sync_schedules WHERE integration_id = $1`, [id]))[0].m;
    expect(await minutes(webhookId)).toBeGreaterThan(14); // the reconciliation interval (15 min)
    await force(polledId, 'DELTA');
    expect(await minutes(polledId)).toBeLessThan(6); // the normal delta interval (5 min)
  });

  it('a delayed delivery is re-read when it comes; a dropped one is caught by the reconciliation delta', async () => {
    const ids = sb.employeeIds();
    const from = await now();
    sb.setWebhookSettings({ dispatchLatencyMs: 800 });
    const changedAt = Date.now();
    sb.change(ids[14], { first_name: 'Late' });
    await settled(webhookId);
    expect(Date.now() - changedAt).toBeGreaterThanOrEqual(700);
    expect(await recordEvents(webhookId, from)).toEqual([`hris.employee.updated ${ids[14]}`]);

    const from2 = await now();
    sb.setWebhookSettings({ dispatchLatencyMs: 0, allowedHosts: ['nowhere.invalid'] }); // every delivery refused: dropped
    sb.change(ids[15], { first_name: 'Lost' });
    await sb.deliveriesIdle(10_000);
    expect(sb.deliveries().some((d) => d.error === 'address not allowed')).toBe(true);
    expect(await recordEvents(webhookId, from2)).toEqual([]);
    sb.setWebhookSettings({ allowedHosts: ['127.0.0.1', '::1', 'localhost'] });
    expect(await force(webhookId, 'DELTA')).toMatchObject({ status: 'SUCCEEDED', type: 'DELTA' });
    expect(await recordEvents(webhookId, from2)).toEqual([`hris.employee.updated ${ids[15]}`]);
  });

  it('the connect check says what granting the webhooks permission would add, as a warning', async () => {
    const noHooks = sb.addCredential({ scopes: ['employees:read', 'documents:read', 'documents:write'] });
    const check = await createPersonioConnector().check({ ...ctxFor(sb, noHooks) });
    expect(check.error).toBeUndefined();
    expect(check.missing).toEqual([
      expect.objectContaining({ key: 'personio:webhooks:write', optional: true, message: expect.stringMatching(/within seconds/) }),
    ]);
    const full = await createPersonioConnector().check(ctxFor(sb));
    expect(full).toEqual({ ok: true, missing: [] });
  });

  it('a subscription Personio lost is created again by the health check', async () => {
    const [hook] = hooksNow();
    const tok = await v2Token(sb);
    expect((await v2(sb, 'DELETE', `/v2/webhooks/${String(hook.id)}`, tok)).status).toBe(204);
    expect(await subs.check(webhookId)).toBe('ACTIVE');
    const [again] = hooksNow();
    expect(again.id).not.toBe(hook.id);
    const from = await now();
    sb.change(sb.employeeIds()[8], { first_name: 'AfterRecreate' });
    await settled(webhookId);
    expect(await recordEvents(webhookId, from)).toEqual([`hris.employee.updated ${sb.employeeIds()[8]}`]);
  });

  it('a webhook left at its URL by a create whose answer was lost is deleted when the gateway subscribes again, even where Personio refuses a second one at a URL', async () => {
    const url = `${gw.url}/inbound/${encodeURIComponent(webhookId)}`;
    const tok = await v2Token(sb);
    const create = async (at: string) => {
      const res = await v2(sb, 'POST', '/v2/webhooks', tok, {
        url: at,
        description: 'lost',
        status: 'ENABLED',
        auth_type: 'TOKEN',
        token: 'x'.repeat(32),
        enabled_events: ['person.updated'],
      });
      expect(res.status).toBe(201);
      return String(res.json?._data?.id ?? res.json?.id);
    };
    // The subscription the gateway knows is gone (a relink): the lost one is all Personio has at this URL.
    const [known] = hooksNow();
    expect((await v2(sb, 'DELETE', `/v2/webhooks/${String(known.id)}`, tok)).status).toBe(204);
    const stray = await create(url);
    const other = await create('https://lms.example/hooks/personio');
    sb.setWebhookSettings({ conflictOnDuplicateUrl: true });
    try {
      expect(await subs.ensure(webhookId)).toBe('ACTIVE');
    } finally {
      sb.setWebhookSettings({ conflictOnDuplicateUrl: false });
    }
    const ours = hooksNow().filter((h) => h.url === url);
    expect(ours.map((h) => String(h.id))).toEqual([(await subs.get(webhookId))!.remote_id]);
    expect(ours[0].id).not.toBe(stray);
    expect(hooksNow().map((h) => String(h.id))).toContain(other);
    expect(gw.logs().some((l) => l.includes('lost track of') && l.includes(stray))).toBe(true);
    expect((await v2(sb, 'DELETE', `/v2/webhooks/${other}`, tok)).status).toBe(204);
  });

  it('a subscription whose token no configured key opens (a lost key) is created again by the health check, with a readable token', async () => {
    const [hook] = hooksNow();
    const lostKey = new CredentialVault(randomBytes(32));
    await gw.ds.query(`UPDATE inbound_subscriptions SET token = $2 WHERE integration_id = $1`, [webhookId, lostKey.seal('token-under-a-lost-key')]);
    expect(await subs.check(webhookId)).toBe('ACTIVE');
    const [again] = hooksNow();
    expect(again.id).not.toBe(hook.id);
    expect(gw.app.get<CredentialVault>(CREDENTIAL_VAULT).open<string>((await subs.get(webhookId))!.token)).toBe(String(again.token));
    const from = await now();
    sb.change(sb.employeeIds()[9], { first_name: 'AfterLostKey' });
    await settled(webhookId);
    expect(await recordEvents(webhookId, from)).toEqual([`hris.employee.updated ${sb.employeeIds()[9]}`]);
  });

  it('a failing subscription brings the delta back to its normal interval at once', async () => {
    const minutes = async () =>
      (await gw.ds.query(`SELECT (extract(epoch FROM next_delta_at - now()) / 60)::float8 AS m FROM sync_schedules WHERE integration_id = $1`, [webhookId]))[0]
        .m;
    await force(webhookId, 'DELTA');
    expect(await minutes()).toBeGreaterThan(14);
    await gw.ds.query(`UPDATE integrations SET base_url = 'http://127.0.0.1:9' WHERE id = $1`, [webhookId]); // Personio unreachable
    expect(await subs.check(webhookId)).toBe('FAILED');
    expect(await minutes()).toBeLessThan(6);
    await gw.ds.query(`UPDATE integrations SET base_url = $2 WHERE id = $1`, [webhookId, sb.url]);
    expect(await subs.check(webhookId)).toBe('ACTIVE');
  });

  it('disable removes the subscription and refuses deliveries; enable subscribes again; delete removes it', async () => {
    const [hook] = hooksNow();
    await request(gw.url)
      .put(`/v1/integrations/${encodeURIComponent(webhookId)}/enabled`)
      .set(auth())
      .send({ value: false })
      .expect(200);
    expect(hooksNow()).toHaveLength(0);
    expect((await subs.get(webhookId))!.status).toBe('DISABLED');
    const stale = await request(gw.url)
      .post(`/inbound/${encodeURIComponent(webhookId)}`)
      .set('Authorization', String(hook.token))
      .send({ company_id: sb.companyId, event_name: 'person.updated', occurred_at: new Date().toISOString(), payload: { person: { id: '1' } } });
    expect(stale.status).toBe(404);

    await request(gw.url)
      .put(`/v1/integrations/${encodeURIComponent(webhookId)}/enabled`)
      .set(auth())
      .send({ value: true })
      .expect(200);
    await waitFor(async () => (await subs.get(webhookId))?.status === 'ACTIVE');
    expect(hooksNow()).toHaveLength(1);

    await request(gw.url)
      .delete(`/v1/integrations/${encodeURIComponent(webhookId)}`)
      .set(auth())
      .expect(200);
    expect(hooksNow()).toHaveLength(0);
  });

  it('the periodic check subscribes an integration that has none, once, however many processes check', async () => {
    const id = await connect(); // created by the CLI: no subscription yet
    expect(await subs.get(id)).toBeNull();
    const other = new InboundSubscriptions(gw.ds, gw.app.get(CREDENTIAL_VAULT), gw.config, gw.app.get(SYNC_CONFIG), gw.app.get(ConnectorRegistry)); // a second process
    await Promise.all([subs.checkDue(), other.checkDue()]);
    expect((await subs.get(id))!.status).toBe('ACTIVE');
    expect(hooksNow().filter((h) => String(h.url).endsWith(encodeURIComponent(id)))).toHaveLength(1);
  });

  it('no log line carries a subscription token', () => {
    const logs = gw.logs().join('\n');
    expect(seenTokens.size).toBeGreaterThan(1);
    for (const t of seenTokens) expect(logs).not.toContain(t);
  });
});
