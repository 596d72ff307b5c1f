import { calendarToday, statusOnDate } from './employment-status';

const d = (s: string) => `${s}T00:00:00.000Z`;

describe('statusOnDate', () => {
  it('after the termination date INACTIVE, before the start date PENDING, from it on PENDING → ACTIVE', () => {
    expect(statusOnDate('ACTIVE', d('2020-01-01'), d('2025-06-14'), d('2025-06-15'))).toBe('INACTIVE');
    expect(statusOnDate('ACTIVE', d('2020-01-01'), d('2025-06-15'), d('2025-06-15'))).toBe('ACTIVE');
    expect(statusOnDate('ACTIVE', d('2025-06-16'), null, d('2025-06-15'))).toBe('PENDING');
    expect(statusOnDate('INACTIVE', d('2025-06-16'), null, d('2025-06-15'))).toBe('INACTIVE');
    expect(statusOnDate('PENDING', d('2025-06-15'), null, d('2025-06-15'))).toBe('ACTIVE');
    expect(statusOnDate('PENDING', null, null, d('2025-06-15'))).toBe('PENDING');
    expect(statusOnDate(null, d('2025-06-15'), null, d('2025-06-15'))).toBe('ACTIVE');
    expect(statusOnDate(null, null, null, d('2025-06-15'))).toBeNull();
    expect(statusOnDate('LEAVE', d('2020-01-01'), null, d('2025-06-15'))).toBe('LEAVE');
  });

  it('re-applied as days pass, it gives what a fresh mapping on that day gives', () => {
    const days = ['2025-06-10', '2025-06-14', '2025-06-15', '2025-06-16', '2025-06-20'].map(d);
    const dates = [null, ...days];
    for (const source of ['PENDING', 'ACTIVE', 'INACTIVE', null]) {
      for (const start of dates) {
        for (const end of dates) {
          for (const [i, t1] of days.entries()) {
            for (const t2 of days.slice(i)) {
              const stored = statusOnDate(source, start, end, t1);
              expect({ source, start, end, t1, t2, s: statusOnDate(stored, start, end, t2) }).toEqual({
                source,
                start,
                end,
                t1,
                t2,
                s: statusOnDate(source, start, end, t2),
              });
            }
          }
        }
      }
    }
  });

  it('calendarToday is the account-local day', () => {
    expect(calendarToday(new Date('2025-06-30T23:30:00Z'), 60)).toBe(d('2025-07-01'));
    expect(calendarToday(new Date('2025-06-30T23:30:00Z'), 0)).toBe(d('2025-06-30'));
    expect(calendarToday(new Date('2025-07-01T00:30:00Z'), -120)).toBe(d('2025-06-30'));
  });

  it('calendarToday follows every change of the clock or the offset, asked one after the other', () => {
    const now = new Date('2025-06-30T23:30:00Z');
    expect(calendarToday(now, 0)).toBe(d('2025-06-30'));
    expect(calendarToday(now, 0)).toBe(d('2025-06-30'));
    expect(calendarToday(now, 60)).toBe(d('2025-07-01'));
    now.setTime(Date.parse('2025-07-01T23:30:00Z'));
    expect(calendarToday(now, 60)).toBe(d('2025-07-02'));
    expect(calendarToday(new Date('2025-07-01T23:30:00Z'), 0)).toBe(d('2025-07-01'));
    expect(() => calendarToday(new Date(NaN), 0)).toThrow(RangeError);
  });
});
