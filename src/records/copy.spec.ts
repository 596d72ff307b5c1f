import { copyJson, copyLine, copySql, copyText, copyTextArray } from './copy';
import { MODEL_TABLES } from './models';
import { employeeRow, groupRow } from './rows';
import { bareEmployee } from '../../connectors/unified.spec-env';

describe('COPY text format', () => {
  it('escapes backslash, tab, newline and carriage return in text; null and undefined are NULL', () => {
    expect(copyText('a\\b\tc\nd\re "q"')).toBe('a\\\\b\\tc\\nd\\re "q"');
    expect(copyText(null)).toBe('\\N');
    expect(copyText(undefined)).toBe('\\N');
    expect(copyText('\\N')).toBe('\\\\N'); // the text, not NULL
  });

  it('writes other JSON values into text columns as their JSON text, as json_to_recordset reads them', () => {
    expect(copyText(42)).toBe('42');
    expect(copyText(true)).toBe('true');
    expect(copyText({ a: 'x\ty' })).toBe('{"a":"x\\\\ty"}');
  });

  it('doubles the backslashes of serialised JSON; a JSON null is NULL', () => {
    expect(copyJson(JSON.stringify({ a: 'x\ny\\' }))).toBe('{"a":"x\\\\ny\\\\\\\\"}');
    expect(copyJson('{"a":1}')).toBe('{"a":1}');
    expect(copyJson('null')).toBe('\\N');
  });

  it('writes a text[] as an array literal with every element quoted', () => {
    expect(copyTextArray(['a', 'b"c', 'd\\e'])).toBe('{"a","b\\\\"c","d\\\\\\\\e"}');
    expect(copyTextArray([])).toBe('{}');
    expect(copyTextArray(null)).toBe('\\N');
  });

  it('lines up a row with the columns of copySql', () => {
    const t = MODEL_TABLES.employees;
    const cols = copySql(t)
      .match(/\((.*)\)/)![1]
      .split(', ');
    const r = employeeRow('acme:1', bareEmployee('7', { first_name: 'Tab\there', group_remote_ids: ['g1'] }), 'src');
    const fields = copyLine(t, 'acme:1', '2026-11-30T05:00:00.000Z', r).replace(/\n$/, '').split('\t');
    expect(fields).toHaveLength(cols.length);
    const at = (c: string) => fields[cols.indexOf(c)];
    expect(at('integration_id')).toBe('acme:1');
    expect(at('id')).toBe(r.id);
    expect(at('data_hash')).toBe(r.hash);
    expect(JSON.parse(at('data').replace(/\\\\/g, '\\'))).toEqual(r.data);
    expect(at('group_ids')).toBe(`{"${r.columns.group_ids as string}"}`);
    expect(at('source_hash')).toBe('src');
    expect(at('changed_at')).toBe('2026-11-30T05:00:00.000Z');
    expect(at('remote_fields')).toBe(r.json.remote_fields ?? '{}');

    const g = groupRow('acme:1', { remote_id: 'g', name: null, type: null, parent_remote_id: null, remote_data: {} });
    const gl = copyLine(MODEL_TABLES.groups, 'acme:1', 'x', g).split('\t');
    expect(gl).toHaveLength(
      copySql(MODEL_TABLES.groups)
        .match(/\((.*)\)/)![1]
        .split(', ').length,
    );
    expect(gl.slice(-2)).toEqual(['\\N', '\\N\n']);
  });
});
