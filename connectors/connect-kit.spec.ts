import { toolTextFrom, type ConnectText } from './connect-kit';
import { hrisReadCoverage } from './coverage';

const text = (over: Partial<ConnectText> = {}): ConnectText => ({
  requirements: {
    attributes: [['a', 'A', 'A-de', 'why a', 'warum a']],
    optionalAttributes: [['b', 'B', 'B-de', 'why b', 'warum b']],
    permissions: [['p', 'P', 'P-de', 'why p', 'warum p']],
  },
  guide: {
    title: { en: 'T', de: 'T-de' },
    steps: [
      { en: 'one', de: 'eins' },
      { en: 'tick', de: 'ankreuzen', listRequirements: true },
    ],
  },
  missingHint: { en: 'hint', de: 'Hinweis' },
  settings: [{ key: 'baseUrl', env: 'X_BASE_URL', kind: 'url', description: 'origin' }],
  ...over,
});

describe('toolTextFrom', () => {
  it('lists required attributes, then optional ones, then permissions (always optional)', () => {
    const { requirements, connect } = toolTextFrom(text());
    expect(requirements).toEqual([
      { kind: 'attribute', key: 'a', label: { en: 'A', de: 'A-de' }, why: { en: 'why a', de: 'warum a' } },
      { kind: 'attribute', key: 'b', label: { en: 'B', de: 'B-de' }, why: { en: 'why b', de: 'warum b' }, optional: true },
      { kind: 'permission', key: 'p', label: { en: 'P', de: 'P-de' }, why: { en: 'why p', de: 'warum p' }, optional: true },
    ]);
    expect(connect.requirements).toBe(requirements);
  });

  it('builds the guide steps with listRequirements only where set, and passes settings through', () => {
    const { connect, settings } = toolTextFrom(text());
    expect(connect.guide.steps).toEqual([{ text: { en: 'one', de: 'eins' } }, { text: { en: 'tick', de: 'ankreuzen' }, listRequirements: true }]);
    expect(connect.missingHint).toEqual({ en: 'hint', de: 'Hinweis' });
    expect(settings).toEqual([{ key: 'baseUrl', env: 'X_BASE_URL', kind: 'url', description: 'origin' }]);
  });

  it('refuses a short requirement row and an unknown setting kind', () => {
    expect(() => toolTextFrom(text({ requirements: { attributes: [['a', 'A', 'A-de', 'why']] } }))).toThrow(/requirement a/);
    expect(() => toolTextFrom(text({ settings: [{ key: 'k', env: 'K', kind: 'number', description: '' }] }))).toThrow(/kind number/);
  });
});

describe('hrisReadCoverage', () => {
  it('reads employees with the given fields and the secondary models with theirs; `without` models are not read', () => {
    const read = hrisReadCoverage(['first_name'], { without: ['legal_entities'] });
    expect(Object.keys(read)).toEqual(['employees', 'employments', 'groups', 'legal_entities', 'locations', 'employee_document_categories']);
    expect(read.employees).toEqual({ read: true, fields: ['first_name'] });
    expect(read.legal_entities).toEqual({ read: false, fields: [] });
    expect(read.groups).toEqual({ read: true, fields: ['name', 'type', 'remote_data'] });
  });
});
