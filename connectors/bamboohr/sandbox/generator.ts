import { FIRST_NAMES_DIVERSE, FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, LAST_NAMES, emailLocalPart } from '../../sandbox-kit/names';
import { Rng, deriveSeed } from '../../sandbox-kit/random';
import { ACTIVE_OFFICES, DAY_MS, DEPARTMENTS, JOB_TITLES, OFFICES, SHIRT_SIZES, dayStart, isoDay } from './company';
import { COUNTRY_BY_OFFICE, NATIONALITIES, compValues, divisionOf, statusValues, terminated } from './generator-values';
import { EmployeeRecord, StoredRow } from './model';
import { TableName } from './types';

export const MIN_EMPLOYEES = 1;
export const MAX_EMPLOYEES = 100_000;
const FIRST_HIRE = dayStart('2015-01-05');

/** Row and employee id counters shared by the generator and later writes (hire, add row). */
export class IdSource {
  nextEmployee = 101;
  nextRow: Record<TableName, number> = { jobInfo: 1, employmentStatus: 1, compensation: 1 };
  row(table: TableName): number {
    return this.nextRow[table]++;
  }
}

/**
 * Deterministic company for (seed, employees, start day): the same inputs give the same people,
 * tables and timestamps. Dates are relative to `nowMs`'s day so a run always has past, current and
 * future-dated rows.
 */
export class Generator {
  private readonly emails = new Set<string>();

  constructor(
    readonly seed: number,
    readonly company: string,
    readonly ids: IdSource,
  ) {}

  generate(count: number, nowMs: number): EmployeeRecord[] {
    if (!Number.isInteger(count) || count < MIN_EMPLOYEES || count > MAX_EMPLOYEES) {
      throw new Error(`employees must be an integer between ${MIN_EMPLOYEES} and ${MAX_EMPLOYEES}`);
    }
    const today = dayStart(isoDay(nowMs));
    const out: EmployeeRecord[] = [];
    const leaders = Math.max(1, Math.ceil(count / 8));
    for (let i = 0; i < count; i++) {
      const rng = new Rng(deriveSeed(this.seed, i + 1));
      const managerId = i === 0 ? null : out[rng.index(Math.min(i, leaders))].id;
      out.push(this.person(rng, this.ids.nextEmployee++, managerId, today, nowMs, i < leaders));
    }
    return out;
  }

  /** One new person hired on `hireDate` (control API / hire()); fields override generated values. */
  hire(fields: Record<string, unknown>, nowMs: number, managerId: number | null): EmployeeRecord {
    const id = this.ids.nextEmployee++;
    const rng = new Rng(deriveSeed(this.seed ^ 0x5bd1e995, id));
    const today = dayStart(isoDay(nowMs));
    const hireDate = typeof fields.hireDate === 'string' && fields.hireDate ? fields.hireDate : isoDay(today);
    const e = this.base(rng, id, today);
    e.createdAt = nowMs;
    e.fieldsChangedAt = nowMs;
    e.fields.hireDate = hireDate;
    e.fields.originalHireDate = hireDate;
    const office = rng.pick(ACTIVE_OFFICES);
    const dept = rng.pick(DEPARTMENTS);
    e.tables.jobInfo.push(
      this.row('jobInfo', nowMs, {
        date: hireDate,
        location: office,
        department: dept,
        division: divisionOf(office),
        jobTitle: rng.pick(JOB_TITLES[dept]),
        reportsToId: managerId,
      }),
    );
    e.tables.employmentStatus.push(this.row('employmentStatus', nowMs, statusValues(hireDate, 'Full-Time', 'New hire')));
    e.tables.compensation.push(this.row('compensation', nowMs, compValues(rng, hireDate, 'Full-Time')));
    for (const [k, v] of Object.entries(fields)) {
      if (['jobTitle', 'department', 'division', 'location'].includes(k)) e.tables.jobInfo[0].values[k] = String(v);
      else if (k === 'employmentHistoryStatus') e.tables.employmentStatus[0].values.employmentStatus = String(v);
      else if (k === 'reportsToId') e.tables.jobInfo[0].values.reportsToId = v === null ? null : Number(v);
      else e.fields[k] = v === null || v === undefined ? '' : String(v);
    }
    this.claim(e.fields.workEmail);
    return e;
  }

  private base(rng: Rng, id: number, today: number): EmployeeRecord {
    const g = rng.next();
    const gender = g < 0.48 ? 'Male' : g < 0.97 ? 'Female' : 'Non-binary';
    const firstName = rng.pick(gender === 'Male' ? FIRST_NAMES_MALE : gender === 'Female' ? FIRST_NAMES_FEMALE : FIRST_NAMES_DIVERSE);
    const lastName = rng.pick(LAST_NAMES);
    const office = rng.pick(ACTIVE_OFFICES);
    const o = OFFICES.find((x) => x.label === office)!;
    const birth = today - rng.int(20 * 365, 62 * 365) * DAY_MS;
    const fields: Record<string, string> = {
      employeeNumber: rng.chance(0.05) ? '' : String(1000 + id),
      firstName,
      middleName: rng.chance(0.1) ? rng.pick(FIRST_NAMES_DIVERSE) : '',
      lastName,
      preferredName: rng.chance(0.15) ? firstName.slice(0, Math.max(3, Math.ceil(firstName.length / 2))) : '',
      status: 'Active',
      gender: rng.chance(0.03) ? '' : gender,
      maritalStatus: rng.pick(['Single', 'Married', 'Married', 'Domestic Partnership', 'Divorced', '']),
      ethnicity: o.country?.[1] === 'US' ? rng.pick(['White', 'Asian', 'Hispanic or Latino', 'Black or African American', 'Two or More Races']) : '',
      nationality: rng.pick(NATIONALITIES),
      dateOfBirth: isoDay(birth),
      workEmail: rng.chance(0.02) ? '' : this.email(firstName, lastName),
      homeEmail: rng.chance(0.4) ? `${emailLocalPart(firstName, lastName)}${rng.int(1, 99)}@mail.example.org` : '',
      workPhone: rng.chance(0.7) ? `+49 89 ${rng.int(100000, 999999)}` : '',
      workPhoneExtension: rng.chance(0.3) ? String(rng.int(100, 999)) : '',
      mobilePhone: rng.chance(0.8) ? `+49 15${rng.int(1, 9)} ${rng.int(1000000, 9999999)}` : '',
      homePhone: '',
      address1: `${rng.pick(['Hauptstraße', 'Gartenweg', 'Calle Mayor', 'Storgatan', 'Main St'])} ${rng.int(1, 120)}`,
      address2: rng.chance(0.1) ? 'c/o Müller' : '',
      city: o.city ?? 'Köln',
      state: o.state?.[1] ?? '',
      zipcode: o.zipcode ?? '50667',
      country: COUNTRY_BY_OFFICE[office] ?? 'Germany',
      hireDate: '',
      originalHireDate: '',
      standardHoursPerWeek: '40',
      photoUploaded: rng.chance(0.6) ? 'true' : 'false',
      linkedinUrl: rng.chance(0.3) ? `https://www.linkedin.com/in/${emailLocalPart(firstName, lastName)}` : '',
      customShirtSize: rng.chance(0.8) ? rng.pick(SHIRT_SIZES) : '',
      customLanguages: rng.chance(0.5) ? 'German,English' : 'English',
      customLmsUserId: rng.chance(0.6) ? `lms-${id}` : '',
      '4388': rng.chance(0.7) ? `DE-${rng.int(1000, 9999)}` : '',
    };
    return { id, fields, tables: { jobInfo: [], employmentStatus: [], compensation: [] }, createdAt: 0, fieldsChangedAt: 0 };
  }

  private person(rng: Rng, id: number, managerId: number | null, today: number, nowMs: number, leader: boolean): EmployeeRecord {
    const e = this.base(rng, id, today);
    const r = leader ? 1 : rng.next();
    const type = rng.pick(['Full-Time', 'Full-Time', 'Full-Time', 'Full-Time', 'Part-Time', 'Contractor', 'Intern']);
    const pastDay = (from: number, to: number) => from + rng.int(0, Math.max(0, Math.floor((to - from) / DAY_MS))) * DAY_MS;
    const entered = (day: number) => (day <= nowMs ? day + 9 * 3_600_000 : nowMs - rng.int(1, 20) * DAY_MS);
    const hire = r < 0.05 ? today + rng.int(3, 60) * DAY_MS : pastDay(FIRST_HIRE, today - 30 * DAY_MS);
    let original = hire;
    const statusRows: Array<[number, Record<string, unknown>]> = [];
    statusRows.push([hire, statusValues(isoDay(hire), type, 'New hire')]);
    if (r >= 0.27 && r < 0.29 && hire < today - 400 * DAY_MS) {
      // rehire: an earlier employment ended, the current one started later
      original = pastDay(FIRST_HIRE, hire - 300 * DAY_MS);
      statusRows.unshift([original + 200 * DAY_MS, terminated(rng, isoDay(original + 200 * DAY_MS))]);
      statusRows.unshift([original, statusValues(isoDay(original), type, 'New hire')]);
      statusRows[2][1].comment = 'Rehire';
    }
    let status = 'Active';
    if (r >= 0.05 && r < 0.2 && hire < today - 120 * DAY_MS) {
      const end = pastDay(hire + 90 * DAY_MS, today - DAY_MS);
      statusRows.push([end, terminated(rng, isoDay(end))]);
      status = rng.chance(0.9) ? 'Inactive' : 'Active';
    } else if (r >= 0.2 && r < 0.24) {
      const end = today + rng.int(5, 45) * DAY_MS;
      statusRows.push([end, terminated(rng, isoDay(end))]);
    } else if (r >= 0.24 && r < 0.27) {
      status = 'Inactive';
    } else if (r >= 0.29 && r < 0.37 && hire < today - 60 * DAY_MS) {
      statusRows.push([pastDay(hire + 30 * DAY_MS, today - DAY_MS), statusValues('', 'Leave of Absence', 'Parental leave')]);
    } else if (r >= 0.37 && r < 0.45 && hire < today - 60 * DAY_MS && type === 'Full-Time') {
      statusRows.push([pastDay(hire + 30 * DAY_MS, today - DAY_MS), statusValues('', 'Part-Time', 'Reduced hours')]);
    }
    e.fields.status = status;
    e.fields.hireDate = isoDay(hire);
    e.fields.originalHireDate = isoDay(original);
    if (type === 'Part-Time') e.fields.standardHoursPerWeek = String(rng.pick([20, 24, 30]));
    for (const [day, values] of statusRows) {
      values.date = isoDay(day);
      e.tables.employmentStatus.push(this.row('employmentStatus', entered(day), values));
    }

    const last = statusRows[statusRows.length - 1];
    // job moves happen while employed: before a termination, else up to today
    const endDay = last[1].employmentStatus === 'Terminated' ? Math.min(last[0], today) : today;
    let office = rng.pick(ACTIVE_OFFICES);
    let dept = rng.pick(DEPARTMENTS);
    const closed = dayStart('2024-06-30');
    const jobDays = [original];
    // A few long-time people started in the office archived on 2024-06-30 and moved the day after:
    // archived list options stay referenced by history rows (NOTES §13.3).
    if (original < closed && endDay > closed + DAY_MS && rng.chance(0.15)) {
      office = 'Hamburg (closed)';
      jobDays.push(closed + DAY_MS);
    }
    const moves = rng.int(0, 2);
    for (let m = 0; m < moves; m++) {
      const d = pastDay(jobDays[jobDays.length - 1] + 60 * DAY_MS, endDay - DAY_MS);
      if (d > jobDays[jobDays.length - 1] && d < endDay) jobDays.push(d);
    }
    if (r >= 0.45 && r < 0.53 && status === 'Active') jobDays.push(today + rng.int(2, 40) * DAY_MS); // future-dated transfer
    for (const day of jobDays) {
      if (day !== original) {
        if (rng.chance(0.5)) dept = rng.pick(DEPARTMENTS);
        if (office === 'Hamburg (closed)' || rng.chance(0.3)) office = rng.pick(ACTIVE_OFFICES);
      }
      e.tables.jobInfo.push(
        this.row('jobInfo', entered(day), {
          date: isoDay(day),
          location: office,
          department: dept,
          division: divisionOf(office),
          jobTitle: rng.pick(JOB_TITLES[dept]),
          reportsToId: managerId,
        }),
      );
    }

    const compDays = [original];
    if (rng.chance(0.5) && today - original > 400 * DAY_MS) compDays.push(original + 365 * DAY_MS);
    if (r >= 0.53 && r < 0.63 && status === 'Active') compDays.push(today + rng.int(5, 60) * DAY_MS); // future raise
    let base: Record<string, unknown> | null = null;
    for (const day of compDays) {
      const v = compValues(rng, isoDay(day), type, base);
      base = v;
      e.tables.compensation.push(this.row('compensation', entered(day), v));
    }

    e.createdAt = Math.min(original - 14 * DAY_MS, nowMs - DAY_MS);
    if (hire > today) e.createdAt = nowMs - rng.int(1, 10) * DAY_MS;
    e.fieldsChangedAt = e.createdAt + Math.floor(rng.next() * Math.max(0, nowMs - DAY_MS - e.createdAt));
    this.shuffleRows(rng, e);
    return e;
  }

  /** Stored order is not date order either (BambooHR tables are unsorted, NOTES §12.7). */
  private shuffleRows(rng: Rng, e: EmployeeRecord): void {
    for (const rows of Object.values(e.tables)) {
      for (let i = rows.length - 1; i > 0; i--) {
        const j = rng.index(i + 1);
        [rows[i], rows[j]] = [rows[j], rows[i]];
      }
    }
  }

  row(table: TableName, enteredAt: number, values: Record<string, unknown>): StoredRow {
    return { id: this.ids.row(table), enteredAt, values };
  }

  claim(email: string | undefined): void {
    if (email) this.emails.add(email.toLowerCase());
  }

  private email(first: string, last: string): string {
    const local = emailLocalPart(first, last);
    let candidate = `${local}@${this.company}.example.com`;
    for (let n = 2; this.emails.has(candidate); n++) candidate = `${local}${n}@${this.company}.example.com`;
    this.emails.add(candidate);
    return candidate;
  }
}
