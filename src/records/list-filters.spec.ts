import { GatewayError } from '../common/errors';
import type { ReadFieldConfig } from './field-mapping';
import { AnyListQuery, buildConditions, Params, splitCsv } from './list-filters';

const NONE: ReadFieldConfig = { customFields: [], passthrough: [] };
const MAPPED: ReadFieldConfig = {
  customFields: [
    { model: 'hris_employees', key: 'shirt', remote: { key: 'dynamic_1', type: 'CUSTOM' } },
    { model: 'hris_employees', key: 'cost', remote: { key: 'cost_code', type: 'DEFAULT' } },
    { model: 'hris_employees', key: 'unmapped', remote: null },
  ],
  passthrough: [],
};

function build(model: Parameters<typeof buildConditions>[0], q: AnyListQuery, fields = NONE) {
  const p = new Params();
  const where = buildConditions(model, 'acme:i', q, fields, p);
  return { where, values: p.values };
}

describe('buildConditions', () => {
  it('scopes to the integration and hides deleted records unless asked', () => {
    expect(build('groups', {})).toEqual({ where: ['t.integration_id = $1', 't.remote_deleted_at IS NULL'], values: ['acme:i'] });
    expect(build('groups', { include_deleted: 'true' }).where).toEqual(['t.integration_id = $1']);
  });

  it('updated_after: employees also match on a changed employment; a bad date is refused', () => {
    const e = build('employees', { updated_after: '2025-01-01T00:00:00Z' });
    expect(e.where![2]).toContain('EXISTS (SELECT 1 FROM hris_employments em');
    expect(e.values[1]).toEqual(new Date('2025-01-01T00:00:00Z'));
    expect(build('groups', { updated_after: '2025-01-01T00:00:00Z' }).where![2]).toBe('t.changed_at > $2');
    expect(() => build('groups', { updated_after: 'soon' })).toThrow(GatewayError);
  });

  it('ids and remote_ids as parameters, name_contains escaped, only on named models', () => {
    const g = build('groups', { ids: 'a, b', remote_ids: 'r1', name_contains: '50%_a\\b' });
    expect(g.where).toEqual(expect.arrayContaining(['t.id = ANY($2::text[])', 't.remote_id = ANY($3::text[])', 't.name ILIKE $4']));
    expect(g.values.slice(1)).toEqual([['a', 'b'], ['r1'], '%50\\%\\_a\\\\b%']);
    expect(build('employees', { name_contains: 'x' } as AnyListQuery).where).toHaveLength(2);
  });

  it('group types: named ones and null; an empty list matches nothing', () => {
    expect(build('groups', { types: 'TEAM,null' }).where![2]).toBe('(t.type = ANY($2::text[]) OR t.type IS NULL)');
    expect(build('groups', { types: '' }).where![2]).toBe('false');
  });

  it('employee filters: statuses merged, emails case-insensitive', () => {
    const e = build('employees', { employment_statuses: 'ACTIVE', employment_status: 'LEAVE', work_emails: 'A@X.example', group_ids: 'g1' });
    expect(e.where).toEqual(
      expect.arrayContaining(['t.employment_status = ANY($2::text[])', 't.group_ids && $3::text[]', 'lower(t.work_email) = ANY($4::text[])']),
    );
    expect(e.values.slice(1)).toEqual([['ACTIVE', 'LEAVE'], ['g1'], ['a@x.example']]);
  });

  it('custom_fields: CUSTOM from data.custom_fields, DEFAULT from remote_fields, null matches missing', () => {
    const custom = build('employees', { custom_fields: '{"shirt":"M"}' }, MAPPED);
    expect(custom.where![2]).toBe("t.data->'custom_fields'->$2 = $3::jsonb");
    expect(custom.values.slice(1)).toEqual(['dynamic_1', '"M"']);
    const def = build('employees', { custom_fields: '{"cost":null}' }, MAPPED);
    expect(def.where![2]).toBe("(t.remote_fields->$2 IS NULL OR t.remote_fields->$2 = 'null'::jsonb)");
    expect(def.values[1]).toBe('cost_code');
  });

  it('custom_fields: an unmapped field matches nothing unless unsupported filters are ignored; bad input is refused', () => {
    expect(build('employees', { custom_fields: '{"unmapped":1}' }, MAPPED).where).toBeNull();
    expect(build('employees', { custom_fields: '{"unmapped":1}', ignore_unsupported_filters: 'true' }, MAPPED).where).toHaveLength(2);
    for (const bad of ['nope', '[]', '{"a":1,"b":2}', '{"shirt":{}}', '{"other":1}']) {
      expect(() => build('employees', { custom_fields: bad }, MAPPED)).toThrow(GatewayError);
    }
  });
});

describe('splitCsv', () => {
  it('trims and drops blanks; undefined stays undefined', () => {
    expect(splitCsv(' a, ,b ')).toEqual(['a', 'b']);
    expect(splitCsv('')).toEqual([]);
    expect(splitCsv(undefined)).toBeUndefined();
  });
});
