// BambooHR value rules (docs/bamboohr-mapping.md), odd values included: "0000-00-00", "",
// labels instead of enums, unsorted history tables.
import {
  avatarOf,
  blank,
  countryCode,
  DEFAULT_STATUS_RULES,
  employmentStatusOf,
  employmentTypeAt,
  mapEthnicity,
  mapGender,
  mapMaritalStatus,
  mapPayFrequency,
  mapPayPeriod,
  parseRate,
  rowOn,
} from './mapping';
import { TODAY } from './mapping.spec-env';

/** Each case's input (its key) mapped by `map`, keyed by input, so a failure names the input. */
const mappedBy = (map: (v: string) => unknown, cases: Record<string, unknown>) => Object.fromEntries(Object.keys(cases).map((input) => [input, map(input)]));

describe('value rules', () => {
  it('blank: "", null, whitespace and 0000-00-00 → null', () => {
    expect([blank(''), blank(null), blank('  '), blank('0000-00-00'), blank(undefined), blank(' x ')]).toEqual([null, null, null, null, null, 'x']);
  });
  it('gender, ethnicity and marital status map known labels, pass others through, blank → null', () => {
    const genderCases: Record<string, unknown> = {
      Male: 'MALE',
      female: 'FEMALE',
      'Non-binary': 'NON_BINARY',
      Nonbinary: 'NON_BINARY',
      Agender: 'Agender',
      '': null,
    };
    expect(mappedBy(mapGender, genderCases)).toEqual(genderCases);
    const ethnicityCases: Record<string, unknown> = {
      'Hispanic or Latino': 'HISPANIC_LATINO',
      'Two or More Races': 'MULTIPLE_ETHNICITIES',
      'Black or African American': 'BLACK_AFRICAN_AMERICAN',
      Other: 'Other',
    };
    expect(mappedBy(mapEthnicity, ethnicityCases)).toEqual(ethnicityCases);
    const maritalStatusCases: Record<string, unknown> = { 'Domestic Partnership': 'DOMESTIC_PARTNERSHIP', Single: 'SINGLE', Verlobt: 'Verlobt' };
    expect(mappedBy(mapMaritalStatus, maritalStatusCases)).toEqual(maritalStatusCases);
  });
  it('pay period and frequency: BambooHR labels → enum, unknown passed through', () => {
    const payPeriodCases: Record<string, unknown> = { Year: 'YEAR', Hour: 'HOUR', 'Pay Period': 'Pay Period', '': null };
    expect(mappedBy(mapPayPeriod, payPeriodCases)).toEqual(payPeriodCases);
    const payFrequencyCases: Record<string, unknown> = {
      'Bi-Weekly': 'BIWEEKLY',
      'Every other week': 'BIWEEKLY',
      'Twice a month': 'SEMIMONTHLY',
      Monthly: 'MONTHLY',
      'Daily-ish': 'Daily-ish',
    };
    expect(mappedBy(mapPayFrequency, payFrequencyCases)).toEqual(payFrequencyCases);
  });
  it('rates: "4500.00 USD", {value, currency}, numbers; 0 and blanks are unknown', () => {
    expect(parseRate('4500.00 USD')).toEqual({ rate: 4500, currency: 'USD' });
    expect(parseRate({ value: '61,500.50', currency: 'eur' })).toEqual({ rate: 61500.5, currency: 'EUR' });
    expect(parseRate('0.00 USD')).toEqual({ rate: null, currency: 'USD' });
    expect(parseRate('')).toEqual({ rate: null, currency: null });
    expect(parseRate(52000)).toEqual({ rate: 52000, currency: null });
  });
  it('country names become ISO codes; unknown names stay; codes are upper-cased', () => {
    const countryCodeCases: Record<string, unknown> = { Germany: 'DE', 'United States': 'US', usa: 'US', de: 'DE', Atlantis: 'Atlantis', '': null };
    expect(mappedBy(countryCode, countryCodeCases)).toEqual(countryCodeCases);
  });
  it('avatar: none when BambooHR says no photo or sends its placeholder', () => {
    expect(avatarOf({ photoUrl: 'https://x/p.jpg', photoUploaded: true })).toBe('https://x/p.jpg');
    expect(avatarOf({ photoUrl: 'https://x/p.jpg', photoUploaded: false })).toBeNull();
    expect(avatarOf({ photoUrl: 'https://x/images/photo_placeholder.gif' })).toBeNull();
    expect(avatarOf({ photoUrl: '' })).toBeNull();
  });
});

describe('history tables', () => {
  const rows = [
    { id: '3', employeeId: '133', date: '2026-07-01', employmentStatus: 'Terminated' },
    { id: '1', employeeId: '133', date: '2021-04-01', employmentStatus: 'Part-Time' },
    { id: '2', employeeId: '133', date: '2023-01-01', employmentStatus: 'Full-Time' },
  ];
  it('the row in effect is the latest dated on or before the day, whatever the order BambooHR sends', () => {
    expect(rowOn(rows, 'date', TODAY)?.id).toBe('2');
    expect(rowOn(rows, 'date', '2022-01-01')?.id).toBe('1');
    // before the first row (a future hire): the first row
    expect(rowOn(rows, 'date', '2020-01-01')?.id).toBe('1');
    expect(rowOn([], 'date', TODAY)).toBeNull();
  });
  it('employment type: labels → enum; a Terminated or leave row keeps the type before it', () => {
    expect(employmentTypeAt(rows, null, TODAY, DEFAULT_STATUS_RULES)).toBe('FULL_TIME');
    expect(employmentTypeAt(rows, null, '2026-08-01', DEFAULT_STATUS_RULES)).toBe('FULL_TIME');
    expect(
      employmentTypeAt(
        [
          { id: '1', date: '2020-01-01', employmentStatus: 'Contractor' },
          { id: '2', date: '2021-01-01', employmentStatus: 'Leave of Absence' },
        ],
        null,
        TODAY,
        DEFAULT_STATUS_RULES,
      ),
    ).toBe('CONTRACT');
    expect(employmentTypeAt(null, 'Intern', TODAY, DEFAULT_STATUS_RULES)).toBe('INTERNSHIP');
    expect(employmentTypeAt(null, 'Seasonal', TODAY, DEFAULT_STATUS_RULES)).toBe('Seasonal');
    expect(employmentTypeAt(null, 'Terminated', TODAY, DEFAULT_STATUS_RULES)).toBeNull();
  });
});

describe('employment status (shared status-from-dates rule)', () => {
  const s = (hist: string | null, status: string | null, start: string | null, end: string | null) =>
    employmentStatusOf(hist, status, start, end, TODAY, DEFAULT_STATUS_RULES);
  it('a started, active employee is ACTIVE; before the hire date PENDING', () => {
    expect(s('Full-Time', 'Active', '2021-04-01T00:00:00.000Z', null)).toBe('ACTIVE');
    expect(s('Full-Time', 'Active', '2026-07-01T00:00:00.000Z', null)).toBe('PENDING');
  });
  it('after the termination date INACTIVE; on the day itself still ACTIVE', () => {
    expect(s('Full-Time', 'Active', '2021-04-01T00:00:00.000Z', '2026-06-14T00:00:00.000Z')).toBe('INACTIVE');
    expect(s('Full-Time', 'Active', '2021-04-01T00:00:00.000Z', TODAY)).toBe('ACTIVE');
  });
  it('a current Terminated row or status Inactive → INACTIVE, but a future termination does not end employment early', () => {
    expect(s('Terminated', 'Active', '2021-04-01T00:00:00.000Z', null)).toBe('INACTIVE');
    expect(s('Full-Time', 'Inactive', '2021-04-01T00:00:00.000Z', null)).toBe('INACTIVE');
    expect(s('Terminated', 'Active', '2021-04-01T00:00:00.000Z', '2026-09-30T00:00:00.000Z')).toBe('ACTIVE');
  });
  it('configured leave values → LEAVE; nothing visible and not started → null', () => {
    expect(s('Leave of Absence', 'Active', '2021-04-01T00:00:00.000Z', null)).toBe('LEAVE');
    expect(employmentStatusOf('Sabbatical', 'Active', null, null, TODAY, { terminated: ['Ausgetreten'], leave: ['Sabbatical'] })).toBe('LEAVE');
    expect(employmentStatusOf('Ausgetreten', null, null, null, TODAY, { terminated: ['Ausgetreten'], leave: [] })).toBe('INACTIVE');
    expect(s(null, null, null, null)).toBeNull();
  });
});
