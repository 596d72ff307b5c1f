import { rowsOf } from './rows';

describe('rowsOf', () => {
  it('unwraps the [rows, count] answer of UPDATE/DELETE … RETURNING', () => {
    expect(rowsOf<{ id: string }>([[{ id: 'a' }], 1])).toEqual([{ id: 'a' }]);
    expect(rowsOf([[], 0])).toEqual([]);
  });

  it('passes the plain rows of SELECT and INSERT through', () => {
    expect(rowsOf([{ id: 'a' }, { id: 'b' }])).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(rowsOf([])).toEqual([]);
  });

  it('does not mistake two rows for a [rows, count] pair', () => {
    const two = [{ id: 'a' }, { id: 'b' }];
    expect(rowsOf(two)).toBe(two);
  });

  it('reads null and undefined as no rows', () => {
    expect(rowsOf(undefined)).toEqual([]);
    expect(rowsOf(null)).toEqual([]);
  });
});
