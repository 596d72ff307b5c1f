import { ConnectorError } from '../connector';
import { personioEmployeeId } from './attributes';
import { readListConsistently, type ListPage, type PagingOptions } from './paging';
import type { PersonioEmployee, PersonioListResponse } from './types';

type FetchPage = (offset: number, limit: number) => Promise<PersonioListResponse<PersonioEmployee>>;

/** The fields of a list response paging reads. */
function listPageOf(page: PersonioListResponse<PersonioEmployee>): ListPage {
  const t = page.metadata?.total_elements;
  return { total: typeof t === 'number' && Number.isFinite(t) ? t : null, limit: page.limit, ids: page.data.map(personioEmployeeId) };
}

/** Employees never yielded before in the read, page by page, from parsed responses. */
async function* readEmployeesConsistently(
  fetchPage: FetchPage,
  opts: Omit<PagingOptions, 'onSkipped'> & { onSkipped?(raw: PersonioEmployee): void },
): AsyncGenerator<PersonioEmployee[]> {
  const fetchList = async (offset: number, limit: number) => {
    const page = await fetchPage(offset, limit);
    return { ...listPageOf(page), data: page.data };
  };
  const { onSkipped } = opts;
  for await (const { page, fresh } of readListConsistently(fetchList, { ...opts, onSkipped: onSkipped && ((p, i) => onSkipped(p.data[i])) }))
    yield fresh.map((i) => page.data[i]);
}

const person = (id: number): PersonioEmployee => ({ type: 'Employee', attributes: { id: { value: id } } });

/** An in-memory list served with offset pagination; `between` mutates it before a given call. */
function server(ids: number[], between: (call: number, list: number[]) => void = () => {}, opts: { ignoreOffset?: boolean; noTotal?: boolean } = {}) {
  const list = [...ids];
  let calls = 0;
  const fetch: FetchPage = async (offset, limit) => {
    between(++calls, list);
    const from = opts.ignoreOffset ? 0 : offset;
    const slice = opts.ignoreOffset ? list : list.slice(from, from + limit);
    return { success: true, metadata: opts.noTotal ? undefined : { total_elements: list.length }, offset: from, limit, data: slice.map(person) };
  };
  return { fetch, list, calls: () => calls };
}

async function collect(fetch: FetchPage, maxPasses = 3) {
  const out: string[] = [];
  const repasses: string[] = [];
  for await (const page of readEmployeesConsistently(fetch, { pageSize: 10, maxPasses, onRepass: (i) => repasses.push(i.reason) })) {
    out.push(...page.map((e) => String(e.attributes.id!.value)));
  }
  return { out, repasses };
}

const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);

describe('readEmployeesConsistently', () => {
  it('reads a stable list in one pass, page by page', async () => {
    const s = server(range(35));
    const { out, repasses } = await collect(s.fetch);
    expect(out).toEqual(range(35).map(String));
    expect(repasses).toEqual([]);
    expect(s.calls()).toBe(4);
  });

  it('an empty company is one request', async () => {
    const s = server([]);
    expect((await collect(s.fetch)).out).toEqual([]);
    expect(s.calls()).toBe(1);
  });

  it('a delete before the offset between pages would skip a record; a second pass finds it', async () => {
    const s = server(range(35), (call, list) => {
      if (call === 2) list.splice(0, 1); // employee 1 leaves after page 1 was read
    });
    const { out, repasses } = await collect(s.fetch);
    // Employee 11 shifted into page 1's range and was missed by pass 1, then found by pass 2.
    expect(new Set(out).size).toBe(out.length);
    expect(out.sort()).toEqual(range(35).map(String).sort());
    expect(repasses).toEqual(['total changed between pages']);
  });

  it('an insert before the offset repeats a record; it is yielded once only', async () => {
    const s = server(range(25), (call, list) => {
      if (call === 2) list.unshift(100);
    });
    const { out } = await collect(s.fetch);
    expect(new Set(out).size).toBe(out.length);
    expect(out.sort()).toEqual([...range(25), 100].map(String).sort());
  });

  it('gives up with a typed error when the list never settles', async () => {
    let next = 1000;
    const s = server(range(30), (call, list) => {
      if (call > 1) list.unshift(next++);
    });
    const err = await collect(s.fetch, 2).catch((e) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ kind: 'UPSTREAM_UNAVAILABLE' });
    expect(err.message).toMatch(/kept changing/);
  });

  it('stops when the server ignores offset (updated_since without pagination)', async () => {
    const s = server(range(23), () => {}, { ignoreOffset: true });
    const { out } = await collect(s.fetch);
    expect(out).toEqual(range(23).map(String));
    expect(s.calls()).toBe(2);
  });

  it('without total_elements, a short page ends the read', async () => {
    const s = server(range(20), () => {}, { noTotal: true });
    const { out } = await collect(s.fetch);
    expect(out).toHaveLength(20);
    expect(s.calls()).toBe(3);
  });

  it('skips records without id instead of failing (they still count towards the total)', async () => {
    const fetch: FetchPage = async () => ({ success: true, metadata: { total_elements: 2 }, data: [person(1), { attributes: {} }] });
    const skipped: unknown[] = [];
    const out: PersonioEmployee[] = [];
    for await (const p of readEmployeesConsistently(fetch, { pageSize: 10, maxPasses: 1, onSkipped: (r) => skipped.push(r) })) out.push(...p);
    expect(out).toHaveLength(1);
    expect(skipped).toHaveLength(1);
  });

  it('with lookahead, pages are requested before the current one is read, yet read in order and checked alike', async () => {
    let inFlight = 0;
    let most = 0;
    const s = server(range(95));
    const slow: FetchPage = async (offset, limit) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return s.fetch(offset, limit);
    };
    const out: string[] = [];
    for await (const page of readEmployeesConsistently(slow, { pageSize: 10, maxPasses: 3, lookahead: 2 }))
      out.push(...page.map((e) => String(e.attributes.id!.value)));
    expect(out).toEqual(range(95).map(String));
    expect(most).toBe(2);
    expect(s.calls()).toBe(10); // nothing requested twice, nothing past the total

    // A delete between pages still makes a second pass, which finds the record the first skipped.
    const d = server(range(35), (call, list) => call === 3 && list.splice(0, 1));
    const again: string[] = [];
    for await (const page of readEmployeesConsistently(d.fetch, { pageSize: 10, maxPasses: 3, lookahead: 2 }))
      again.push(...page.map((e) => String(e.attributes.id!.value)));
    expect(new Set(again)).toEqual(new Set(range(35).map(String)));
  });
});
