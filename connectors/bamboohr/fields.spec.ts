// Which BambooHR fields are custom and which fields a read asks for.
import { bamboohrFieldKind, planFields, CORE_FIELDS, MAX_FIELDS_PER_REQUEST } from './fields';

describe('fields', () => {
  it('custom fields are customXxx aliases and numeric ids; standard aliases are not', () => {
    expect(['customShirtSize', '4388', '4020.1', 'firstName', 'customer', 'custom'].map(bamboohrFieldKind)).toEqual([
      'CUSTOM',
      'CUSTOM',
      'CUSTOM',
      'DEFAULT',
      'DEFAULT',
      'DEFAULT',
    ]);
  });
  it('requests core fields, mapped fields the account has, then custom fields up to 400', () => {
    const meta = [
      { id: 1, alias: 'jobTitle' },
      { id: 2, alias: 'customShirtSize', type: 'list' },
      { id: 4388, name: 'Badge', type: 'text' },
      { id: 9, alias: 'old', deprecated: true },
    ];
    const plan = planFields(meta);
    expect(plan.request).toEqual([...CORE_FIELDS, 'jobTitle', 'customShirtSize', '4388']);
    expect(plan.request).not.toContain('nationality'); // the account has no such alias
    expect([...plan.customTypes]).toEqual([
      ['customShirtSize', 'list'],
      ['4388', 'text'],
    ]);
    const many = Array.from({ length: 500 }, (_, i) => ({ id: 10_000 + i, type: 'text' }));
    const big = planFields(many);
    expect(big.request).toHaveLength(MAX_FIELDS_PER_REQUEST);
    expect(big.dropped).toHaveLength(500 - (MAX_FIELDS_PER_REQUEST - CORE_FIELDS.length));
  });
  it('without /meta/fields every standard alias is asked for', () => {
    expect(planFields(null).request).toContain('employmentHistoryStatus');
  });
});
