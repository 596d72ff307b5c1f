import type { PageMemo } from './connector';
import { forgetSourceJson, sourceFingerprint, sourceJson, summarizedBody } from './fingerprint';

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

describe('summarizedBody', () => {
  /** An in-memory PageMemo that counts what it is asked. */
  function memo(): PageMemo & { store: Map<string, string>; recalls: number; remembers: number } {
    const m = {
      store: new Map<string, string>(),
      recalls: 0,
      remembers: 0,
      recall: async (d: string) => (m.recalls++, m.store.get(d) ?? null),
      remember: (d: string, v: string) => (m.remembers++, m.store.set(d, v)),
    };
    return m;
  }
  type Summary = { ids: number[] };
  const isSummary = (v: unknown): v is Summary => Array.isArray((v as Summary | null)?.ids);
  const page = (ids: number[]) => Buffer.from(JSON.stringify({ data: ids.map((id) => ({ id, name: 'Zoë' })) }));
  let summarized = 0;
  const summarize = (body: unknown): Summary | null => {
    summarized++;
    const data = (body as { data?: Array<{ id: number }> } | null)?.data;
    return Array.isArray(data) ? { ids: data.map((d) => d.id) } : null;
  };
  beforeEach(() => (summarized = 0));

  it('summarises a body it never saw and remembers it; the same bytes later come back from the memo, parsed only on demand', async () => {
    const m = memo();
    const first = (await summarizedBody(m, 'v1', page([1, 2]), summarize, isSummary))!;
    expect(first).toMatchObject({ summary: { ids: [1, 2] }, recalled: false });
    expect(first.body()).toEqual({
      data: [
        { id: 1, name: 'Zoë' },
        { id: 2, name: 'Zoë' },
      ],
    });
    expect([summarized, m.remembers]).toEqual([1, 1]);

    const parse = jest.spyOn(JSON, 'parse');
    try {
      const again = (await summarizedBody(m, 'v1', page([1, 2]), summarize, isSummary))!;
      expect(again).toMatchObject({ summary: { ids: [1, 2] }, recalled: true });
      expect(summarized).toBe(1);
      expect(parse).toHaveBeenCalledTimes(1); // the summary's own small text, not the body
      expect(again.body()).toEqual(first.body());
      expect(again.body()).toBe(again.body()); // parsed once
      expect(parse).toHaveBeenCalledTimes(2);
    } finally {
      parse.mockRestore();
    }
    expect(m.remembers).toBe(1);
  });

  it('a body that differs by one byte, or another version, is summarised anew', async () => {
    const m = memo();
    await summarizedBody(m, 'v1', page([1, 2]), summarize, isSummary);
    expect((await summarizedBody(m, 'v1', page([1, 3]), summarize, isSummary))!.summary).toEqual({ ids: [1, 3] });
    expect((await summarizedBody(m, 'v2', page([1, 2]), summarize, isSummary))!.recalled).toBe(false);
    expect([summarized, m.store.size]).toEqual([3, 3]);
  });

  it('without a memo it only parses and summarises', async () => {
    const read = (await summarizedBody(undefined, 'v1', page([5]), summarize, isSummary))!;
    expect(read).toMatchObject({ summary: { ids: [5] }, recalled: false });
  });

  it('broken JSON is null and never remembered; a body the read cannot use is not remembered', async () => {
    const m = memo();
    expect(await summarizedBody(m, 'v1', Buffer.from('{"data": [1,'), summarize, isSummary)).toBeNull();
    expect((await summarizedBody(m, 'v1', Buffer.from('{"error": "x"}'), summarize, isSummary))!.summary).toBeNull();
    expect((await summarizedBody(m, 'v1', Buffer.from(''), summarize, isSummary))!.summary).toBeNull();
    expect(m.store.size).toBe(0);
  });

  it('a remembered value that is not a summary (or not JSON) is computed again and replaced', async () => {
    const m = memo();
    await summarizedBody(m, 'v1', page([1]), summarize, isSummary);
    const [digest] = m.store.keys();
    for (const bad of ['{"ids": "nope"}', '{broken']) {
      m.store.set(digest, bad);
      const read = (await summarizedBody(m, 'v1', page([1]), summarize, isSummary))!;
      expect(read).toMatchObject({ summary: { ids: [1] }, recalled: false });
      expect(m.store.get(digest)).toBe('{"ids":[1]}');
    }
  });
});
