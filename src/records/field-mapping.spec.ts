import { integrationFieldValues, mapCustomFields, needsRemoteFields, ReadFieldConfig } from './field-mapping';

const config: ReadFieldConfig = {
  customFields: [
    { model: 'hris_employees', key: 'shirt', remote: { key: 'dynamic_1', type: 'CUSTOM' } },
    { model: 'hris_employees', key: 'cost', remote: { key: 'cost_code', type: 'DEFAULT' } },
    { model: 'hris_employees', key: 'unmapped', remote: null },
    { model: 'hris_employments', key: 'grade', remote: { key: 'grade', type: 'DEFAULT' } },
  ],
  passthrough: [{ id: 'f1', model: 'hris_employees', key: 'cost_code', type: 'DEFAULT', label: 'Cost code' }],
};

describe('mapCustomFields', () => {
  it("renames the record's values to the environment's keys, per model", () => {
    const out = mapCustomFields(config, 'hris_employees', { dynamic_1: 'M' }, { dynamic_1: 'ignored', cost_code: 'CC-1' });
    expect(out).toEqual({ shirt: 'M', cost: 'CC-1', unmapped: null });
    expect(mapCustomFields(config, 'hris_employments', {}, { grade: 3 })).toEqual({ grade: 3 });
  });

  it('a CUSTOM field the record does not carry falls back to remote_fields; missing values are null', () => {
    expect(mapCustomFields(config, 'hris_employees', undefined, { dynamic_1: 'L' })).toEqual({ shirt: 'L', cost: null, unmapped: null });
    expect(mapCustomFields(config, 'hris_employees', { dynamic_1: null }, {})).toEqual({ shirt: null, cost: null, unmapped: null });
  });
});

describe('integrationFieldValues', () => {
  it('lists the passthrough fields of the model with their values from remote_fields', () => {
    expect(integrationFieldValues(config, 'hris_employees', { cost_code: 'CC-2' })).toEqual([
      { id: 'f1', key: 'cost_code', type: 'DEFAULT', value: 'CC-2', label: 'Cost code' },
    ]);
    expect(integrationFieldValues(config, 'hris_employees', {})[0].value).toBeNull();
    expect(integrationFieldValues(config, 'hris_employments', { cost_code: 'x' })).toEqual([]);
  });
});

describe('HRIS keys named like Object.prototype members', () => {
  const odd: ReadFieldConfig = {
    customFields: [
      { model: 'hris_employees', key: 'proto', remote: { key: '__proto__', type: 'DEFAULT' } },
      { model: 'hris_employees', key: 'ctor', remote: { key: 'constructor', type: 'CUSTOM' } },
    ],
    passthrough: [
      { id: 'f1', model: 'hris_employees', key: '__proto__', type: 'DEFAULT', label: null },
      { id: 'f2', model: 'hris_employees', key: 'toString', type: 'DEFAULT', label: null },
    ],
  };
  it('read a value the record has as its own, and null when it lacks one (never Object.prototype)', () => {
    expect(mapCustomFields(odd, 'hris_employees', {}, {})).toEqual({ proto: null, ctor: null });
    expect(integrationFieldValues(odd, 'hris_employees', {}).map((f) => f.value)).toEqual([null, null]);
    // As read back from the store: JSON.parse makes "__proto__" an own key.
    const stored = JSON.parse('{"__proto__":"P","constructor":"C","toString":"T"}') as Record<string, unknown>;
    expect(mapCustomFields(odd, 'hris_employees', stored, stored)).toEqual({ proto: 'P', ctor: 'C' });
    expect(integrationFieldValues(odd, 'hris_employees', stored).map((f) => f.value)).toEqual(['P', 'T']);
  });
});

describe('needsRemoteFields', () => {
  it('only when a passthrough field or a DEFAULT mapping reads them', () => {
    expect(needsRemoteFields(config, 'hris_employees')).toBe(true);
    expect(needsRemoteFields(config, 'hris_employments')).toBe(true);
    expect(needsRemoteFields({ customFields: [config.customFields[0]], passthrough: [] }, 'hris_employees')).toBe(false);
    expect(needsRemoteFields({ customFields: [], passthrough: [] }, 'hris_employees')).toBe(false);
  });
});
