import { calendarDate, decimal, email, instant, offsetOf, parseUtcOffset, setField, tags, text } from './values';

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
    it('knows leap days and month lengths in every form', () => {
      expect(calendarDate('2024-02-29')).toBe('2024-02-29T00:00:00.000Z');
      expect(calendarDate('2000-02-29T00:00:00+01:00')).toBe('2000-02-29T00:00:00.000Z');
      expect(calendarDate('29.2.2024')).toBe('2024-02-29T00:00:00.000Z');
      expect(calendarDate('1.2.2003')).toBe('2003-02-01T00:00:00.000Z');
      for (const impossible of ['2023-02-29', '1900-02-29', '2021-04-31', '2021-13-01', '2021-00-10', '2021-01-00', '31.06.2021', '2021-11-31T00:00:00+01:00'])
        expect([impossible, calendarDate(impossible)]).toEqual([impossible, null]);
      for (const [y, m, days] of [
        [2021, 1, 31],
        [2021, 4, 30],
        [2021, 9, 30],
        [2021, 11, 30],
        [2021, 12, 31],
        [2100, 2, 28],
        [2400, 2, 29],
      ]) {
        const ymd = (d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        expect(calendarDate(ymd(days))).toBe(`${ymd(days)}T00:00:00.000Z`);
        expect(calendarDate(ymd(days + 1))).toBeNull();
      }
    });
    it('refuses years before 100 (read as 19xx by Date.UTC, they never matched) and pads years before 1000', () => {
      expect(calendarDate('0099-12-31')).toBeNull();
      expect(calendarDate('01.01.0050')).toBeNull();
      expect(calendarDate('0100-01-01')).toBe('0100-01-01T00:00:00.000Z');
      expect(calendarDate('5.5.0999')).toBe('0999-05-05T00:00:00.000Z');
      expect(calendarDate('9999-12-31')).toBe('9999-12-31T00:00:00.000Z');
    });
  });

  it('instant converts timestamps with offsets to UTC', () => {
    expect(instant('2017-05-23T09:49:03+02:00')).toBe('2017-05-23T07:49:03.000Z');
    expect(instant('2017-05-23')).toBe('2017-05-23T00:00:00.000Z');
    expect(instant('')).toBeNull();
    expect(instant('yesterday')).toBeNull();
  });

  it('instant crosses days, months, leap days and years', () => {
    expect(instant('2020-12-31T23:30:00-02:00')).toBe('2021-01-01T01:30:00.000Z');
    expect(instant('2021-01-01T00:15:09+01:00')).toBe('2020-12-31T23:15:09.000Z');
    expect(instant('2024-03-01T05:00:00+14:00')).toBe('2024-02-29T15:00:00.000Z');
    expect(instant('2023-03-01T05:00:00+14:00')).toBe('2023-02-28T15:00:00.000Z');
    expect(instant('2021-06-30T22:00:00-05:30')).toBe('2021-07-01T03:30:00.000Z');
    expect(instant('2021-06-30T22:00:00Z')).toBe('2021-06-30T22:00:00.000Z');
  });

  it('instant reads every timestamp as Date.parse does, edges included', () => {
    const viaDate = (s: string) => {
      const ms = Date.parse(s);
      return Number.isNaN(ms) ? null : new Date(ms).toISOString();
    };
    // Date.parse rolls an impossible day or 24:00 over rather than refusing it; instant keeps that reading.
    const edges = [
      '2021-02-30T10:00:00Z',
      '2021-04-14T24:00:00+01:00',
      '2021-04-14T10:00:00+23:59',
      '2021-04-14T10:00:00.5+01:00',
      '0050-01-01T00:30:00+01:00',
      '9999-12-31T23:00:00-02:00',
    ];
    for (const s of edges) expect([s, instant(s)]).toEqual([s, viaDate(s)]);
    const pad = (n: number) => String(n).padStart(2, '0');
    for (let i = 0; i < 2000; i++) {
      // Spread over 1001-9998, every month end, all hours and offsets from -14:00 to +14:00.
      const y = 1001 + ((i * 7919) % 8998);
      const s = `${y}-${pad(1 + (i % 12))}-${pad(i % 3 === 0 ? 28 : 1 + (i % 31))}T${pad(i % 24)}:${pad((i * 7) % 60)}:${pad((i * 13) % 60)}${i % 5 === 0 ? 'Z' : `${i % 2 ? '-' : '+'}${pad(i % 15)}:${pad((i % 4) * 15)}`}`;
      expect([s, instant(s)]).toEqual([s, viaDate(s)]);
    }
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

  it('setField keeps a "__proto__" key as an own property and changes no prototype', () => {
    const out: Record<string, unknown> = {};
    const value = { polluted: 1 };
    setField(out, 'a', 1);
    setField(out, '__proto__', value);
    setField(out, 'b', 'x');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')).toEqual({ value, enumerable: true, writable: true, configurable: true });
    expect(Object.keys(out)).toEqual(['a', '__proto__', 'b']);
    expect(out.polluted).toBeUndefined();
    expect(JSON.stringify(out)).toBe('{"a":1,"__proto__":{"polluted":1},"b":"x"}');
    // A text value, which plain assignment would drop without a word, is kept too; a second set replaces it in place.
    const labels: Record<string, unknown> = {};
    setField(labels, '__proto__', 'Label');
    setField(labels, '__proto__', 'Other');
    expect(JSON.stringify(labels)).toBe('{"__proto__":"Other"}');
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
  });
});
