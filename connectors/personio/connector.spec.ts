// The Personio connector against the Personio sandbox over real HTTP: reads
// stay exact under page shifts and faults, tokens are reused, check() names
// what is missing. Uploads, passthrough and attributes: connector-writes.spec.ts.
import { ConnectorError, type PageMemo, type ReadOptions } from '../connector';
import type { UnifiedBatch } from '../unified';
import { connector, TIME_SCALE, unique, usePersonioEnv } from './connector.spec-env';

const env = usePersonioEnv();
const { ctxFor, readAll, expectedIds, authCalls } = env;

describe('read', () => {
  it('returns every employee exactly once, page by page, with one auth for all pages', async () => {
    const c = env.sb.addCredential();
    const { batches, ids } = await readAll(ctxFor(c));
    unique(ids);
    expect([...ids].sort()).toEqual(expectedIds());
    expect(batches.length).toBe(3);
    expect(batches.every((b) => b.employees.length <= 100 && b.employments.length === b.employees.length)).toBe(true);
    expect(authCalls(c.clientId)).toBe(1);
    // A second read (another client instance, same credential) reuses the cached token.
    await readAll(ctxFor(c));
    expect(authCalls(c.clientId)).toBe(1);
  });

  it('emits each group, legal entity and location once per read, and every referenced one', async () => {
    const { batches } = await readAll(ctxFor());
    const groups = batches.flatMap((b) => b.groups.map((g) => g.remote_id));
    unique(groups);
    const referenced = new Set(batches.flatMap((b) => b.employees.flatMap((e) => e.group_remote_ids)));
    expect(new Set(groups)).toEqual(referenced);
    expect(groups.some((g) => g.startsWith('department:'))).toBe(true);
    unique(batches.flatMap((b) => b.legal_entities.map((l) => l.remote_id)));
    unique(batches.flatMap((b) => b.locations.map((l) => l.remote_id)));
  });

  it('stays exact when a record is inserted between pages', async () => {
    env.sb.setFaults({ shiftRecordsBetweenPages: 'insert' });
    const before = env.sb.employeeIds().length;
    const { ids } = await readAll(ctxFor());
    expect(env.sb.employeeIds().length).toBe(before + 1);
    expect(env.logLines.some((l) => l.includes('reading again'))).toBe(true);
    unique(ids);
    expect([...ids].sort()).toEqual(expectedIds());
  });

  it('misses no one when a record is deleted between pages (the deleted one may have been yielded already)', async () => {
    const before = new Set(env.sb.employeeIds().map(String));
    env.sb.setFaults({ shiftRecordsBetweenPages: 'delete' });
    const { ids } = await readAll(ctxFor());
    const after = new Set(expectedIds());
    expect(after.size).toBe(before.size - 1);
    unique(ids);
    for (const id of after) expect(ids).toContain(id);
    for (const id of ids.filter((i) => !after.has(i))) expect(before.has(id)).toBe(true);
  });

  it('is exact (or fails with a typed transient error) under 5xx, resets and truncated JSON', async () => {
    env.sb.setFaults({ serverErrorRate: 0.2, resetRate: 0.1, truncatedJsonRate: 0.1 });
    let outcome = 'exact';
    try {
      const { ids } = await readAll(ctxFor());
      unique(ids);
      expect([...ids].sort()).toEqual(expectedIds());
    } catch (e) {
      expect(e).toBeInstanceOf(ConnectorError);
      expect((e as ConnectorError).transient).toBe(true);
      outcome = 'typed error';
    }
    // The sandbox's faults are seeded, so this run is reproducible: it recovers.
    expect(outcome).toBe('exact');
    expect(env.logLines.some((l) => l.includes('retrying'))).toBe(true);
  });

  it('backs off through a burst of 429s', async () => {
    const rateLimited: number[] = [];
    env.sb.setFaults({ rateLimitBurst: 5 });
    const { ids } = await readAll(ctxFor(undefined, { stats: { rateLimited: (e) => rateLimited.push(e.delayMs) } }));
    expect([...ids].sort()).toEqual(expectedIds());
    expect(rateLimited.length).toBeGreaterThanOrEqual(5);
    // Personio sends no Retry-After and asks for >= 1 s (scaled with the sandbox clock).
    expect(Math.min(...rateLimited)).toBeGreaterThanOrEqual(1000 / TIME_SCALE);
  });

  it('re-authenticates once when the token is revoked mid-read', async () => {
    const c = env.sb.addCredential();
    env.sb.setFaults({ revokeTokensAfterRequests: 1 });
    const { ids } = await readAll(ctxFor(c));
    expect([...ids].sort()).toEqual(expectedIds());
    expect(authCalls(c.clientId)).toBe(2);
  });

  it('delta read with updated_since returns the changed employees', async () => {
    env.sb.advanceClock(3 * 24 * 3600_000);
    const since = env.sb.now();
    env.sb.advanceClock(60_000);
    const [a, b] = env.sb.employeeIds();
    env.sb.change(a, { position: 'Chief Learning Officer' });
    env.sb.terminate(b, '2020-01-31');
    const { ids, batches } = await readAll(ctxFor(), since);
    unique(ids);
    expect(ids).toEqual(expect.arrayContaining([String(a), String(b)]));
    expect(ids.length).toBeLessThan(env.sb.employeeIds().length / 2);
    const employees = batches.flatMap((x) => x.employees);
    expect(employees.find((e) => e.remote_id === String(a))?.job_title).toBe('Chief Learning Officer');
    expect(employees.find((e) => e.remote_id === String(b))).toMatchObject({ employment_status: 'INACTIVE', termination_date: '2020-01-31T00:00:00.000Z' });
  });

  it('a full read through the page memo yields what a plain read yields; a second takes unchanged pages from it; a delta never uses it', async () => {
    const store = new Map<string, string>();
    const asked = { recalls: 0, hits: 0, remembers: 0 };
    const pageMemo: PageMemo = {
      recall: async (d) => (asked.recalls++, store.has(d) && asked.hits++, store.get(d) ?? null),
      remember: (d, v) => (asked.remembers++, store.set(d, v)),
    };
    const ctx = ctxFor();
    const read = async (opts: ReadOptions) => {
      const out: UnifiedBatch[] = [];
      for await (const b of connector.read(ctx, opts)) out.push(b);
      return out;
    };
    // What a batch is: its fingerprints, and its records once read.
    const shape = (batches: UnifiedBatch[]) =>
      batches.map((b) => ({ fingerprints: [...b.source_fingerprints!], employees: b.employees, employments: b.employments, groups: b.groups }));

    const plain = shape(await read({}));
    expect(asked).toEqual({ recalls: 0, hits: 0, remembers: 0 });
    const first = await read({ pageMemo });
    expect(asked).toEqual({ recalls: 3, hits: 0, remembers: 3 });
    const second = await read({ pageMemo });
    expect(asked).toEqual({ recalls: 6, hits: 3, remembers: 3 });
    expect(shape(first)).toEqual(plain);
    expect(shape(second)).toEqual(plain);

    // One person changed: that page alone is summarised (and remembered) anew.
    const [id] = env.sb.employeeIds().slice(-1);
    env.sb.change(id, { position: 'Memo tester' });
    const third = await read({ pageMemo });
    expect(asked).toEqual({ recalls: 9, hits: 5, remembers: 4 });
    expect(third.flatMap((b) => b.employees).find((e) => e.remote_id === String(id))?.job_title).toBe('Memo tester');

    await read({ pageMemo, since: new Date(env.sb.now().getTime() - 3600_000) });
    expect(asked).toMatchObject({ recalls: 9, remembers: 4 });
  });

  it('stops with ABORTED when the signal fires', async () => {
    const ac = new AbortController();
    env.sb.setFaults({ latencyMs: 50 });
    const iterator = connector.read(ctxFor(undefined, { signal: ac.signal }))[Symbol.asyncIterator]();
    await iterator.next();
    ac.abort();
    await expect(iterator.next()).rejects.toMatchObject({ kind: 'ABORTED' });
  });

  it('never logs or throws secrets', async () => {
    const c = env.sb.addCredential();
    await readAll(ctxFor(c));
    const err = await readAll(ctxFor({ ...c, clientSecret: 'wrong-secret-value' })).catch((e) => e);
    expect(err).toMatchObject({ kind: 'AUTH_FAILED' });
    const everything = env.logLines.join('\n') + JSON.stringify(err) + String(err.stack);
    expect(everything).not.toContain(c.clientSecret);
    expect(everything).not.toContain('wrong-secret-value');
    expect(everything).not.toMatch(/papi-[A-Za-z0-9_-]{20,}/);
  });
});

describe('check', () => {
  it('passes with full access', async () => {
    await expect(connector.check(ctxFor())).resolves.toEqual({ ok: true, missing: [] });
  });

  it('names each missing attribute and the missing documents permission in plain words', async () => {
    const c = env.sb.addCredential();
    env.sb.setWhitelist(c.clientId, ['first_name', 'last_name', 'email', 'position', 'status', 'hire_date'], ['employees:read']);
    const r = await connector.check(ctxFor(c));
    expect(r.ok).toBe(false);
    const keys = r.missing.map((m) => m.key);
    expect(keys).toEqual(expect.arrayContaining(['last_modified_at', 'team', 'cost_centers', 'weekly_working_hours', 'documents:write', 'documents:read']));
    expect(keys).not.toContain('first_name');
    expect(r.missing.find((m) => m.key === 'last_modified_at')?.message).toMatch(/"Last modified"/);
  });

  it('reports bad credentials as AUTH', async () => {
    const r = await connector.check(ctxFor({ ...env.sb.defaultCredential, clientSecret: 'nope' }));
    expect(r).toMatchObject({ ok: false, error: { kind: 'AUTH' } });
  });

  it('reports an unreachable Personio as UNREACHABLE', async () => {
    const r = await connector.check({ ...ctxFor(), baseUrl: 'http://127.0.0.1:9' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'UNREACHABLE' } });
  });
});
