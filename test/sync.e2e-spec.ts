import request from 'supertest';
import { startPersonioSandbox, type PersonioSandbox } from '../connectors/personio/sandbox';
import { stableId } from '../src/common/ids';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { createIntegrationWithFirstSync } from '../src/integrations/first-sync';
import { SyncService } from '../src/sync/sync.service';
import { startTestGateway, TestGateway } from './support/gateway';
import { expectConverged, fastSyncEnv, runRow, fastConnectors, waitFor, waitForRun } from './support/sync';

describe('sync engine (full, delta, deletions, filters, API)', () => {
  let gw: TestGateway;
  let sb: PersonioSandbox;
  let integrationId: string;
  const auth = () => ({ Authorization: `Bearer ${gw.apiKey}` });
  const events = async (type: string, id = integrationId) =>
    (await gw.ds.query(`SELECT data FROM webhook_events WHERE integration_id = $1 AND type = $2 ORDER BY created_at`, [id, type])).map(
      (r: { data: unknown }) => r.data,
    );

  async function connect(filters = {}, cred = sb.defaultCredential): Promise<{ id: string; syncId: string }> {
    const { integration, syncId } = await createIntegrationWithFirstSync(gw.ds, gw.config, {
      environment: gw.environmentId,
      tool: 'personio',
      organization: 'ACME',
      baseUrl: sb.url,
      credentials: { clientId: cred.clientId, clientSecret: cred.clientSecret },
    });
    if (!Object.keys(filters).length) return { id: integration.id, syncId };
    // The first sync is queued with the integration, so a worker may start it before the filters
    // are set (seen once in a loaded CI run): once it has ended, a full sync under the filters.
    await gw.ds.query(`UPDATE integrations SET filters = $2 WHERE id = $1`, [integration.id, JSON.stringify(filters)]);
    await waitForRun(gw.ds, syncId);
    const filtered = await gw.app.get(SyncService).requestSync(integration.id, { type: 'FULL', trigger: 'MANUAL' });
    return { id: integration.id, syncId: filtered.sync_id };
  }

  async function forceSync(type: 'FULL' | 'DELTA', id = integrationId) {
    const res = await request(gw.url).post('/v1/force-sync').set(auth()).set('X-Integration-Id', id).send({ type }).expect(200);
    return res.body.data as { already_queued: boolean; sync_id: string; type: string };
  }

  beforeAll(async () => {
    sb = await startPersonioSandbox({ employees: 230, seed: 11, timeScale: 60 });
    gw = await startTestGateway({ env: fastSyncEnv() }, { connectors: fastConnectors() });
    const c = await connect();
    integrationId = c.id;
    const run = await waitForRun(gw.ds, c.syncId);
    expect(run).toMatchObject({ status: 'SUCCEEDED', trigger: 'FIRST_SYNC', type: 'FULL' });
  });
  afterAll(async () => {
    await gw?.close();
    await sb?.close();
  });

  it('a first full sync stores exactly what the HRIS has and completes the setup', async () => {
    await expectConverged(gw.ds, sb, integrationId);
    const [integ] = await gw.ds.query(`SELECT setup_status, first_sync_completed_at, status FROM integrations WHERE id = $1`, [integrationId]);
    expect(integ.setup_status).toBe('COMPLETED');
    expect(integ.first_sync_completed_at).not.toBeNull();
    const [{ n: groups }] = await gw.ds.query(`SELECT count(*)::int AS n FROM hris_groups WHERE integration_id = $1`, [integrationId]);
    const [{ n: cats }] = await gw.ds.query(`SELECT count(*)::int AS n FROM hris_document_categories WHERE integration_id = $1`, [integrationId]);
    expect(groups).toBeGreaterThan(0);
    expect(cats).toBeGreaterThan(0);
    expect(await events('data-changed')).toHaveLength(1);
    expect((await events('sync-finished'))[0]).toMatchObject({ sync_state: 'SUCCEEDED', integration_id: integrationId, integration_tool: 'personio' });
  });

  it('stores records per the storage contract: gateway ids for foreign keys, no nested objects in data', async () => {
    const rows = await gw.ds.query(
      `SELECT id, remote_id, data, manager_id, group_ids, legal_entity_id, remote_data FROM hris_employees WHERE integration_id = $1 AND manager_id IS NOT NULL LIMIT 5`,
      [integrationId],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.id).toBe(stableId(integrationId, 'employees', r.remote_id));
      const raw = r.remote_data['/company/employees'];
      const supervisor = raw.attributes?.supervisor?.value?.attributes?.id?.value ?? raw.supervisor?.value?.attributes?.id?.value;
      if (supervisor !== undefined) expect(r.manager_id).toBe(stableId(integrationId, 'employees', String(supervisor)));
      expect(r.data.manager_id).toBe(r.manager_id);
      for (const k of [
        'id',
        'remote_id',
        'changed_at',
        'remote_deleted_at',
        'remote_data',
        'manager',
        'groups',
        'employments',
        'legal_entity',
        'work_location',
      ])
        expect(r.data).not.toHaveProperty(k);
      for (const g of r.group_ids) expect(g).toHaveLength(24);
    }
  });

  it('a sync that changes nothing writes nothing', async () => {
    const before = await gw.ds.query(`SELECT max(changed_at) AS m, count(*)::int AS n FROM hris_employees WHERE integration_id = $1`, [integrationId]);
    const dataChanged = (await events('data-changed')).length;
    const full = await waitForRun(gw.ds, (await forceSync('FULL')).sync_id);
    expect(full).toMatchObject({ status: 'SUCCEEDED', created: 0, updated: 0, deleted: 0 });
    expect(full.unchanged).toBeGreaterThan(460); // employees + employments + groups + ...
    const delta = await waitForRun(gw.ds, (await forceSync('DELTA')).sync_id);
    expect(delta).toMatchObject({ status: 'SUCCEEDED', type: 'DELTA', created: 0, updated: 0, deleted: 0 });
    const after = await gw.ds.query(`SELECT max(changed_at) AS m, count(*)::int AS n FROM hris_employees WHERE integration_id = $1`, [integrationId]);
    expect(after).toEqual(before);
    expect(await events('data-changed')).toHaveLength(dataChanged);
  });

  it('delta picks up hires and changes (deleting nothing); the next full sync marks deletions and converges', async () => {
    const ids = sb.employeeIds();
    const hired = sb.hire({ first_name: 'Neue', last_name: 'Kollegin' });
    // A manager's rename moves changed_at of their reports (their nested `manager` changed).
    const [mgr] = await gw.ds.query(
      `SELECT manager_id, min(changed_at) AS c FROM hris_employees WHERE integration_id = $1 AND manager_id IS NOT NULL GROUP BY manager_id LIMIT 1`,
      [integrationId],
    );
    const [mgrRow] = await gw.ds.query(`SELECT remote_id FROM hris_employees WHERE integration_id = $1 AND id = $2`, [integrationId, mgr.manager_id]);
    sb.change(Number(mgrRow.remote_id), { first_name: 'Renamed' });
    sb.terminate(ids[5], '2020-01-31');
    const removed = [ids[7], ids[8]].filter((id) => String(id) !== mgrRow.remote_id);
    removed.forEach((id) => sb.remove(id));

    const delta = await waitForRun(gw.ds, (await forceSync('DELTA')).sync_id);
    expect(delta).toMatchObject({ status: 'SUCCEEDED', type: 'DELTA', deleted: 0 });
    expect(delta.counts.employees!.created).toBe(1);
    const [neu] = await gw.ds.query(`SELECT data FROM hris_employees WHERE integration_id = $1 AND remote_id = $2`, [integrationId, String(hired.id)]);
    expect(neu.data.first_name).toBe('Neue');
    const [term] = await gw.ds.query(`SELECT employment_status, data FROM hris_employees WHERE integration_id = $1 AND remote_id = $2`, [
      integrationId,
      String(ids[5]),
    ]);
    expect(term.employment_status).toBe('INACTIVE');
    const reports = await gw.ds.query(`SELECT changed_at FROM hris_employees WHERE integration_id = $1 AND manager_id = $2`, [integrationId, mgr.manager_id]);
    for (const r of reports) expect(new Date(r.changed_at).getTime()).toBeGreaterThan(new Date(mgr.c).getTime());
    const live = await gw.ds.query(
      `SELECT count(*)::int AS n FROM hris_employees WHERE integration_id = $1 AND remote_id = ANY($2) AND remote_deleted_at IS NULL`,
      [integrationId, removed.map(String)],
    );
    expect(live[0].n).toBe(removed.length);

    const full = await waitForRun(gw.ds, (await forceSync('FULL')).sync_id);
    expect(full.status).toBe('SUCCEEDED');
    expect(full.counts.employees!.deleted).toBe(removed.length);
    expect(full.counts.employments!.deleted).toBe(removed.length);
    await expectConverged(gw.ds, sb, integrationId);
    const changed = (await events('data-changed')).pop() as { changed_models: { name: string }[] };
    expect(changed.changed_models.map((m) => m.name)).toEqual(expect.arrayContaining(['hris_employees', 'hris_employments']));
  });

  it('filters: only matching employees are stored, one that stops matching is marked deleted', async () => {
    const filters = { employment_statuses: ['ACTIVE'] };
    const c = await connect(filters);
    expect((await waitForRun(gw.ds, c.syncId)).status).toBe('SUCCEEDED');
    await expectConverged(gw.ds, sb, c.id, filters);
    const statuses = await gw.ds.query(`SELECT DISTINCT employment_status FROM hris_employees WHERE integration_id = $1 AND remote_deleted_at IS NULL`, [c.id]);
    expect(statuses).toEqual([{ employment_status: 'ACTIVE' }]);
    // A manager with a stored report: the report's nested `manager` must show the manager's new state too.
    const [victim] = await gw.ds.query(
      `SELECT m.id, m.remote_id, r.id AS report_id FROM hris_employees m JOIN hris_employees r ON r.integration_id = m.integration_id AND r.manager_id = m.id
        WHERE m.integration_id = $1 AND m.remote_deleted_at IS NULL AND r.remote_deleted_at IS NULL LIMIT 1`,
      [c.id],
    );
    const lastDay = new Date(sb.now().getTime() - 2 * 86_400_000).toISOString().slice(0, 10);
    sb.terminate(Number(victim.remote_id), lastDay);
    sb.change(Number(victim.remote_id), { status: 'inactive' });
    const delta = await waitForRun(gw.ds, (await forceSync('DELTA', c.id)).sync_id);
    expect(delta.status).toBe('SUCCEEDED');
    const [row] = await gw.ds.query(`SELECT remote_deleted_at FROM hris_employees WHERE integration_id = $1 AND remote_id = $2`, [c.id, victim.remote_id]);
    expect(row.remote_deleted_at).not.toBeNull();
    await expectConverged(gw.ds, sb, c.id, filters);
    // Marked deleted with the data that made it stop matching, never the stale ACTIVE copy.
    const read = (query: string) => request(gw.url).get(`/v1/hris/employees?${query}`).set(auth()).set('X-Integration-Id', c.id).expect(200);
    const [gone] = (await read(`include_deleted=true&ids=${victim.id}`)).body.data.results;
    expect(gone).toMatchObject({ id: victim.id, employment_status: 'INACTIVE', remote_deleted_at: expect.any(String) });
    expect(gone.termination_date).toMatch(new RegExp(`^${lastDay}`));
    const [report] = (await read(`ids=${victim.report_id}`)).body.data.results;
    expect(report.manager).toMatchObject({ id: victim.id, employment_status: 'INACTIVE', termination_date: expect.stringMatching(new RegExp(`^${lastDay}`)) });
    expect(new Date(report.changed_at).getTime()).toBeGreaterThanOrEqual(new Date(gone.remote_deleted_at).getTime());
  });

  it('force-sync reports the run already queued or running, as Kombo does', async () => {
    sb.setFaults({ latencyMs: 150 });
    try {
      const first = await forceSync('FULL');
      const second = await forceSync('DELTA');
      expect(first.already_queued).toBe(false);
      expect(second).toEqual({ already_queued: true, sync_id: first.sync_id, type: 'FULL' });
      await waitForRun(gw.ds, first.sync_id);
    } finally {
      sb.resetFaults();
    }
  });

  it('cancelActive stops a running sync at a page boundary; it ends CANCELLED and deletes nothing', async () => {
    sb.setFaults({ latencyMs: 200 });
    try {
      const { sync_id } = await forceSync('FULL');
      await waitFor(async () => (await runRow(gw.ds, sync_id)).pages >= 1 || null, 20_000, 'first page');
      await gw.app.get(SyncService).cancelActive(integrationId, 'integration disabled');
      const run = await waitForRun(gw.ds, sync_id);
      expect(run.status).toBe('CANCELLED');
      expect(run.deleted).toBe(0);
    } finally {
      sb.resetFaults();
    }
    await expectConverged(gw.ds, sb, integrationId);
  });

  it('a transient failure ends FAILED with a readable error and is retried with backoff', async () => {
    sb.setFaults({ serverErrorRate: 1 });
    const { sync_id } = await forceSync('FULL');
    const failed = await waitForRun(gw.ds, sync_id);
    sb.resetFaults();
    expect(failed.status).toBe('FAILED');
    expect(failed.error_kind).toBe('UPSTREAM_UNAVAILABLE');
    expect(failed.error).toMatch(/Personio/i);
    const retry = await waitFor(
      async () =>
        (
          await gw.ds.query(`SELECT id FROM sync_runs WHERE integration_id = $1 AND trigger = 'RETRY' AND queued_at > $2`, [integrationId, failed.finished_at])
        )[0],
      15_000,
      'retry run',
    );
    expect((await waitForRun(gw.ds, retry.id)).status).toBe('SUCCEEDED');
    await expectConverged(gw.ds, sb, integrationId);
  });

  it('auth failures make the integration INVALID and pause it; fixed credentials bring it back', async () => {
    const cred = sb.addCredential();
    const c = await connect({}, cred);
    expect((await waitForRun(gw.ds, c.syncId)).status).toBe('SUCCEEDED');
    const integrations = gw.app.get(IntegrationsService);
    const integ = (await integrations.findById(c.id))!;
    await integrations.updateCredentials(integ, { clientId: cred.clientId, clientSecret: 'wrong-secret-xyz' });
    const failed = await waitForRun(gw.ds, (await forceSync('DELTA', c.id)).sync_id);
    expect(failed.status).toBe('AUTHENTICATION_FAILED');
    expect((await integrations.findById(c.id))!.status).toBe('INVALID');
    expect((await events('integration-state-changed', c.id)).pop()).toMatchObject({ state: 'INVALID', integration_id: c.id });
    // Paused: nothing is queued by the schedule, even with its times due.
    await gw.ds.query(`UPDATE sync_schedules SET next_delta_at = now() - interval '1 hour', retry_at = NULL WHERE integration_id = $1`, [c.id]);
    await new Promise((r) => setTimeout(r, 600));
    expect(await gw.ds.query(`SELECT id FROM sync_runs WHERE integration_id = $1 AND status IN ('QUEUED', 'RUNNING')`, [c.id])).toEqual([]);
    await integrations.updateCredentials(integ, { clientId: cred.clientId, clientSecret: cred.clientSecret });
    const ok = await waitForRun(gw.ds, (await forceSync('FULL', c.id)).sync_id);
    expect(ok.status).toBe('SUCCEEDED');
    expect((await integrations.findById(c.id))!.status).toBe('ACTIVE');
    expect((await events('integration-state-changed', c.id)).pop()).toMatchObject({ state: 'ACTIVE' });
    expect(gw.logs().join('\n')).not.toContain('wrong-secret-xyz');
    expect(gw.logs().join('\n')).not.toContain(cred.clientSecret);
    expect(JSON.stringify(await gw.ds.query(`SELECT * FROM sync_runs`))).not.toContain('wrong-secret-xyz');
  });

  it('lists runs newest first with cursor pagination, and gets one', async () => {
    const first = await request(gw.url).get(`/v1/integrations/${integrationId}/syncs?page_size=2`).set(auth()).expect(200);
    expect(first.body.data.results).toHaveLength(2);
    expect(first.body.data.next).toEqual(expect.any(String));
    const r0 = first.body.data.results[0];
    expect(r0).toMatchObject({ integration_id: integrationId, type: expect.any(String), trigger: expect.any(String), status: expect.any(String) });
    expect(r0).toHaveProperty('counts');
    expect(r0).toHaveProperty('duration_seconds');
    const second = await request(gw.url).get(`/v1/integrations/${integrationId}/syncs?page_size=2&cursor=${first.body.data.next}`).set(auth()).expect(200);
    const ids = [...first.body.data.results, ...second.body.data.results].map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(4);
    expect(new Date(second.body.data.results[0].queued_at).getTime()).toBeLessThanOrEqual(new Date(first.body.data.results[1].queued_at).getTime());
    const one = await request(gw.url).get(`/v1/integrations/${integrationId}/syncs/${r0.id}`).set(auth()).expect(200);
    expect(one.body.data.id).toBe(r0.id);
    const missing = await request(gw.url).get(`/v1/integrations/${integrationId}/syncs/nope`).set(auth()).expect(404);
    expect(missing.body.error.code).toBe('PLATFORM.NOT_FOUND');
    const bad = await request(gw.url).get(`/v1/integrations/${integrationId}/syncs?cursor=%%%`).set(auth()).expect(400);
    expect(bad.body.error.code).toBe('PLATFORM.INPUT_INVALID');
  });

  it('pages through runs queued in the same millisecond without skipping any (the cursor keeps microseconds)', async () => {
    const same = ['run_same_ms_a', 'run_same_ms_b', 'run_same_ms_c'];
    // One statement's rows share now(); these share it to the microsecond, older than every real run.
    await gw.ds.query(
      `INSERT INTO sync_runs (id, integration_id, type, trigger, status, queued_at, finished_at)
       SELECT id, $1, 'FULL', 'MANUAL', 'SUCCEEDED', '2001-01-01T00:00:00.123456Z', '2001-01-01T00:00:01Z' FROM unnest($2::text[]) AS id`,
      [integrationId, same],
    );
    try {
      const seen: string[] = [];
      let next: string | null = null;
      do {
        const res: request.Response = await request(gw.url)
          .get(`/v1/integrations/${integrationId}/syncs?page_size=2${next ? `&cursor=${next}` : ''}`)
          .set(auth())
          .expect(200);
        const data = res.body.data as { next: string | null; results: Array<{ id: string }> };
        seen.push(...data.results.map((r) => r.id));
        next = data.next;
      } while (next);
      expect(seen.filter((id) => same.includes(id)).sort()).toEqual(same);
      expect(new Set(seen).size).toBe(seen.length);
    } finally {
      await gw.ds.query(`DELETE FROM sync_runs WHERE id = ANY($1)`, [same]);
    }
  });

  it('force-sync validates its input', async () => {
    const noHeader = await request(gw.url).post('/v1/force-sync').set(auth()).send({}).expect(400);
    expect(noHeader.body.error.code).toBe('PLATFORM.INPUT_INVALID');
    const badType = await request(gw.url).post('/v1/force-sync').set(auth()).set('X-Integration-Id', integrationId).send({ type: 'SOMETIMES' }).expect(400);
    expect(badType.body.error.message).toMatch(/type/);
    const unknown = await request(gw.url).post('/v1/force-sync').set(auth()).set('X-Integration-Id', 'personio:doesnotexist').send({}).expect(404);
    expect(unknown.body.error.code).toBe('PLATFORM.INTEGRATION_NOT_FOUND');
  });
});
