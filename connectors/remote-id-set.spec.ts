import fc from 'fast-check';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { IntegerSet, RemoteIdSet } from './remote-id-set';

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

describe('IntegerSet', () => {
  it('behaves as a Set<number> under adds and deletes, across growth and the switch to 64-bit slots', () => {
    // Few distinct values, so deletes hit and probe runs collide; some beyond 32 bits.
    const n = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(2 ** 32 - 1, 2 ** 32, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER, 999_999_999_999_999));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('add', 'add', 'delete'), n), { maxLength: 600 }), fc.array(n), (ops, probes) => {
        const mine = new IntegerSet();
        const ref = new Set<number>();
        for (const [op, v] of ops) {
          if (op === 'add') {
            mine.add(v);
            ref.add(v);
          } else expect(mine.delete(v)).toBe(ref.delete(v));
        }
        expect(mine.size).toBe(ref.size);
        expect([...mine].sort((a, b) => a - b)).toEqual([...ref].sort((a, b) => a - b));
        for (const p of [...probes, ...ref]) expect(mine.has(p)).toBe(ref.has(p));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps 100,000 ids without growing the V8 heap by more than a few hundred KB (a Set<number> takes ~2.6 MB)', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = getHeapStatistics().used_heap_size;
    const s = new RemoteIdSet();
    for (let i = 0; i < 100_000; i++) s.add(String(1_000_000 + i * 7));
    gc();
    const grown = getHeapStatistics().used_heap_size - before;
    expect(s.size).toBe(100_000);
    expect(grown).toBeLessThan(512 * 1024);
  });
});
