import fc from 'fast-check';
import request from 'supertest';
import { ok } from '../src/common/envelope';
import { invalidateReadFieldConfig } from '../src/records/field-mapping';
import { HrisReadService } from '../src/hris/hris-read.service';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { markFirstSyncDone, Seeded, seedUnified } from './hris-seed';
import { startTestGateway, TestGateway } from './support/gateway';

describe('HRIS read API', () => {
  let gw: TestGateway;
  let integrationId: string;
  let seeded: Seeded;
  const get = (path: string, integration = integrationId) =>
    request(gw.url).get(path).set('Authorization', `Bearer ${gw.apiKey}`).set('X-Integration-Id', integration);

  beforeAll(async () => {
    gw = await startTestGateway();
    const integrations = gw.app.get(IntegrationsService);
    integrationId = (
      await integrations.create({
        environmentId: gw.environmentId,
        tool: 'personio',
        credentials: { clientId: 'a', clientSecret: 'b' },
        endUserOrganizationName: 'ACME',
      })
    ).id;
    seeded = await seedUnified(gw.ds, integrationId, { employees: 60 });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('answers INTEGRATION.SETUP_SYNC_PENDING (409) before the first sync finished', async () => {
    for (const path of ['/v1/hris/employees', '/v1/hris/groups', '/v1/hris/employee-document-categories']) {
      const res = await get(path).expect(409);
      expect(res.body.error.code).toBe('INTEGRATION.SETUP_SYNC_PENDING');
    }
    await markFirstSyncDone(gw.ds, integrationId);
  });

  it('refuses an unknown integration with 404 and a missing header with INPUT_INVALID', async () => {
    const res = await get('/v1/hris/employees', 'personio:doesnotexist').expect(404);
    expect(res.body.error.code).toBe('PLATFORM.INTEGRATION_NOT_FOUND');
    const missing = await request(gw.url).get('/v1/hris/employees').set('Authorization', `Bearer ${gw.apiKey}`).expect(400);
    expect(missing.body.error.message).toMatch(/X-Integration-Id/);
  });

  it('serves employees with Kombo nested objects assembled from the other tables', async () => {
    const withAll = seeded.employees.find((e) => e.manager_id && e.legal_entity_id && e.work_location_id && e.group_ids.length && !e.remote_deleted_at)!;
    const res = await get(`/v1/hris/employees?ids=${withAll.id}`).expect(200);
    expect(res.body.data.next).toBeNull();
    const [e] = res.body.data.results;
    const manager = seeded.employees.find((m) => m.id === withAll.manager_id)!;
    expect(e).toMatchObject({
      id: withAll.id,
      remote_id: withAll.remote_id,
      first_name: withAll.data.first_name,
      manager_id: manager.id,
      manager: {
        id: manager.id,
        remote_id: manager.remote_id,
        first_name: manager.data.first_name,
        work_email: manager.work_email,
        employment_status: manager.employment_status,
      },
      legal_entity: { id: withAll.legal_entity_id, name: seeded.legalEntities.find((l) => l.id === withAll.legal_entity_id)!.name },
      work_location: { id: withAll.work_location_id, name: seeded.locations.find((l) => l.id === withAll.work_location_id)!.name },
      changed_at: withAll.changed_at.toISOString(),
      remote_deleted_at: null,
      time_off_balances: [],
      integration_fields: [],
      custom_fields: {},
      remote_data: null,
    });
    const liveGroups = seeded.groups.filter((g) => withAll.group_ids.includes(g.id) && !g.remote_deleted_at);
    expect(e.groups.map((g: { id: string }) => g.id).sort()).toEqual(liveGroups.map((g) => g.id).sort());
    expect(e.teams).toEqual(e.groups);
    expect(e.employments).toHaveLength(1);
    expect(e.employments[0]).toMatchObject({ employee_id: withAll.id, pay_rate: 5000, pay_currency: 'EUR', integration_fields: [] });
    expect(e.work_location.changed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Keys the storage keeps in `data` for its own use never leak.
    expect(e).not.toHaveProperty('custom_fields.dynamic_1');
    expect(e).not.toHaveProperty('data');
  });

  it('serves the other models with their filters', async () => {
    const groups = (await get('/v1/hris/groups?page_size=250').expect(200)).body.data.results;
    expect(groups).toHaveLength(seeded.groups.filter((g) => !g.remote_deleted_at).length);
    const teams = (await get('/v1/hris/teams').expect(200)).body.data.results;
    expect(teams).toEqual(groups);
    const typed = (await get('/v1/hris/groups?types=TEAM,null').expect(200)).body.data.results;
    expect(typed.map((g: { type: string | null }) => g.type).sort()).toEqual(
      seeded.groups
        .filter((g) => !g.remote_deleted_at && (g.type === 'TEAM' || g.type === null))
        .map((g) => g.type)
        .sort(),
    );
    const named = (await get('/v1/hris/groups?name_contains=department%20group').expect(200)).body.data.results;
    expect(named.map((g: { name: string }) => g.name).sort()).toEqual(['DEPARTMENT Group 0', 'DEPARTMENT Group 4']);
    const withDeleted = (await get('/v1/hris/groups?include_deleted=true').expect(200)).body.data.results;
    expect(withDeleted).toHaveLength(seeded.groups.length);
    expect(withDeleted.some((g: { remote_deleted_at: string | null }) => g.remote_deleted_at !== null)).toBe(true);
    const les = (await get('/v1/hris/legal-entities?name_contains=legal%201').expect(200)).body.data.results;
    expect(les).toEqual([expect.objectContaining({ remote_id: 'le-1', name: 'Legal 1 GmbH', address: expect.objectContaining({ city: 'Berlin' }) })]);
    const locs = (await get('/v1/hris/locations?remote_ids=loc-0,loc-2').expect(200)).body.data.results;
    expect(locs.map((l: { remote_id: string }) => l.remote_id).sort()).toEqual(['loc-0', 'loc-2']);
    const cats = (await get('/v1/hris/employee-document-categories').expect(200)).body.data.results;
    expect(cats.map((c: { name: string }) => c.name)).toContain('Learning certificates');
    const employments = (await get('/v1/hris/employments?page_size=250').expect(200)).body.data.results;
    expect(employments).toHaveLength(seeded.employments.length);
    expect(employments[0]).toMatchObject({ custom_fields: {}, integration_fields: [], pay_period: 'MONTH' });
    expect(employments[0]).not.toHaveProperty('data');
  });

  it("updated_after counts a change of an employee's employments as a change of the employee", async () => {
    const target = seeded.employees.find((e) => !e.remote_deleted_at)!;
    const after = new Date('2030-01-01T00:00:00.000Z');
    expect((await get(`/v1/hris/employees?updated_after=${after.toISOString()}`).expect(200)).body.data.results).toEqual([]);
    await gw.ds.query(`UPDATE hris_employments SET changed_at = $3 WHERE integration_id = $1 AND employee_id = $2`, [
      integrationId,
      target.id,
      new Date('2030-01-02T00:00:00Z'),
    ]);
    const res = (await get(`/v1/hris/employees?updated_after=${after.toISOString()}`).expect(200)).body.data.results;
    expect(res.map((e: { id: string }) => e.id)).toEqual([target.id]);
    await gw.ds.query(`UPDATE hris_employments SET changed_at = $3 WHERE integration_id = $1 AND employee_id = $2`, [
      integrationId,
      target.id,
      target.changed_at,
    ]);
  });

  it('employee filters: emails case-insensitive, statuses, groups, legal entities, locations', async () => {
    const e = seeded.employees.find((x) => x.work_email && !x.remote_deleted_at)!;
    const byEmail = (await get(`/v1/hris/employees?work_emails=${encodeURIComponent(e.work_email!.toUpperCase())}`).expect(200)).body.data.results;
    expect(byEmail.map((x: { id: string }) => x.id)).toEqual([e.id]);
    const p = seeded.employees.find((x) => x.personal_email && !x.remote_deleted_at)!;
    const byPersonal = (await get(`/v1/hris/employees?personal_emails=${encodeURIComponent(p.personal_email!.toUpperCase())},nobody@x.example`).expect(200))
      .body.data.results;
    expect(byPersonal.map((x: { id: string }) => x.id)).toEqual([p.id]);
    const deprecated = (await get('/v1/hris/employees?employment_status=LEAVE&page_size=250').expect(200)).body.data.results;
    expect(deprecated.every((x: { employment_status: string }) => x.employment_status === 'LEAVE')).toBe(true);
    expect(deprecated.length).toBe(seeded.employees.filter((x) => x.employment_status === 'LEAVE' && !x.remote_deleted_at).length);
  });

  it.each([
    ['page_size=0', 'page_size'],
    ['page_size=1000', 'page_size'],
    ['page_size=abc', 'page_size'],
    ['cursor=%%%', 'cursor'],
    ['cursor=eyJ2IjoxfQ', 'cursor'],
    ['updated_after=yesterday', 'updated_after'],
    ['updated_after=2024-13-45T00:00:00Z', 'updated_after'],
    ['include_deleted=yes', 'include_deleted'],
    ['ignore_unsupported_filters=1', 'ignore_unsupported_filters'],
    ['ids=short', 'ids'],
    ['employment_statuses=ACTIVE,RETIRED', 'employment_statuses'],
    ['employment_status=RETIRED', 'employment_status'],
    ['group_ids=not-an-id', 'group_ids'],
    ['legal_entity_ids=x', 'legal_entity_ids'],
    ['work_location_ids=x', 'work_location_ids'],
    ['custom_fields=notjson', 'custom_fields'],
    ['custom_fields=%7B%22a%22%3A1%2C%22b%22%3A2%7D', 'custom_fields'],
    ['custom_fields=%7B%22unknown%22%3A1%7D', 'custom_fields'],
    ['unknown_param=1', 'unknown_param'],
  ])('refuses %s with PLATFORM.INPUT_INVALID naming the parameter', async (qs, param) => {
    const res = await get(`/v1/hris/employees?${qs}`).expect(400);
    expect(res.body.error.code).toBe('PLATFORM.INPUT_INVALID');
    expect(res.body.error.message).toContain(param);
  });

  it('refuses bad group types and a cursor replayed with other filters', async () => {
    const res = await get('/v1/hris/groups?types=SQUAD').expect(400);
    expect(res.body.error.message).toContain('types');
    const first = (await get('/v1/hris/employees?page_size=5&employment_statuses=ACTIVE').expect(200)).body.data;
    expect(first.next).toEqual(expect.any(String));
    const replay = await get(`/v1/hris/employees?page_size=5&cursor=${first.next}`).expect(400);
    expect(replay.body.error.message).toContain('cursor');
    const otherModel = await get(`/v1/hris/groups?cursor=${first.next}&employment_statuses=ACTIVE`).expect(400);
    expect(otherModel.body.error.code).toBe('PLATFORM.INPUT_INVALID');
  });

  it('paging stays exact while a sync rewrites and adds records concurrently', async () => {
    const before = seeded.employees.filter((e) => !e.remote_deleted_at).map((e) => e.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const res: request.Response = await get(`/v1/hris/employees?page_size=7${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      seen.push(...res.body.data.results.map((e: { id: string }) => e.id));
      cursor = res.body.data.next;
      // A "sync" between pages: every record's changed_at moves, one record is added.
      await gw.ds.query(`UPDATE hris_employees SET changed_at = now() + ($2 || ' seconds')::interval WHERE integration_id = $1`, [
        integrationId,
        String(round),
      ]);
      round++;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => before.includes(id)).sort()).toEqual([...before].sort());
    for (const e of seeded.employees)
      await gw.ds.query(`UPDATE hris_employees SET changed_at = $3 WHERE integration_id = $1 AND id = $2`, [integrationId, e.id, e.changed_at]);
  });

  // Oracle: the seeded data filtered in plain JS, independent of the SQL under test.
  it('property: any page size and filter set returns exactly the matching rows, each once', async () => {
    const live = seeded.employees;
    const ids = live.map((e) => e.id);
    const filterArb = fc.record(
      {
        statuses: fc.subarray(['ACTIVE', 'PENDING', 'INACTIVE', 'LEAVE'], { minLength: 1 }),
        groups: fc.subarray(
          seeded.groups.map((g) => g.id),
          { minLength: 1 },
        ),
        legal: fc.subarray(
          seeded.legalEntities.map((l) => l.id),
          { minLength: 1 },
        ),
        locations: fc.subarray(
          seeded.locations.map((l) => l.id),
          { minLength: 1 },
        ),
        ids: fc.subarray(ids, { minLength: 1, maxLength: 20 }),
        updatedAfter: fc.integer({ min: 0, max: 1200 }).map((m) => new Date(new Date('2025-01-01T00:00:00Z').getTime() + m * 60_000)),
        includeDeleted: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(filterArb, fc.integer({ min: 1, max: 40 }), async (f, pageSize) => {
        const qs = new URLSearchParams({ page_size: String(pageSize) });
        if (f.statuses) qs.set('employment_statuses', f.statuses.join(','));
        if (f.groups) qs.set('group_ids', f.groups.join(','));
        if (f.legal) qs.set('legal_entity_ids', f.legal.join(','));
        if (f.locations) qs.set('work_location_ids', f.locations.join(','));
        if (f.ids) qs.set('ids', f.ids.join(','));
        if (f.updatedAfter) qs.set('updated_after', f.updatedAfter.toISOString());
        if (f.includeDeleted) qs.set('include_deleted', 'true');
        const expected = live
          .filter((e) => f.includeDeleted || !e.remote_deleted_at)
          .filter((e) => !f.statuses || f.statuses.includes(e.employment_status!))
          .filter((e) => !f.groups || e.group_ids.some((g) => f.groups!.includes(g)))
          .filter((e) => !f.legal || (e.legal_entity_id !== null && f.legal.includes(e.legal_entity_id)))
          .filter((e) => !f.locations || (e.work_location_id !== null && f.locations.includes(e.work_location_id)))
          .filter((e) => !f.ids || f.ids.includes(e.id))
          .filter((e) => !f.updatedAfter || e.changed_at > f.updatedAfter)
          .map((e) => e.id)
          .sort();
        const got: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          if (cursor) qs.set('cursor', cursor);
          const res: request.Response = await get(`/v1/hris/employees?${qs}`);
          expect(res.status).toBe(200);
          expect(res.body.data.results.length).toBeLessThanOrEqual(pageSize);
          got.push(...res.body.data.results.map((e: { id: string }) => e.id));
          cursor = res.body.data.next;
          pages++;
        } while (cursor);
        expect(got.length).toBe(new Set(got).size);
        expect([...got].sort()).toEqual(expected);
        expect(pages).toBe(Math.max(1, Math.ceil(expected.length / pageSize)));
      }),
      { numRuns: 40 },
    );
  });
  it('employees as JSON built by Postgres equal the object path, page by page, whatever the field mapping', async () => {
    const reads = gw.app.get(HrisReadService);
    const integrations = gw.app.get(IntegrationsService);
    const q = (sql: string, params: unknown[]) => gw.ds.query(sql, params);
    /** Every page of `query` over HTTP (the Postgres-built JSON) against the same pages from list() (objects, serialised by Express). */
    const samePages = async (label: string, query: Record<string, unknown>) => {
      const integration = await integrations.find(gw.environmentId, integrationId);
      let cursor: string | undefined;
      let pages = 0;
      do {
        const params = { ...query, ...(cursor ? { cursor } : {}) };
        const res = await get(`/v1/hris/employees?${new URLSearchParams(params as Record<string, string>)}`).expect(200);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        const objects = JSON.parse(JSON.stringify(ok(await reads.list('employees', integration, { ...params } as never))));
        expect({ label, page: pages, body: JSON.parse(res.text) }).toEqual({ label, page: pages, body: objects });
        cursor = res.body.data.next ?? undefined;
        pages++;
      } while (cursor);
      return pages;
    };
    const queries = [{ page_size: '7' }, { page_size: '7', include_deleted: 'true' }, { page_size: '250', employment_statuses: 'ACTIVE,LEAVE' }];
    const all = async (label: string) => {
      for (const query of queries) expect(await samePages(label, query)).toBeGreaterThan(0);
    };

    await all('no mapping');
    // Custom fields: one mapped to a stored custom attribute, one to a raw attribute, one unmapped;
    // a raw attribute passed through as an integration field.
    const field = (id: string, key: string, type: 'DEFAULT' | 'CUSTOM', passthrough: boolean) =>
      q(
        `INSERT INTO integration_fields (integration_id, id, model, key, type, label, is_passthrough_enabled) VALUES ($1, $2, 'hris_employees', $3, $4, $3, $5)`,
        [integrationId, id, key, type, passthrough],
      );
    await field('if_dyn1', 'dynamic_1', 'CUSTOM', false);
    await field('if_cost', 'cost_code', 'DEFAULT', true);
    for (const [id, key, mapped] of [
      ['cf_shirt', 'shirt', 'if_dyn1'],
      ['cf_cost', 'cost', 'if_cost'],
      ['cf_none', 'unmapped', null],
    ] as const) {
      await q(`INSERT INTO custom_fields (id, environment_id, model, key) VALUES ($1, $2, 'hris_employees', $3)`, [id, gw.environmentId, key]);
      if (mapped)
        await q(`INSERT INTO custom_field_mappings (integration_id, custom_field_id, integration_field_id) VALUES ($1, $2, $3)`, [integrationId, id, mapped]);
    }
    invalidateReadFieldConfig(integrationId);
    const mapped = JSON.parse((await get('/v1/hris/employees?page_size=1').expect(200)).text).data.results[0];
    expect(Object.keys(mapped.custom_fields).sort()).toEqual(['cost', 'shirt', 'unmapped']);
    expect(mapped.integration_fields).toEqual([expect.objectContaining({ key: 'cost_code', value: expect.stringMatching(/^CC-/) })]);
    await all('custom and integration fields');

    await q(`UPDATE integrations SET settings = settings || '{"expose_remote_data": true}' WHERE id = $1`, [integrationId]);
    await all('remote data exposed');
    // A custom field on employments takes the object path; the answer is the same either way.
    await q(`INSERT INTO custom_fields (id, environment_id, model, key) VALUES ('cf_emp', $1, 'hris_employments', 'grade')`, [gw.environmentId]);
    invalidateReadFieldConfig(integrationId);
    await all('employment custom field');

    await q(`DELETE FROM custom_fields WHERE id IN ('cf_shirt', 'cf_cost', 'cf_none', 'cf_emp')`, []);
    await q(`DELETE FROM integration_fields WHERE integration_id = $1 AND id IN ('if_dyn1', 'if_cost')`, [integrationId]);
    await q(`UPDATE integrations SET settings = settings - 'expose_remote_data' WHERE id = $1`, [integrationId]);
    invalidateReadFieldConfig(integrationId);
  });
});
