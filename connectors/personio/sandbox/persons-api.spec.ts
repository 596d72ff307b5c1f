import { PersonioSandbox, startPersonioSandbox } from './index';
import { get, token, v2, v2Token } from './testing';

const NOW = new Date('2026-03-02T09:30:00Z');
let sb: PersonioSandbox;
let t: string;
beforeAll(async () => {
  sb = await startPersonioSandbox({ employees: 30, now: NOW, rateLimits: false });
  t = await v2Token(sb);
});
afterAll(() => sb.close());

describe('v2 persons and employments (read-after-event)', () => {
  it('GET /v2/persons/{id} shows the same person as v1 GET /company/employees/{id}, with its employment id', async () => {
    const { id } = sb.hire({ first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' });
    const p = await v2(sb, 'GET', `/v2/persons/${id}`, t);
    expect(p.status).toBe(200);
    expect(p.json).toMatchObject({
      id: String(id),
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.com',
      status: 'ACTIVE',
      employments: [{ id: sb.employmentId(id) }],
      _meta: { links: { employments: { href: `${sb.url}/v2/persons/${id}/employments` } } },
    });
    const v1 = await get(sb, `/v1/company/employees/${id}`, await token(sb));
    expect(v1.json.data.attributes.first_name.value).toBe('Ada');
    expect((await v2(sb, 'GET', '/v2/persons/999999', t)).status).toBe(404);
  });

  it('lists persons 10 per page by default (max 50) with a next cursor, and filters by id, email and updated_at.gt', async () => {
    const first = await v2(sb, 'GET', '/v2/persons', t);
    expect(first.json._data).toHaveLength(10);
    const next = new URL(first.json._meta.links.next.href);
    const second = await v2(sb, 'GET', `${next.pathname}${next.search}`, t);
    expect(second.json._data[0].id).not.toBe(first.json._data[0].id);
    expect((await v2(sb, 'GET', '/v2/persons?limit=51', t)).status).toBe(400);
    expect((await v2(sb, 'GET', '/v2/persons?updated_at.gte=2026-01-01T00:00:00Z', t)).status).toBe(400);
    const [a, b] = sb.employeeIds();
    expect((await v2(sb, 'GET', `/v2/persons?id=${a},${b}`, t)).json._data.map((p: { id: string }) => p.id)).toEqual([String(a), String(b)]);
    sb.advanceClock(60_000);
    const mark = sb.now().toISOString();
    sb.advanceClock(1000);
    sb.change(b, { last_name: 'Changed' });
    expect((await v2(sb, 'GET', `/v2/persons?updated_at.gt=${mark}`, t)).json._data.map((p: { id: string }) => p.id)).toEqual([String(b)]);
  });

  it("serves the person's employment, and 404s an employment id of someone else", async () => {
    const [a, b] = sb.employeeIds();
    sb.change(a, { position: 'Engineer', weekly_working_hours: '32' });
    const list = await v2(sb, 'GET', `/v2/persons/${a}/employments`, t);
    expect(list.json._data).toEqual([
      expect.objectContaining({
        id: sb.employmentId(a),
        position: { title: 'Engineer' },
        weekly_working_hours: 32,
        person: { id: String(a) },
        type: expect.stringMatching(/^(INTERNAL|EXTERNAL)$/),
      }),
    ]);
    expect((await v2(sb, 'GET', `/v2/persons/${a}/employments/${sb.employmentId(a)}`, t)).json.id).toBe(sb.employmentId(a));
    expect((await v2(sb, 'GET', `/v2/persons/${a}/employments/${sb.employmentId(b)}`, t)).status).toBe(404);
    sb.terminate(a, '2026-03-31');
    const terminated = await v2(sb, 'GET', `/v2/persons/${a}/employments/${sb.employmentId(a)}`, t);
    expect(terminated.json).toMatchObject({ employment_end_date: '2026-03-31', termination: { termination_date: '2026-03-31', type: 'EMPLOYEE' } });
  });

  it('leaves out attributes the credential may not read and needs personio:persons:read', async () => {
    const c = sb.addCredential({ attributes: ['first_name'] });
    const limited = await v2Token(sb, c);
    const [a] = sb.employeeIds();
    const p = await v2(sb, 'GET', `/v2/persons/${a}`, limited);
    expect(p.json).toHaveProperty('first_name');
    expect(p.json).not.toHaveProperty('last_name');
    expect(p.json).not.toHaveProperty('email');
    const webhooksOnly = await v2Token(sb, sb.defaultCredential, 'personio:webhooks:read');
    expect((await v2(sb, 'GET', `/v2/persons/${a}`, webhooksOnly)).status).toBe(403);
  });

  it('limits persons reads with a token bucket (100, 30/s) and x-ratelimit-* headers; 429 without Retry-After', async () => {
    const limited = await startPersonioSandbox({ employees: 10, now: NOW });
    try {
      const lt = await v2Token(limited);
      const [id] = limited.employeeIds();
      const first = await v2(limited, 'GET', `/v2/persons/${id}`, lt);
      expect(first.headers.get('x-ratelimit-burst-capacity')).toBe('100');
      expect(first.headers.get('x-ratelimit-replenish-rate')).toBe('30');
      expect(Number(first.headers.get('x-ratelimit-remaining'))).toBe(99);
      // 150 at once: far more than the bucket holds plus what refills meanwhile.
      const burst = await Promise.all(Array.from({ length: 150 }, () => v2(limited, 'GET', `/v2/persons/${id}/employments`, lt)));
      const refused = burst.find((r) => r.status === 429);
      expect(refused).toBeDefined();
      expect(refused!.headers.get('retry-after')).toBeNull();
      expect(refused!.headers.get('x-ratelimit-remaining')).toBe('0');
      limited.advanceClock(1000);
      expect((await v2(limited, 'GET', `/v2/persons/${id}`, lt)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
