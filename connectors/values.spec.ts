import { calendarDate, decimal, email, instant, offsetOf, parseUtcOffset, tags, text } from './values';

describe('HRIS value normalisers', () => {
  it('text: trims, "" and whitespace → null, numbers stringified, objects → null', () => {
    expect(text('  Anna ')).toBe('Anna');
    expect(text('')).toBeNull();
    expect(text('   ')).toBeNull();
    expect(text(null)).toBeNull();
    expect(text(undefined)).toBeNull();
    expect(text(42)).toBe('42');
    expect(text(NaN)).toBeNull();
    expect(text({ a: 1 })).toBeNull();
  });

  it('email: keeps valid addresses, invalid or empty → null', () => {
    expect(email(' anna@example.com ')).toBe('anna@example.com');
    expect(email('anna@example')).toBeNull();
    expect(email('not an email')).toBeNull();
    expect(email('')).toBeNull();
  });

  it.each([
    ['40', 40],
    ['38.5', 38.5],
    ['40,5', 40.5],
    ['1.234,5', 1234.5],
    ['1,234.5', 1234.5],
    [' 20 ', 20],
    [37.5, 37.5],
    ['', null],
    [null, null],
    ['forty', null],
    ['40 h', null],
    [Infinity, null],
  ])('decimal(%p) → %p', (input, expected) => {
    expect(decimal(input)).toBe(expected);
  });

  it('parseUtcOffset reads ±hh:mm, ±hhmm and Z', () => {
    expect(parseUtcOffset('+01:00')).toBe(60);
    expect(parseUtcOffset('-0530')).toBe(-330);
    expect(parseUtcOffset('Z')).toBe(0);
    expect(parseUtcOffset('CET')).toBeNull();
    expect(parseUtcOffset(undefined)).toBeNull();
    expect(offsetOf('2014-11-09T00:00:00+02:00')).toBe(120);
    expect(offsetOf('2014-11-09')).toBeNull();
  });

  describe('calendarDate', () => {
    it('keeps the calendar day of a local-midnight date with the account offset (no shift to the previous day)', () => {
      expect(calendarDate('1986-01-01T00:00:00+01:00')).toBe('1986-01-01T00:00:00.000Z');
      expect(calendarDate('1986-07-01T00:00:00+02:00', 60)).toBe('1986-07-01T00:00:00.000Z');
      expect(calendarDate('1986-01-01T00:00:00-05:00')).toBe('1986-01-01T00:00:00.000Z');
    });
    it('accepts plain and German dates', () => {
      expect(calendarDate('2021-01-01')).toBe('2021-01-01T00:00:00.000Z');
      expect(calendarDate('18.08.1983')).toBe('1983-08-18T00:00:00.000Z');
    });
    it('converts a real instant into the account zone before taking the day', () => {
      expect(calendarDate('1985-12-31T23:00:00Z', 60)).toBe('1986-01-01T00:00:00.000Z');
      expect(calendarDate('1985-12-31T23:00:00Z')).toBe('1985-12-31T00:00:00.000Z');
      expect(calendarDate('2020-05-05T10:00:00+02:00')).toBe('2020-05-05T00:00:00.000Z');
    });
    it('rejects empty, impossible and garbage dates', () => {
      expect(calendarDate('')).toBeNull();
      expect(calendarDate(null)).toBeNull();
      expect(calendarDate('0000-00-00')).toBeNull();
      expect(calendarDate('2021-02-30')).toBeNull();
      expect(calendarDate('soon')).toBeNull();
    });
  });

  it('instant converts timestamps with offsets to UTC', () => {
    expect(instant('2017-05-23T09:49:03+02:00')).toBe('2017-05-23T07:49:03.000Z');
    expect(instant('2017-05-23')).toBe('2017-05-23T00:00:00.000Z');
    expect(instant('')).toBeNull();
    expect(instant('yesterday')).toBeNull();
  });

  describe('tags', () => {
    it('splits comma-separated strings', () => {
      expect(tags('AT Power-Point, CI/CD')).toEqual(['AT Power-Point', 'CI/CD']);
      expect(tags('single')).toEqual(['single']);
      expect(tags('a,,b, ')).toEqual(['a', 'b']);
    });
    it('parses JSON-encoded lists', () => {
      expect(tags('["AT Power-Point","CI/CD"]')).toEqual(['AT Power-Point', 'CI/CD']);
      expect(tags('[]')).toEqual([]);
    });
    it('accepts arrays and treats a bracketed non-JSON string as CSV', () => {
      expect(tags(['x', ' y ', ''])).toEqual(['x', 'y']);
      expect(tags('[beta], stable')).toEqual(['[beta]', 'stable']);
    });
    it('null and "" are unset', () => {
      expect(tags('')).toBeNull();
      expect(tags(null)).toBeNull();
    });
  });
});
