import { PersonioSandbox, startPersonioSandbox } from './index';
import { CoolDownLimiter, SlidingWindow } from './rate-limit';
import { get, token } from './testing';

const NOW = new Date('2026-03-02T09:30:00Z');
const TOO_MANY = { success: false, error: { code: 429, message: 'Too Many Attempts.' } };

describe('rate limiters', () => {
  it('slide and count only accepted hits', () => {
    const w = new SlidingWindow(3, 1000);
    expect([0, 10, 20, 30].map((t) => w.take('a', t))).toEqual([true, true, true, false]);
    expect(w.take('b', 30)).toBe(true);
    expect(w.take('a', 1001)).toBe(true);
    expect(w.take('a', 1005)).toBe(false);
  });

  it('lock out for the cool-down once exceeded', () => {
    const l = new CoolDownLimiter(2, 1000, 5000);
    expect([0, 1, 2].map((t) => l.take('a', t))).toEqual([true, true, false]);
    expect(l.take('a', 3000)).toBe(false);
    expect(l.take('a', 5003)).toBe(true);
  });
});

describe('per-client limits over HTTP', () => {
  let sb: PersonioSandbox;
  beforeEach(async () => {
    sb = await startPersonioSandbox({ employees: 10, now: NOW });
  });
  afterEach(() => sb.close());

  it('employees: 15/s burst then 429 without Retry-After; another client is unaffected', async () => {
    const t = await token(sb);
    const statuses = [];
    for (let i = 0; i < 16; i++) statuses.push((await get(sb, '/v1/company/employees?limit=1', t)).status);
    expect(statuses.slice(0, 15).every((s) => s === 200)).toBe(true);
    const limited = await get(sb, '/v1/company/employees?limit=1', t);
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual(TOO_MANY);
    expect(limited.headers.get('retry-after')).toBeNull();
    const other = await token(sb, sb.addCredential());
    expect((await get(sb, '/v1/company/employees?limit=1', other)).status).toBe(200);
    expect((await get(sb, '/v1/company/document-categories', t)).status).toBe(200); // burst is per endpoint
  });

  it('employees: 300 per minute even when every second stays under the burst', async () => {
    const t = await token(sb);
    for (let s = 0; s < 20; s++) {
      const rs = await Promise.all(Array.from({ length: 15 }, () => get(sb, '/v1/company/employees?limit=1', t)));
      expect(rs.map((r) => r.status).filter((x) => x !== 200)).toEqual([]);
      sb.advanceClock(1000);
    }
    expect((await get(sb, '/v1/company/employees?limit=1', t)).status).toBe(429);
    sb.advanceClock(41_000);
    expect((await get(sb, '/v1/company/employees?limit=1', t)).status).toBe(200);
  });

  it('documents: 60 uploads per minute', async () => {
    const t = await token(sb);
    const upload = () => fetch(`${sb.url}/v1/company/documents`, { method: 'POST', headers: { authorization: `Bearer ${t}` }, body: new FormData() });
    const statuses = await Promise.all(Array.from({ length: 61 }, upload)).then((rs) => rs.map((r) => r.status));
    expect(statuses.filter((s) => s === 422)).toHaveLength(60);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
  });

  it('2000 calls per minute per client overall', async () => {
    const t = await token(sb);
    let ok = 0;
    for (let batch = 0; batch < 40; batch++) {
      const rs = await Promise.all(Array.from({ length: 50 }, () => get(sb, '/v1/company/document-categories', t)));
      ok += rs.filter((r) => r.status === 200).length;
    }
    expect(ok).toBe(2000);
    expect((await get(sb, '/v1/company/employees/attributes', t)).status).toBe(429);
  });

  it('rateLimits: false switches every limit off', async () => {
    const free = await startPersonioSandbox({ employees: 10, now: NOW, rateLimits: false });
    const t = await token(free);
    const rs = await Promise.all(Array.from({ length: 40 }, () => get(free, '/v1/company/employees?limit=1', t)));
    expect(rs.every((r) => r.status === 200)).toBe(true);
    await free.close();
  });
});
