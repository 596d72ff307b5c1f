import fc from 'fast-check';
import { RemoteIdSet } from './remote-id-set';

describe('RemoteIdSet', () => {
  it('behaves as a Set<string> for any ids, numeric or not', () => {
    const id = fc.oneof(
      fc.nat().map(String),
      fc.nat().map((n) => `employment:${n}`),
      fc.constantFrom(
        '0',
        '00',
        '007',
        '-1',
        '1.5',
        '1e3',
        ' 1',
        '1 ',
        '',
        'employment:',
        'employment:01',
        '9007199254740993',
        '123456789012345',
        '1234567890123456',
      ),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('add', 'delete'), id)), fc.array(id), (ops, probes) => {
        const mine = new RemoteIdSet();
        const ref = new Set<string>();
        for (const [op, v] of ops) {
          if (op === 'add') {
            mine.add(v);
            ref.add(v);
          } else {
            expect(mine.delete(v)).toBe(ref.delete(v));
          }
        }
        expect(mine.size).toBe(ref.size);
        expect([...mine].sort()).toEqual([...ref].sort());
        for (const p of [...probes, ...ref]) expect(mine.has(p)).toBe(ref.has(p));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps numeric ids out of string storage (what makes it small)', () => {
    const s = new RemoteIdSet(['4711', 'employment:4711', '0', 'name:Berlin', '0042']);
    expect(s.size).toBe(5);
    expect(s.has('4711') && s.has('employment:4711') && s.has('0042') && s.has('name:Berlin')).toBe(true);
    expect(s.has('42') || s.has('employment:42') || s.has('04711')).toBe(false);
  });
});
