import { Company, POSITIONS, generateCompany } from './company';
import { DAY_MS, dayStartMs, localDay } from './dates';
import { CUSTOM_ATTRIBUTES, EmployeeRecord, Gender } from './model';
import { FIRST_NAMES_DIVERSE, FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, LAST_NAMES, emailLocalPart } from '../../sandbox-kit/names';
import { Rng, deriveSeed } from '../../sandbox-kit/random';

export const MIN_EMPLOYEES = 10;
export const MAX_EMPLOYEES = 200_000;

export interface GeneratedCompany {
  company: Company;
  employees: EmployeeRecord[];
  nextId: number;
}

/** Everything one new employee needs besides randomness: shared by the bulk generator and hire(). */
export class EmployeeFactory {
  private readonly teamsByDepartment: number[][];
  private readonly usedEmails = new Set<string>();
  /** Next numeric suffix per local part: keeps unique emails O(1) for 200k people with few distinct names. */
  private readonly emailSuffix = new Map<string, number>();

  constructor(
    readonly company: Company,
    readonly offsetMinutes: number,
  ) {
    this.teamsByDepartment = company.departments.map(() => []);
    company.teamDepartment.forEach((dept, team) => this.teamsByDepartment[dept].push(team));
  }

  releaseEmail(email: string): void {
    this.usedEmails.delete(email.toLowerCase());
  }

  claimEmail(email: string): void {
    if (email) this.usedEmails.add(email.toLowerCase());
  }

  make(rng: Rng, id: number, supervisorId: number | null, nowMs: number, forceStatus?: 'active'): EmployeeRecord {
    const e = new EmployeeRecord();
    const c = this.company;
    const today = localDay(nowMs, this.offsetMinutes);
    e.id = id;
    e.supervisorId = supervisorId;
    const g = rng.next();
    e.gender = (g < 0.48 ? 'male' : g < 0.96 ? 'female' : 'diverse') as Gender;
    e.firstName = rng.pick(e.gender === 'male' ? FIRST_NAMES_MALE : e.gender === 'female' ? FIRST_NAMES_FEMALE : FIRST_NAMES_DIVERSE);
    e.lastName = rng.pick(LAST_NAMES);
    e.preferredName = rng.chance(0.85) ? `${e.firstName} ${e.lastName}` : '';
    e.email = rng.chance(0.015) ? '' : this.uniqueEmail(e.firstName, e.lastName);

    e.subcompany = rng.index(c.subcompanies.length);
    e.office = rng.index(c.offices.length);
    e.holidayCalendar = c.officeCalendar[e.office];
    e.department = rng.chance(0.97) ? rng.index(c.departments.length) : -1;
    const teams = e.department >= 0 ? this.teamsByDepartment[e.department] : [];
    e.team = teams.length > 0 && rng.chance(0.9) ? rng.pick(teams) : -1;
    const deptName = e.department >= 0 ? c.departments[e.department].name : 'default';
    e.position = rng.chance(0.03) ? '' : rng.pick(POSITIONS[deptName] ?? POSITIONS.default);
    const cc = rng.next();
    if (cc < 0.8) e.costCenters = [rng.index(c.costCenters.length), 100];
    else if (cc < 0.9) e.costCenters = [rng.index(c.costCenters.length), 60, rng.index(c.costCenters.length), 40];

    e.external = rng.chance(0.08);
    e.schedule = rng.chance(0.75) ? rng.index(2) : 2 + rng.index(c.workSchedules.length - 2);
    e.weeklyHours = String(c.workSchedules[e.schedule].weeklyHours);
    if (e.external) {
      e.hourlySalary = rng.int(45, 120);
    } else {
      e.fixSalary = rng.int(50, 180) * 50;
      e.salaryInterval = 'monthly';
    }
    e.entitlement = rng.int(24, 30);
    e.hasPicture = rng.chance(0.6);

    this.lifecycle(e, rng, today, nowMs, forceStatus);
    e.custom = this.customValues(e, rng, today);
    return e;
  }

  private lifecycle(e: EmployeeRecord, rng: Rng, today: number, nowMs: number, forceStatus?: 'active'): void {
    const r = forceStatus ? 1 : rng.next();
    if (r < 0.1 && r >= 0.07) {
      e.status = 'onboarding';
      e.hireDay = today + rng.int(1, 90);
      e.createdAt = nowMs - rng.int(1, 30) * DAY_MS - rng.int(0, 86_399) * 1000;
    } else {
      e.hireDay = today - rng.int(30, 4000);
      e.createdAt = dayStartMs(e.hireDay, this.offsetMinutes) - rng.int(7, 60) * DAY_MS + rng.int(0, 86_399) * 1000;
      e.status = r < 0.14 && r >= 0.1 ? 'leave' : 'active';
      if (r < 0.07) {
        e.status = 'inactive';
        e.terminationDay = Math.max(e.hireDay + 20, today - rng.int(1, 360));
        if (e.terminationDay >= today) e.terminationDay = today - 1;
      } else if (r < 0.17 && r >= 0.14) {
        e.terminationDay = today + rng.int(1, 120);
      }
      if (e.terminationDay !== null) {
        e.lastWorkingDay = e.terminationDay - (rng.chance(0.3) ? rng.int(1, 14) : 0);
        e.terminationType = rng.pick(['employee', 'employer', 'mutual agreement']);
        e.terminationReason = rng.pick(['Neue Herausforderung', 'Relocation', 'Ruhestand', '']);
      }
    }
    if (rng.chance(0.15)) {
      const end = e.hireDay + 365 * rng.int(1, 3);
      e.contractEndDay = e.terminationDay !== null ? e.terminationDay : Math.max(end, today + rng.int(1, 300));
    }
    if (rng.chance(0.6)) e.probationEndDay = e.hireDay + 182;
    const span = Math.max(1000, nowMs - 3_600_000 - e.createdAt);
    e.lastModifiedAt = Math.min(nowMs - 1000, e.createdAt + Math.floor(rng.next() * span));
    if (e.lastModifiedAt < e.createdAt) e.lastModifiedAt = e.createdAt;
  }

  private customValues(e: EmployeeRecord, rng: Rng, today: number): Array<string | number | null> {
    const digits = (n: number) => String(rng.int(0, 10 ** n - 1)).padStart(n, '0');
    return CUSTOM_ATTRIBUTES.map((def) => {
      switch (def.key) {
        case 'dynamic_990101':
          return rng.chance(0.85) ? `DE${digits(2)} ${digits(4)} ${digits(4)} ${digits(4)} ${digits(4)} ${digits(2)}` : '';
        case 'dynamic_990102':
          return rng.chance(0.8) ? today - rng.int(20 * 365, 62 * 365) : null;
        case 'dynamic_990103':
          return rng.chance(0.7) ? rng.int(0, 35) : null;
        case 'dynamic_990104':
          return rng.chance(0.6) ? rng.int(0, 400_000) / 100 : null;
        case 'dynamic_990105':
          return rng.chance(0.7) ? rng.pick(def.options) : '';
        case 'dynamic_990106':
          return rng.chance(0.6) ? tags(rng, def.options) : '';
        case 'dynamic_990107':
          return rng.chance(0.25) ? `Zertifikat „Erste Hilfe“ vorhanden.\nParkplatz Nr. ${rng.int(1, 300)}` : '';
        case 'dynamic_990108':
          return rng.chance(0.4) ? `https://www.linkedin.com/in/${emailLocalPart(e.firstName, e.lastName).replace('.', '-')}-${digits(4)}` : '';
        case 'dynamic_990109':
          return `P-${String(e.id).padStart(7, '0')}`;
        default:
          return rng.chance(0.05) ? rng.pick(['Dr.', 'Prof. Dr.', 'Mag.']) : '';
      }
    });
  }

  private uniqueEmail(first: string, last: string): string {
    const local = emailLocalPart(first, last);
    let n = this.emailSuffix.get(local) ?? 1;
    let email = n === 1 ? `${local}@${this.company.domain}` : `${local}${n}@${this.company.domain}`;
    while (this.usedEmails.has(email)) email = `${local}${++n}@${this.company.domain}`;
    this.emailSuffix.set(local, n + 1);
    this.usedEmails.add(email);
    return email;
  }
}

/** Personio sends tags either as CSV or as a JSON-encoded list string; we do both. */
function tags(rng: Rng, options: readonly string[]): string {
  const count = rng.int(1, 3);
  const chosen = [...new Set(Array.from({ length: count }, () => rng.pick(options)))];
  return rng.chance(0.5) ? chosen.join(', ') : JSON.stringify(chosen);
}

export function generate(count: number, seed: number, nowMs: number, offsetMinutes: number): GeneratedCompany & { factory: EmployeeFactory } {
  if (!Number.isInteger(count) || count < MIN_EMPLOYEES || count > MAX_EMPLOYEES) {
    throw new Error(`employees must be an integer between ${MIN_EMPLOYEES} and ${MAX_EMPLOYEES}, got ${count}`);
  }
  const company = generateCompany(count, new Rng(deriveSeed(seed, 1)));
  const factory = new EmployeeFactory(company, offsetMinutes);
  const rng = new Rng(deriveSeed(seed, 2));
  const employees: EmployeeRecord[] = Array.from({ length: count });
  let id = 1000 + rng.int(0, 500);
  for (let i = 0; i < count; i++) {
    // Supervisors come from the first sixth of those hired before, which gives a tree of realistic depth.
    const supervisor = i === 0 ? null : employees[rng.index(Math.max(1, Math.ceil(i / 6)))].id;
    employees[i] = factory.make(rng, id, supervisor, nowMs, i === 0 ? 'active' : undefined);
    // Real ids have gaps (deleted or test records); the gaps also let the shift fault insert mid-list.
    id += 1 + (rng.chance(0.15) ? rng.int(1, 3) : 0);
  }
  return { company, employees, nextId: id, factory };
}
