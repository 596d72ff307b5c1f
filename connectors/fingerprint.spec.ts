import { forgetSourceJson, sourceFingerprint, sourceJson } from './fingerprint';

describe('sourceJson', () => {
  it('writes what JSON.stringify writes, for any value', () => {
    const source = { id: { value: 7 }, name: 'Ada', gone: undefined, list: [1, undefined, 'x'], at: new Date(0) };
    sourceFingerprint('v1', source);
    const values: unknown[] = [
      null,
      undefined,
      'text',
      3,
      [source, 1],
      { plain: { nested: [1, 2] }, skipped: undefined, fn: () => 1 },
      { path: source, other: { b: 1 }, fn: () => 1, none: undefined },
      { toJSON: () => ({ replaced: true }), path: source },
      source,
    ];
    for (const v of values) expect(sourceJson(v)).toBe(JSON.stringify(v ?? null));
  });

  it('reuses the text a fingerprint serialised, until it is forgotten', () => {
    const source: Record<string, unknown> = { first_name: 'Ada' };
    sourceFingerprint('v1', source);
    const record = { '/company/employees': source };
    source.first_name = 'changed in place';
    // The remembered text is what was fingerprinted (sources are not meant to change)...
    expect(sourceJson(record)).toBe('{"/company/employees":{"first_name":"Ada"}}');
    // ...and a caller that changed one in place forgets it first.
    forgetSourceJson(record);
    expect(sourceJson(record)).toBe(JSON.stringify(record));
  });
});
