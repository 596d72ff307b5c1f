import request from 'supertest';
import { markFirstSyncDone } from './hris-seed';
import { useHrisReadWorld } from './hris-read.helpers';

describe('HRIS read API', () => {
  const w = useHrisReadWorld();

  it('answers INTEGRATION.SETUP_SYNC_PENDING (409) before the first sync finished', async () => {
    for (const path of ['/v1/hris/employees', '/v1/hris/groups', '/v1/hris/employee-document-categories']) {
      const res = await w.get(path).expect(409);
      expect(res.body.error.code).toBe('INTEGRATION.SETUP_SYNC_PENDING');
    }
    await markFirstSyncDone(w.gw.ds, w.integrationId);
  });

  it('refuses an unknown integration with 404 and a missing header with INPUT_INVALID', async () => {
    const res = await w.get('/v1/hris/employees', 'personio:doesnotexist').expect(404);
    expect(res.body.error.code).toBe('PLATFORM.INTEGRATION_NOT_FOUND');
    const missing = await request(w.gw.url).get('/v1/hris/employees').set('Authorization', `Bearer ${w.gw.apiKey}`).expect(400);
    expect(missing.body.error.message).toMatch(/X-Integration-Id/);
  });

  it('serves employees with Kombo nested objects assembled from the other tables', async () => {
    const withAll = w.seeded.employees.find((e) => e.manager_id && e.legal_entity_id && e.work_location_id && e.group_ids.length && !e.remote_deleted_at)!;
    const res = await w.get(`/v1/hris/employees?ids=${withAll.id}`).expect(200);
    expect(res.body.data.next).toBeNull();
    const [e] = res.body.data.results;
    const manager = w.seeded.employees.find((m) => m.id === withAll.manager_id)!;
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
      legal_entity: { id: withAll.legal_entity_id, name: w.seeded.legalEntities.find((l) => l.id === withAll.legal_entity_id)!.name },
      work_location: { id: withAll.work_location_id, name: w.seeded.locations.find((l) => l.id === withAll.work_location_id)!.name },
      changed_at: withAll.changed_at.toISOString(),
      remote_deleted_at: null,
      time_off_balances: [],
      integration_fields: [],
      custom_fields: {},
      remote_data: null,
    });
    const liveGroups = w.seeded.groups.filter((g) => withAll.group_ids.includes(g.id) && !g.remote_deleted_at);
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
    const groups = (await w.get('/v1/hris/groups?page_size=250').expect(200)).body.data.results;
    expect(groups).toHaveLength(w.seeded.groups.filter((g) => !g.remote_deleted_at).length);
    const teams = (await w.get('/v1/hris/teams').expect(200)).body.data.results;
    expect(teams).toEqual(groups);
    const typed = (await w.get('/v1/hris/groups?types=TEAM,null').expect(200)).body.data.results;
    expect(typed.map((g: { type: string | null }) => g.type).sort()).toEqual(
      w.seeded.groups
        .filter((g) => !g.remote_deleted_at && (g.type === 'TEAM' || g.type === null))
        .map((g) => g.type)
        .sort(),
    );
    const named = (await w.get('/v1/hris/groups?name_contains=department%20group').expect(200)).body.data.results;
    expect(named.map((g: { name: string }) => g.name).sort()).toEqual(['DEPARTMENT Group 0', 'DEPARTMENT Group 4']);
    const withDeleted = (await w.get('/v1/hris/groups?include_deleted=true').expect(200)).body.data.results;
    expect(withDeleted).toHaveLength(w.seeded.groups.length);
    expect(withDeleted.some((g: { remote_deleted_at: string | null }) => g.remote_deleted_at !== null)).toBe(true);
    const les = (await w.get('/v1/hris/legal-entities?name_contains=legal%201').expect(200)).body.data.results;
    expect(les).toEqual([expect.objectContaining({ remote_id: 'le-1', name: 'Legal 1 GmbH', address: expect.objectContaining({ city: 'Berlin' }) })]);
    const locs = (await w.get('/v1/hris/locations?remote_ids=loc-0,loc-2').expect(200)).body.data.results;
    expect(locs.map((l: { remote_id: string }) => l.remote_id).sort()).toEqual(['loc-0', 'loc-2']);
    const cats = (await w.get('/v1/hris/employee-document-categories').expect(200)).body.data.results;
    expect(cats.map((c: { name: string }) => c.name)).toContain('Learning certificates');
    const employments = (await w.get('/v1/hris/employments?page_size=250').expect(200)).body.data.results;
    expect(employments).toHaveLength(w.seeded.employments.length);
    expect(employments[0]).toMatchObject({ custom_fields: {}, integration_fields: [], pay_period: 'MONTH' });
    expect(employments[0]).not.toHaveProperty('data');
  });

  it("updated_after counts a change of an employee's employments as a change of the employee", async () => {
    const target = w.seeded.employees.find((e) => !e.remote_deleted_at)!;
    const after = new Date('2030-01-01T00:00:00.000Z');
    expect((await w.get(`/v1/hris/employees?updated_after=${after.toISOString()}`).expect(200)).body.data.results).toEqual([]);
    await w.gw.ds.query(`UPDATE hris_employments SET changed_at = $3 WHERE integration_id = $1 AND employee_id = $2`, [
      w.integrationId,
      target.id,
      new Date('2030-01-02T00:00:00Z'),
    ]);
    const res = (await w.get(`/v1/hris/employees?updated_after=${after.toISOString()}`).expect(200)).body.data.results;
    expect(res.map((e: { id: string }) => e.id)).toEqual([target.id]);
    await w.gw.ds.query(`UPDATE hris_employments SET changed_at = $3 WHERE integration_id = $1 AND employee_id = $2`, [
      w.integrationId,
      target.id,
      target.changed_at,
    ]);
  });

  it('employee filters: emails case-insensitive, statuses, groups, legal entities, locations', async () => {
    const e = w.seeded.employees.find((x) => x.work_email && !x.remote_deleted_at)!;
    const byEmail = (await w.get(`/v1/hris/employees?work_emails=${encodeURIComponent(e.work_email!.toUpperCase())}`).expect(200)).body.data.results;
    expect(byEmail.map((x: { id: string }) => x.id)).toEqual([e.id]);
    const p = w.seeded.employees.find((x) => x.personal_email && !x.remote_deleted_at)!;
    const byPersonal = (await w.get(`/v1/hris/employees?personal_emails=${encodeURIComponent(p.personal_email!.toUpperCase())},nobody@x.example`).expect(200))
      .body.data.results;
    expect(byPersonal.map((x: { id: string }) => x.id)).toEqual([p.id]);
    const deprecated = (await w.get('/v1/hris/employees?employment_status=LEAVE&page_size=250').expect(200)).body.data.results;
    expect(deprecated.every((x: { employment_status: string }) => x.employment_status === 'LEAVE')).toBe(true);
    expect(deprecated.length).toBe(w.seeded.employees.filter((x) => x.employment_status === 'LEAVE' && !x.remote_deleted_at).length);
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
    const res = await w.get(`/v1/hris/employees?${qs}`).expect(400);
    expect(res.body.error.code).toBe('PLATFORM.INPUT_INVALID');
    expect(res.body.error.message).toContain(param);
  });

  it('refuses bad group types and a cursor replayed with other filters', async () => {
    const res = await w.get('/v1/hris/groups?types=SQUAD').expect(400);
    expect(res.body.error.message).toContain('types');
    const first = (await w.get('/v1/hris/employees?page_size=5&employment_statuses=ACTIVE').expect(200)).body.data;
    expect(first.next).toEqual(expect.any(String));
    const replay = await w.get(`/v1/hris/employees?page_size=5&cursor=${first.next}`).expect(400);
    expect(replay.body.error.message).toContain('cursor');
    const otherModel = await w.get(`/v1/hris/groups?cursor=${first.next}&employment_statuses=ACTIVE`).expect(400);
    expect(otherModel.body.error.code).toBe('PLATFORM.INPUT_INVALID');
  });
});
