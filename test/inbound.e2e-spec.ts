// Change notifications, gateway side, against the Personio simulator's v1 API:
// deliveries posted here as Personio would (envelope, token in Authorization) are
// recorded, re-read as WEBHOOK runs through the page writer, and reach the LMS as
// the same record events a polled sync sends. The subscription itself is made in
// test/inbound-subscriptions.e2e-spec.ts.
import request from 'supertest';
import { startPersonioSandbox, type PersonioSandbox } from '../connectors/personio/sandbox';
import { loadConfig } from '../src/config/config';
import { claimInboundEvents, recordInboundEvents, settleInboundEvents } from '../src/inbound/inbound-events.repository';
import { CREDENTIAL_VAULT, CredentialVault } from '../src/integrations/vault';
import { createIntegrationWithFirstSync } from '../src/integrations/first-sync';
import type { SyncRunRow } from '../src/sync/sync-runs.repository';
import { startTestGateway, TestGateway } from './support/gateway';
import { changeSetEvents } from './support/sync-world';
import { fastSyncEnv, fastConnectors, waitFor, waitForRun } from './support/sync';

describe('inbound change notifications (endpoint, events, targeted re-reads)', () => {
  let gw: TestGateway;
  let sb: PersonioSandbox;
  let webhookId: string;
  let polledId: string;
  const token = 'tok-' + 'a'.repeat(40);
  const auth = () => ({ Authorization: `Bearer ${gw.apiKey}` });
  let seq = 0;

  async function connect(): Promise<string> {
    const cred = sb.defaultCredential;
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

  const envelope = (event: string, personId: number, occurredAt = new Date(Date.now() + seq++).toISOString()) => ({
    company_id: '1',
    event_name: event,
    occurred_at: occurredAt,
    payload: { person: { id: String(personId) } },
    meta: {},
  });

  const deliver = (body: unknown, tok: string | null = token, id = webhookId) => {
    const r = request(gw.url)
      .post(`/inbound/${encodeURIComponent(id)}`)
      .set('Content-Type', 'application/json');
    if (tok !== null) r.set('Authorization', tok);
    return r.send(JSON.stringify(body));
  };

  const runs = async (id: string, trigger?: string): Promise<SyncRunRow[]> =>
    gw.ds.query(`SELECT * FROM sync_runs WHERE integration_id = $1 ${trigger ? `AND trigger = '${trigger}'` : ''} ORDER BY queued_at`, [id]);

  /** Record events of an integration since a point, as (type, remote_id, data without ids) — comparable across integrations. */
  async function recordEvents(id: string, after: string): Promise<string[]> {
    const rows: { type: string; data: Record<string, unknown> }[] = await gw.ds.query(
      `SELECT type, data FROM webhook_events WHERE integration_id = $1 AND type LIKE 'hris.%' AND created_at > $2 ORDER BY type, data->>'remote_id'`,
      [id, after],
    );
    return [...new Set(rows.map((r) => `${r.type} ${String(r.data.remote_id)}`))].sort();
  }
  const updatesOf = async (id: string, after: string): Promise<number> =>
    (
      await gw.ds.query(`SELECT count(*)::int AS n FROM webhook_events WHERE integration_id = $1 AND type = 'hris.employee.updated' AND created_at > $2`, [
        id,
        after,
      ])
    )[0].n;
  const lastSeq = async (): Promise<string> => (await gw.ds.query(`SELECT clock_timestamp()::text AS t`))[0].t;

  async function webhookRunsSettled(id: string, count: number): Promise<SyncRunRow[]> {
    return waitFor(async () => {
      const rs = await runs(id, 'WEBHOOK');
      const pending = await gw.ds.query(`SELECT 1 FROM inbound_events WHERE integration_id = $1 AND processed_at IS NULL`, [id]);
      return rs.length >= count && rs.every((r) => !['QUEUED', 'RUNNING'].includes(r.status)) && pending.length === 0 ? rs : null;
    });
  }

  beforeAll(async () => {
    sb = await startPersonioSandbox({ employees: 60, seed: 5, timeScale: 60 });
    gw = await startTestGateway(
      { env: fastSyncEnv(), inbound: { ...loadConfig({}).inbound, floodThreshold: 20, publicUrlSet: true } },
      { connectors: fastConnectors() },
    );
    await request(gw.url)
      .post('/v1/webhooks/endpoints')
      .set(auth())
      .send({ url: `${sb.url}/hooks`, record_events: true })
      .expect(201);
    webhookId = await connect();
    polledId = await connect();
    const vault = gw.app.get<CredentialVault>(CREDENTIAL_VAULT);
    await gw.ds.query(`INSERT INTO inbound_subscriptions (integration_id, token, remote_id, status) VALUES ($1, $2, 'sub-1', 'ACTIVE')`, [
      webhookId,
      vault.seal(token),
    ]);
    // The other integration has a subscription of its own (another token): a token is good for its integration only.
    await gw.ds.query(`INSERT INTO inbound_subscriptions (integration_id, token, remote_id, status) VALUES ($1, $2, 'sub-2', 'ACTIVE')`, [
      polledId,
      vault.seal('tok-' + 'b'.repeat(40)),
    ]);
  });
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
  });

  it('create, update, terminate and delete reach the LMS as the same record events as a polled sync, without touching the delta watermark', async () => {
    const ids = sb.employeeIds();
    const [watermark] = await gw.ds.query(`SELECT delta_watermark FROM sync_schedules WHERE integration_id = $1`, [webhookId]);
    const from = await lastSeq();
    const hired = sb.hire({ first_name: 'Rita', last_name: 'Realtime' });
    sb.change(ids[1], { first_name: 'Quick' });
    sb.terminate(ids[2], '2020-01-31');
    sb.remove(ids[3]);
    for (const body of [
      envelope('person.created', hired.id),
      envelope('person.updated', ids[1]),
      envelope('employment.updated', ids[2]),
      envelope('person.deleted', ids[3]),
    ]) {
      const res = await deliver(body).expect(200);
      expect(res.body.data).toEqual({ events: 1, recorded: 1 });
    }
    const done = await webhookRunsSettled(webhookId, 1);
    expect(done.every((r) => r.status === 'SUCCEEDED' && r.type === 'DELTA')).toBe(true);
    const viaWebhook = await recordEvents(webhookId, from);

    // The polled integration sees the same changes by a delta, and the deletion by a full sync.
    const delta = await request(gw.url).post('/v1/force-sync').set(auth()).set('X-Integration-Id', polledId).send({ type: 'DELTA' }).expect(200);
    await waitForRun(gw.ds, delta.body.data.sync_id);
    const full = await request(gw.url).post('/v1/force-sync').set(auth()).set('X-Integration-Id', polledId).send({ type: 'FULL' }).expect(200);
    await waitForRun(gw.ds, full.body.data.sync_id);
    const viaPolling = await recordEvents(polledId, from);
    expect(viaWebhook.length).toBeGreaterThanOrEqual(4);
    expect(viaWebhook).toEqual(viaPolling);
    expect(viaWebhook).toEqual(expect.arrayContaining(changeSetEvents(hired.id, ids)));
    const targeted = done.filter((r) => r.since === null);
    expect(targeted.length).toBe(done.length); // re-reads of the people named, no delta window

    // The LMS gets the record events and data-changed, but no sync-finished per notification.
    const kinds = await gw.ds.query(`SELECT DISTINCT type FROM webhook_events WHERE integration_id = $1 AND created_at > $2 AND type NOT LIKE 'hris.%'`, [
      webhookId,
      from,
    ]);
    expect(kinds.map((k: { type: string }) => k.type)).toEqual(['data-changed']);
    const [after] = await gw.ds.query(`SELECT delta_watermark FROM sync_schedules WHERE integration_id = $1`, [webhookId]);
    expect(after.delta_watermark).toEqual(watermark.delta_watermark);
  });

  it('duplicates, replays and out-of-order deliveries collapse: one re-read, no second record event', async () => {
    const ids = sb.employeeIds();
    sb.change(ids[10], { first_name: 'Once' });
    const updated = envelope('person.updated', ids[10]);
    const older = envelope('person.updated', ids[10], new Date(Date.now() - 60_000).toISOString());
    const from = await lastSeq();
    const before = (await runs(webhookId, 'WEBHOOK')).length;
    const answers = await Promise.all([deliver(updated), deliver(updated), deliver(older), deliver(updated)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(answers.reduce((n, a) => n + a.body.data.recorded, 0)).toBe(2); // the newer event once, the older one once
    await webhookRunsSettled(webhookId, before + 1);
    expect(await recordEvents(webhookId, from)).toEqual([`hris.employee.updated ${ids[10]}`]);
    expect(await updatesOf(webhookId, from)).toBe(1);

    // A replay after processing is re-read once more (a same-second change must not be lost) and sends nothing.
    const settled = (await runs(webhookId, 'WEBHOOK')).length;
    await deliver(updated).expect(200);
    const [again] = (await webhookRunsSettled(webhookId, settled + 1)).slice(settled);
    expect(again).toMatchObject({ status: 'SUCCEEDED', created: 0, updated: 0, deleted: 0 });
    expect(await updatesOf(webhookId, from)).toBe(1);
  });

  it('a change whose notification never came is caught by the reconciliation delta', async () => {
    const ids = sb.employeeIds();
    sb.change(ids[12], { first_name: 'Dropped' });
    const from = await lastSeq();
    const delta = await request(gw.url).post('/v1/force-sync').set(auth()).set('X-Integration-Id', webhookId).send({ type: 'DELTA' }).expect(200);
    const run = await waitForRun(gw.ds, delta.body.data.sync_id);
    expect(run).toMatchObject({ status: 'SUCCEEDED', type: 'DELTA', trigger: 'API' });
    expect(await recordEvents(webhookId, from)).toEqual([`hris.employee.updated ${ids[12]}`]);
  });

  it('a flood of notifications is read as one delta, not one read per person', async () => {
    const ids = sb.employeeIds().slice(15, 15 + gw.config.inbound.floodThreshold + 1);
    const before = (await runs(webhookId, 'WEBHOOK')).length;
    const from = await lastSeq();
    ids.forEach((id, n) => sb.change(id, { first_name: `Bulk${n}` }));
    // Held back (as while the integration backs off) so the burst is pending at once, as behind a slow run.
    await gw.ds.query(`UPDATE sync_schedules SET retry_at = now() + interval '1 hour' WHERE integration_id = $1`, [webhookId]);
    await Promise.all(ids.map((id) => deliver(envelope('person.updated', id)).expect(200)));
    expect((await runs(webhookId, 'WEBHOOK')).length).toBe(before);
    await gw.ds.query(`UPDATE sync_schedules SET retry_at = NULL WHERE integration_id = $1`, [webhookId]);
    const settled = await webhookRunsSettled(webhookId, before + 1);
    const fresh = settled.slice(before);
    expect(fresh.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    expect(await recordEvents(webhookId, from)).toEqual(expect.arrayContaining(ids.map((id) => `hris.employee.updated ${id}`)));
    expect(fresh).toHaveLength(1);
    expect(fresh[0].since).not.toBeNull(); // one delta read, not one read per person
  });

  it('a run that fails gives its events back, collapsing them into a duplicate that arrived meanwhile', async () => {
    const ev = (key: string) => ({ dedupeKey: key, name: 'person.updated', personIds: ['999999'], removal: false, occurredAt: null });
    const held = await gw.ds.query(`SELECT 1 FROM integrations WHERE id = $1`, [polledId]);
    expect(held).toHaveLength(1);
    await recordInboundEvents(gw.ds, polledId, [ev('k1'), ev('k2')]);
    // Held back from the worker (as while backing off), then taken by a run that will fail.
    await gw.ds.query(`UPDATE sync_schedules SET retry_at = now() + interval '1 hour' WHERE integration_id = $1`, [polledId]);
    const claimed = await claimInboundEvents(gw.ds, polledId, 'run-that-fails');
    expect(claimed).toMatchObject({ events: 2, personIds: ['999999'] });
    expect(await recordInboundEvents(gw.ds, polledId, [ev('k1')])).toBe(1); // the same event again, while the run reads
    await gw.ds.transaction((em) => settleInboundEvents(em, 'run-that-fails', false));
    const rows = await gw.ds.query(`SELECT dedupe_key, run_id FROM inbound_events WHERE integration_id = $1 ORDER BY dedupe_key`, [polledId]);
    expect(rows).toEqual([
      { dedupe_key: 'k1', run_id: null },
      { dedupe_key: 'k2', run_id: null },
    ]);
    await gw.ds.query(`DELETE FROM inbound_events WHERE integration_id = $1`, [polledId]);
    await gw.ds.query(`UPDATE sync_schedules SET retry_at = NULL WHERE integration_id = $1`, [polledId]);
  });

  describe('security', () => {
    const nothingRecorded = async () => (await gw.ds.query(`SELECT count(*)::int AS n FROM inbound_events`))[0].n;

    it("a wrong, missing or other integration's token, or an unknown integration, is 404 and records nothing", async () => {
      const n = await nothingRecorded();
      const body = envelope('person.updated', sb.employeeIds()[0]);
      for (const res of [
        await deliver(body, 'wrong'),
        await deliver(body, null),
        await deliver(body, `Bearer ${token}x`),
        await deliver(body, token, polledId),
        await deliver(body, token, 'personio:doesnotexist'),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ status: 'error', error: { code: 'PLATFORM.INTEGRATION_NOT_FOUND' } });
      }
      expect(await nothingRecorded()).toBe(n);
    });

    it('an oversized body is refused before anything is recorded; an unknown shape is a clear 400', async () => {
      const n = await nothingRecorded();
      const big = { ...envelope('person.updated', sb.employeeIds()[0]), meta: { pad: 'x'.repeat(20_000) } };
      expect((await deliver(big)).status).toBe(413);
      const odd = await deliver({ hello: 'world' });
      expect(odd.status).toBe(400);
      expect(odd.body.error.code).toBe('PLATFORM.INPUT_INVALID');
      expect(await nothingRecorded()).toBe(n);
    });

    it('no log line carries the inbound token', () => {
      expect(gw.logs().filter((l) => l.includes(token))).toEqual([]);
    });
  });
});
