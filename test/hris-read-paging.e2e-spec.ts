import fc from 'fast-check';
import request from 'supertest';
import { ok } from '../src/common/envelope';
import { invalidateReadFieldConfig } from '../src/records/field-mapping';
import { HrisReadService } from '../src/hris/hris-read.service';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { useHrisReadWorld } from './hris-read.helpers';

/** Paging under concurrent change, filters against a plain-JS oracle, and the Postgres-built JSON path. */
describe('HRIS read API', () => {
  const w = useHrisReadWorld({ firstSyncDone: true });

  it('paging stays exact while a sync rewrites and adds records concurrently', async () => {
    const before = w.seeded.employees.filter((e) => !e.remote_deleted_at).map((e) => e.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const res: request.Response = await w.get(`/v1/hris/employees?page_size=7${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      seen.push(...res.body.data.results.map((e: { id: string }) => e.id));
      cursor = res.body.data.next;
      // A "sync" between pages: every record's changed_at moves, one record is added.
      await w.gw.ds.query(`UPDATE hris_employees SET changed_at = now() + ($2 || ' seconds')::interval WHERE integration_id = $1`, [
        w.integrationId,
        String(round),
      ]);
      round++;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => before.includes(id)).sort()).toEqual([...before].sort());
    for (const e of w.seeded.employees)
      await w.gw.ds.query(`UPDATE hris_employees SET changed_at = $3 WHERE integration_id = $1 AND id = $2`, [w.integrationId, e.id, e.changed_at]);
  });

  // Oracle: the seeded data filtered in plain JS, independent of the SQL under test.
  it('property: any page size and filter set returns exactly the matching rows, each once', async () => {
    const live = w.seeded.employees;
    const ids = live.map((e) => e.id);
    const filterArb = fc.record(
      {
        statuses: fc.subarray(['ACTIVE', 'PENDING', 'INACTIVE', 'LEAVE'], { minLength: 1 }),
        groups: fc.subarray(
          w.seeded.groups.map((g) => g.id),
          { minLength: 1 },
        ),
        legal: fc.subarray(
          w.seeded.legalEntities.map((l) => l.id),
          { minLength: 1 },
        ),
        locations: fc.subarray(
          w.seeded.locations.map((l) => l.id),
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
          const res: request.Response = await w.get(`/v1/hris/employees?${qs}`);
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
    const reads = w.gw.app.get(HrisReadService);
    const integrations = w.gw.app.get(IntegrationsService);
    const q = (sql: string, params: unknown[]) => w.gw.ds.query(sql, params);
    /** Every page of `query` over HTTP (the Postgres-built JSON) against the same pages from list() (objects, serialised by Express). */
    const samePages = async (label: string, query: Record<string, unknown>) => {
      const integration = await integrations.find(w.gw.environmentId, w.integrationId);
      let cursor: string | undefined;
      let pages = 0;
      do {
        const params = { ...query, ...(cursor ? { cursor } : {}) };
        const res = await w.get(`/v1/hris/employees?${new URLSearchParams(params as Record<string, string>)}`).expect(200);
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
        [w.integrationId, id, key, type, passthrough],
      );
    await field('if_dyn1', 'dynamic_1', 'CUSTOM', false);
    await field('if_cost', 'cost_code', 'DEFAULT', true);
    for (const [id, key, mapped] of [
      ['cf_shirt', 'shirt', 'if_dyn1'],
      ['cf_cost', 'cost', 'if_cost'],
      ['cf_none', 'unmapped', null],
    ] as const) {
      await q(`INSERT INTO custom_fields (id, environment_id, model, key) VALUES ($1, $2, 'hris_employees', $3)`, [id, w.gw.environmentId, key]);
      if (mapped)
        await q(`INSERT INTO custom_field_mappings (integration_id, custom_field_id, integration_field_id) VALUES ($1, $2, $3)`, [w.integrationId, id, mapped]);
    }
    invalidateReadFieldConfig(w.integrationId);
    const mapped = JSON.parse((await w.get('/v1/hris/employees?page_size=1').expect(200)).text).data.results[0];
    expect(Object.keys(mapped.custom_fields).sort()).toEqual(['cost', 'shirt', 'unmapped']);
    expect(mapped.integration_fields).toEqual([expect.objectContaining({ key: 'cost_code', value: expect.stringMatching(/^CC-/) })]);
    await all('custom and integration fields');

    await q(`UPDATE integrations SET settings = settings || '{"expose_remote_data": true}' WHERE id = $1`, [w.integrationId]);
    await all('remote data exposed');
    // A custom field on employments takes the object path; the answer is the same either way.
    await q(`INSERT INTO custom_fields (id, environment_id, model, key) VALUES ('cf_emp', $1, 'hris_employments', 'grade')`, [w.gw.environmentId]);
    invalidateReadFieldConfig(w.integrationId);
    await all('employment custom field');

    await q(`DELETE FROM custom_fields WHERE id IN ('cf_shirt', 'cf_cost', 'cf_none', 'cf_emp')`, []);
    await q(`DELETE FROM integration_fields WHERE integration_id = $1 AND id IN ('if_dyn1', 'if_cost')`, [w.integrationId]);
    await q(`UPDATE integrations SET settings = settings - 'expose_remote_data' WHERE id = $1`, [w.integrationId]);
    invalidateReadFieldConfig(w.integrationId);
  });
});
