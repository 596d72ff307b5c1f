import type { UnifiedEmployee } from '../../connectors/unified';
import { bareEmployee } from '../../connectors/unified.spec-env';
import { employeeRow, groupRow } from './rows';
import { cleanInPlace, storableText } from './sanitize';

const employee = (first_name: string, raw: unknown, extra: Partial<UnifiedEmployee> = {}): UnifiedEmployee =>
  bareEmployee('7', { first_name, last_name: 'Muster', work_email: 'a@b.de', employment_status: 'ACTIVE', remote_data: { raw }, ...extra });

describe('text Postgres cannot store', () => {
  it('storableText removes U+0000, replaces lone surrogates with U+FFFD and keeps valid pairs', () => {
    expect(storableText('Poison\u0000Name')).toBe('PoisonName');
    expect(storableText('a\uD800b')).toBe('a\uFFFDb');
    expect(storableText('\uDC00')).toBe('\uFFFD');
    expect(storableText('Zoë 👩‍🏫')).toBe('Zoë 👩‍🏫');
  });

  it('a stored row holds clean data, remote_data and columns, and hashes like the clean record', () => {
    const poisoned = employeeRow(
      'acme:x',
      employee('Poison\u0000Name', { first_name: 'Poison\u0000Name', ['k\uD800']: ['\uDFFF', { n: 'x\u0000' }] }, { work_email: 'a\u0000@b.de' }),
    );
    const clean = employeeRow('acme:x', employee('PoisonName', { first_name: 'PoisonName', ['k\uFFFD']: ['\uFFFD', { n: 'x' }] }, { work_email: 'a@b.de' }));
    expect(poisoned.json).toEqual(clean.json);
    expect(poisoned.hash).toBe(clean.hash);
    expect(poisoned.columns).toEqual(clean.columns);
    expect(poisoned.data.first_name).toBe('PoisonName');
    for (const text of [poisoned.json.data, poisoned.json.remote_data]) expect(text).not.toMatch(/\\u0000|\\ud[89a-f]/);
  });

  it('remote_fields are cleaned even when nothing else needs it', () => {
    const r = employeeRow('acme:x', employee('Ann', {}, { remote_fields: { 'k\u0000': 'v\uD800' } }));
    expect(JSON.parse(r.json.remote_fields!)).toEqual({ k: 'v\uFFFD' });
  });

  it('a key that becomes "__proto__" once cleaned stays an own key; no prototype changes', () => {
    const o = JSON.parse('{"a":1,"__proto__\\u0000":{"polluted":"x\\u0000"},"__p\\u0000roto__":"text"}') as Record<string, unknown>;
    expect(cleanInPlace(o)).toBe(3);
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(o, '__proto__')).toBe(true);
    expect(o.polluted).toBeUndefined();
    // The second key cleans to "__proto__" too: the later one wins, as for any two keys that clean alike.
    expect(JSON.stringify(o)).toBe('{"a":1,"__proto__":"text"}');
    const r = employeeRow('acme:x', employee('Ann', { '__proto__\u0000': { n: 1 } }, { remote_fields: { '__proto__\u0000': { n: 2 } } }));
    expect(JSON.parse(r.json.remote_data)).toEqual({ raw: JSON.parse('{"__proto__":{"n":1}}') });
    expect(r.json.remote_fields).toBe('{"__proto__":{"n":2}}');
    expect(r.json.remote_data).toContain('"__proto__":{"n":1}');
  });

  it('remote ids are cleaned too', () => {
    const g = groupRow('acme:x', { remote_id: 'team:\u00001', name: 'T\uD834', type: 'TEAM', parent_remote_id: null, remote_data: {} });
    expect(g.remote_id).toBe('team:1');
    expect(g.columns.name).toBe('T\uFFFD');
  });
});
