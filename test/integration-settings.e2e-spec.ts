import type { PersonioSandbox } from '../connectors/personio/sandbox';
import type { IntegrationFilters } from '../src/integrations/integration.entity';
import { CLI_COMMANDS } from '../src/cli.commands';
import '../src/integrations/management.cli';
import { createIntegrationWithFirstSync } from '../src/integrations/first-sync';
import type { TestGateway } from './support/gateway';
import { ALL_NULL, useSettingsEnv } from './support/integration-settings';
import { expectConverged, expectedStore, waitFor, waitForRun } from './support/sync';

/** Issue #13: integration settings and filters over the API, applied by a full sync at once; the schedule follows interval changes. */
describe('integration settings and filters (API)', () => {
  const env = useSettingsEnv();
  const { auth, api, q, events, changeFilters } = env;
  let gw: TestGateway;
  let sb: PersonioSandbox;
  let id: string;
  beforeAll(() => ({ gw, sb, id } = env));

  it('GET settings shows the defaults and the schedule', async () => {
    const res = await api().get(`/v1/integrations/${id}/settings`).set(auth()).expect(200);
    expect(res.body.data).toMatchObject({
      filters: { legal_entity_remote_ids: [], location_remote_ids: [], group_remote_ids: [], employment_statuses: [], employment_types: [] },
      delta_interval_minutes: 5,
      full_interval_minutes: 360,
      expose_remote_data: false,
      next_delta_sync_at: expect.any(String),
      next_full_sync_at: expect.any(String),
    });
  });

  it('each filter field, changed over the API, converges the store on the matching employees with webhooks and current data', async () => {
    const first = async (table: string, extra = '') =>
      (await q<{ remote_id: string }>(`SELECT remote_id FROM ${table} WHERE integration_id = $1 ${extra} ORDER BY remote_id LIMIT 1`, [id]))[0].remote_id;
    const [{ employment_type: commonType }] = await q<{ employment_type: string }>(
      `SELECT employment_type FROM hris_employees WHERE integration_id = $1 AND employment_type IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
      [id],
    );
    const cases: IntegrationFilters[] = [
      { employment_statuses: ['ACTIVE'] },
      { legal_entity_remote_ids: [await first('hris_legal_entities')] },
      { location_remote_ids: [await first('hris_locations')] },
      { group_remote_ids: [await first('hris_groups', `AND type = 'DEPARTMENT'`)] },
      { employment_types: [commonType] },
      {},
    ];
    for (const filters of cases) {
      // A live employee that changes in the HRIS before the sync: if the filter drops it, it must be stored with the change.
      const [victim] = await q<{ remote_id: string }>(
        `SELECT remote_id FROM hris_employees WHERE integration_id = $1 AND remote_deleted_at IS NULL ORDER BY random() LIMIT 1`,
        [id],
      );
      const lastDay = new Date(sb.now().getTime() - 86_400_000).toISOString().slice(0, 10);
      sb.terminate(Number(victim.remote_id), lastDay);
      const { res, since, added, removed } = await changeFilters(filters);
      expect(res.body.data.filters).toEqual({ ...Object.fromEntries(Object.keys(ALL_NULL).map((k) => [k, []])), ...filters });
      await expectConverged(gw.ds, sb, id, filters);
      expect(added.length + removed.length).toBeGreaterThan(0);
      // Webhooks: every removed employee has hris.employee.deleted, every added one created or updated.
      const deleted = new Set((await events('hris.employee.deleted', since)).map((e) => e.id));
      const upserted = new Set([...(await events('hris.employee.created', since)), ...(await events('hris.employee.updated', since))].map((e) => e.id));
      expect(removed.filter((x) => !deleted.has(x))).toEqual([]);
      expect(added.filter((x) => !upserted.has(x))).toEqual([]);
      // Removed employees hold the HRIS's current content (status, dates), never a stale copy.
      const current = (await expectedStore(sb, id)).employees;
      const stored = await q<{ remote_id: string; data_hash: string }>(
        `SELECT remote_id, data_hash FROM hris_employees WHERE integration_id = $1 AND id = ANY($2::text[])`,
        [id, removed],
      );
      for (const r of stored) expect({ remote_id: r.remote_id, hash: r.data_hash }).toEqual({ remote_id: r.remote_id, hash: current.get(r.remote_id) });
      const changed = await events('integration-settings-changed', since);
      expect(changed).toEqual([
        expect.objectContaining({
          integration_id: id,
          changed_fields: ['filters'],
          full_sync_scheduled: true,
          actor: { type: 'API_KEY', id: expect.any(String) },
        }),
      ]);
      expect(await events('integration-state-changed', since)).toEqual([]);
    }
  });

  it('refuses bad input with clear errors naming the field or id', async () => {
    const bad = async (body: unknown, text: string) => {
      const res = await api()
        .patch(`/v1/integrations/${id}/settings`)
        .set(auth())
        .send(body as object)
        .expect(400);
      expect(res.body).toMatchObject({ status: 'error', error: { code: 'PLATFORM.INPUT_INVALID', message: expect.stringContaining(text) } });
    };
    await bad({ filters: { legal_entity_remote_ids: ['no-such-entity'] } }, 'no-such-entity');
    await bad({ filters: { location_remote_ids: ['nowhere-1'] } }, 'nowhere-1');
    await bad({ filters: { group_remote_ids: ['ghost-group'] } }, 'ghost-group');
    await bad({ filters: { employment_statuses: ['RETIRED'] } }, 'employment_statuses');
    await bad({ filters: { employment_types: 'FULL_TIME' } }, 'employment_types');
    await bad({ filters: { teams: ['x'] } }, 'teams');
    await bad({ delta_interval_minutes: 0 }, 'delta_interval_minutes');
    await bad({ full_interval_minutes: 1.5 }, 'full_interval_minutes');
    await bad({ expose_remote_data: 'yes' }, 'expose_remote_data');
    await bad({ schedule: 'fast' }, 'schedule');
  });

  it('a 1-minute delta interval moves the next run at once and runs on schedule without a restart', async () => {
    const before = (await api().get(`/v1/integrations/${id}/settings`).set(auth()).expect(200)).body.data;
    // Five minutes after the last run started (runs so far were all ahead of schedule).
    const [s] = await q<{ started_at: Date }>(`SELECT max(started_at) AS started_at FROM sync_runs WHERE integration_id = $1 AND status = 'SUCCEEDED'`, [id]);
    expect(new Date(before.next_delta_sync_at).getTime() - new Date(s.started_at).getTime()).toBeGreaterThanOrEqual(5 * 60_000 - 1000);
    const since = new Date();
    const res = await api().patch(`/v1/integrations/${id}/settings`).set(auth()).send({ delta_interval_minutes: 1 }).expect(200);
    expect(res.body.data.delta_interval_minutes).toBe(1);
    // Moved at once: one minute after the last run instead of five.
    expect(new Date(res.body.data.next_delta_sync_at).getTime()).toBe(new Date(before.next_delta_sync_at).getTime() - 4 * 60_000);
    expect(res.body.data.next_full_sync_at).toBe(before.next_full_sync_at);
    const changed = await events('integration-settings-changed', since);
    expect(changed).toEqual([
      expect.objectContaining({
        changed_fields: ['delta_interval_minutes'],
        full_sync_scheduled: false,
        old_values: { delta_interval_minutes: null },
        new_values: { delta_interval_minutes: 1 },
      }),
    ]);
    // The scheduler's clock is Postgres' now(), which a test cannot steer: shift this schedule's time base a minute
    // into the past instead, exactly as if the minute had passed. No delta may run before its time.
    expect(await q(`SELECT id FROM sync_runs WHERE integration_id = $1 AND queued_at >= $2`, [id, since])).toEqual([]);
    await q(
      `UPDATE sync_schedules SET next_delta_at = next_delta_at - interval '1 minute', last_success_at = last_success_at - interval '1 minute' WHERE integration_id = $1`,
      [id],
    );
    const run = await waitFor(
      async () => {
        const runs = (await api().get(`/v1/integrations/${id}/syncs`).set(auth()).expect(200)).body.data.results as {
          id: string;
          type: string;
          trigger: string;
          queued_at: string;
        }[];
        return runs.find((r) => r.type === 'DELTA' && r.trigger === 'SCHEDULE' && new Date(r.queued_at) >= since);
      },
      20_000,
      'the scheduled delta',
    );
    expect((await waitForRun(gw.ds, run.id)).status).toBe('SUCCEEDED');
    // The next one is due a minute after this one.
    const after = (await api().get(`/v1/integrations/${id}/settings`).set(auth()).expect(200)).body.data;
    const [s2] = await q<{ last_success_at: Date }>(`SELECT last_success_at FROM sync_schedules WHERE integration_id = $1`, [id]);
    expect(new Date(after.next_delta_sync_at).getTime() - new Date(s2.last_success_at).getTime()).toBeLessThanOrEqual(60_000 + 1000);
    // Back to the default.
    await api().patch(`/v1/integrations/${id}/settings`).set(auth()).send({ delta_interval_minutes: null }).expect(200);
  });

  it('records every change with who, when, old and new values', async () => {
    const res = await api().get(`/v1/integrations/${id}/settings/changes?page_size=2`).set(auth()).expect(200);
    expect(res.body.data.results).toHaveLength(2);
    expect(res.body.data.results[0]).toMatchObject({
      actor: { type: 'API_KEY', id: expect.any(String) },
      changed_fields: ['delta_interval_minutes'],
      old_values: { delta_interval_minutes: 1 },
      new_values: { delta_interval_minutes: null },
    });
    const page2 = await api().get(`/v1/integrations/${id}/settings/changes?page_size=2&cursor=${res.body.data.next}`).set(auth()).expect(200);
    expect(page2.body.data.results[0].changed_at <= res.body.data.results[1].changed_at).toBe(true);
    expect(page2.body.data.results.map((r: { id: string }) => r.id)).not.toContain(res.body.data.results[0].id);
    // A PATCH that changes nothing records nothing.
    const [{ n }] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM integration_settings_changes WHERE integration_id = $1`, [id]);
    await api().patch(`/v1/integrations/${id}/settings`).set(auth()).send({ expose_remote_data: false }).expect(200);
    expect((await q<{ n: number }>(`SELECT count(*)::int AS n FROM integration_settings_changes WHERE integration_id = $1`, [id]))[0].n).toBe(n);
  });

  it("CLI: integrations settings get|set, with the API's validation, recorded as the CLI", async () => {
    const cmd = CLI_COMMANDS.find((c) => c.matches('integrations', 'settings'))!;
    const cli = async (...argv: string[]) => {
      const saved = process.argv;
      process.argv = ['node', 'cli.js', 'integrations', 'settings', ...argv];
      const out: unknown[] = [];
      try {
        const code = await cmd.run({ ds: gw.ds, config: gw.config, args: [], options: {}, out: (v) => out.push(v) });
        return { code, out };
      } finally {
        process.argv = saved;
      }
    };
    const since = new Date();
    const set = await cli('set', id, '--full-interval-minutes', '720', '--statuses', 'ACTIVE,LEAVE', '--json');
    expect(set.out[0]).toMatchObject({ full_interval_minutes: 720, filters: { employment_statuses: ['ACTIVE', 'LEAVE'] } });
    const [row] = await q<{ actor_type: string; new_values: Record<string, unknown> }>(
      `SELECT actor_type, new_values FROM integration_settings_changes WHERE integration_id = $1 ORDER BY changed_at DESC LIMIT 1`,
      [id],
    );
    expect(row).toEqual({
      actor_type: 'CLI',
      new_values: { filters: expect.objectContaining({ employment_statuses: ['ACTIVE', 'LEAVE'] }), full_interval_minutes: 720 },
    });
    // The filter change queued a full sync; the running gateway claims it.
    const run = await waitFor(
      async () =>
        (
          await q<{ id: string }>(`SELECT id FROM sync_runs WHERE integration_id = $1 AND trigger = 'MANUAL' AND type = 'FULL' AND queued_at >= $2`, [
            id,
            since,
          ])
        )[0],
      20_000,
      'the full sync',
    );
    expect((await waitForRun(gw.ds, run.id)).status).toBe('SUCCEEDED');
    await expectConverged(gw.ds, sb, id, { employment_statuses: ['ACTIVE', 'LEAVE'] });
    await expect(cli('set', id, '--delta-interval-minutes', '0')).rejects.toThrow(/delta_interval_minutes must not be less than 1/);
    await expect(cli('set', id, '--statuses', 'RETIRED')).rejects.toThrow(/employment_statuses/);
    const get = await cli('get', id);
    expect(get.out[0]).toMatchObject({ full_interval_minutes: 720 });
    // Back to no filter; the full sync that queues ends before the next test reads the last run.
    const reset = new Date();
    await cli('set', id, '--statuses', '', '--full-interval-minutes', 'default');
    const last = await waitFor(
      async () => (await q<{ id: string }>(`SELECT id FROM sync_runs WHERE integration_id = $1 AND type = 'FULL' AND queued_at >= $2`, [id, reset]))[0],
      20_000,
      'the full sync',
    );
    expect((await waitForRun(gw.ds, last.id)).status).toBe('SUCCEEDED');
  });

  it("GET /v1/integrations lists the environment's integrations with filters, settings, last run and next run", async () => {
    const second = await createIntegrationWithFirstSync(gw.ds, gw.config, {
      environment: gw.environmentId,
      tool: 'personio',
      organization: 'Beta',
      baseUrl: sb.url,
      credentials: { clientId: sb.defaultCredential.clientId, clientSecret: sb.defaultCredential.clientSecret },
    });
    await waitForRun(gw.ds, second.syncId);
    await api().put(`/v1/integrations/${second.integration.id}/enabled`).set(auth()).send({ value: false }).expect(200);
    const page1 = await api().get('/v1/integrations?page_size=1').set(auth()).expect(200);
    expect(page1.body.data.results).toEqual([
      expect.objectContaining({
        id,
        status: 'ACTIVE',
        tool: expect.objectContaining({ id: 'personio' }),
        end_user: expect.objectContaining({ organization_name: 'ACME' }),
        filters: expect.objectContaining({ employment_statuses: [] }),
        settings: { delta_interval_minutes: 5, full_interval_minutes: 360, expose_remote_data: false },
        last_run: expect.objectContaining({ status: 'SUCCEEDED' }),
        next_scheduled_run: expect.objectContaining({ type: expect.any(String), at: expect.any(String) }),
        read_models: expect.any(Array),
      }),
    ]);
    const page2 = await api().get(`/v1/integrations?page_size=1&cursor=${page1.body.data.next}`).set(auth()).expect(200);
    expect(page2.body.data).toMatchObject({
      next: null,
      results: [expect.objectContaining({ id: second.integration.id, status: 'INACTIVE', next_scheduled_run: null })],
    });
    const inactive = await api().get('/v1/integrations?state=INACTIVE').set(auth()).expect(200);
    expect(inactive.body.data.results.map((i: { id: string }) => i.id)).toEqual([second.integration.id]);
    expect((await api().get('/v1/integrations?tool=bamboohr').set(auth()).expect(200)).body.data.results).toEqual([]);
    const replay = await api().get(`/v1/integrations?state=ACTIVE&cursor=${page1.body.data.next}`).set(auth()).expect(400);
    expect(replay.body.error.message).toContain('cursor');
    await api().get('/v1/integrations?state=BROKEN').set(auth()).expect(400);
  });
});
