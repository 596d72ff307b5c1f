import { localDay } from './dates';
import { generate } from './generator';
import { startPersonioSandbox } from './index';
import { EmployeeRecord } from './model';
import { get, token } from './testing';

const NOW = Date.parse('2026-03-02T09:30:00Z');

describe('generator', () => {
  it('gives byte-identical pages for the same seed and different ones for another seed', async () => {
    const pages = async (seed: number) => {
      const sb = await startPersonioSandbox({ employees: 300, seed, now: new Date(NOW) });
      const t = await token(sb);
      const out = [];
      for (let offset = 0; offset < 300; offset += 100) {
        out.push((await get(sb, `/v1/company/employees?limit=100&offset=${offset}`, t)).text.replaceAll(sb.url, 'URL'));
      }
      await sb.close();
      return out;
    };
    const [a, b, c] = await Promise.all([pages(7), pages(7), pages(8)]);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('rejects sizes outside 10..200000', () => {
    expect(() => generate(9, 1, NOW, 60)).toThrow(/between 10 and 200000/);
    expect(() => generate(200_001, 1, NOW, 60)).toThrow(/between 10 and 200000/);
  });

  describe('a company of 5000', () => {
    const { employees, company } = generate(5000, 3, NOW, 60);
    const today = localDay(NOW, 60);
    const byStatus = (s: EmployeeRecord['status']) => employees.filter((e) => e.status === s);

    it('has every status with consistent dates', () => {
      for (const s of ['onboarding', 'active', 'leave', 'inactive'] as const) expect(byStatus(s).length).toBeGreaterThan(50);
      expect(byStatus('onboarding').filter((e) => e.hireDay <= today)).toEqual([]);
      const badLeavers = byStatus('inactive').filter(
        (e) =>
          e.terminationDay === null ||
          e.terminationDay >= today ||
          e.terminationDay <= e.hireDay ||
          e.lastWorkingDay === null ||
          e.lastWorkingDay > e.terminationDay,
      );
      expect(badLeavers).toEqual([]);
      const futureLeavers = employees.filter((e) => e.status === 'active' && e.terminationDay !== null);
      expect(futureLeavers.length).toBeGreaterThan(20);
      expect(futureLeavers.filter((e) => e.terminationDay! < today)).toEqual([]);
      expect(employees.filter((e) => e.createdAt > e.lastModifiedAt || e.lastModifiedAt > NOW)).toEqual([]);
    });

    it('has a supervisor tree, org structure and the variety the connector must handle', () => {
      const ids = new Set(employees.map((e) => e.id));
      expect(employees.filter((e) => e.supervisorId === null)).toHaveLength(1);
      expect(employees.filter((e) => e.supervisorId !== null && !(ids.has(e.supervisorId) && e.supervisorId < e.id))).toEqual([]);
      expect(company.subcompanies.length).toBeGreaterThanOrEqual(3);
      expect(company.offices.length).toBeGreaterThanOrEqual(3);
      expect(new Set(employees.map((e) => e.team)).size).toBeGreaterThan(50);
      expect(employees.some((e) => e.external)).toBe(true);
      expect(new Set(employees.map((e) => e.weeklyHours))).toEqual(new Set(['40', '38.5', '32', '20', '30']));
      expect(employees.some((e) => /[äöüßéèñøåłçš]/i.test(e.firstName + e.lastName))).toBe(true);
      const emails = employees.map((e) => e.email).filter(Boolean);
      expect(emails.length).toBeLessThan(employees.length);
      expect(new Set(emails).size).toBe(emails.length);
      expect(emails.filter((m) => !/^[a-z0-9.-]+@nordlicht\.example$/.test(m))).toEqual([]);
      const tags = employees.map((e) => e.custom[5]).filter((t) => t !== '') as string[];
      expect(tags.some((t) => t.startsWith('["'))).toBe(true);
      expect(tags.some((t) => !t.startsWith('[') && t.includes(', '))).toBe(true);
    });
  });
});
