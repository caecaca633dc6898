import fc from 'fast-check';
import { addDays, daysBetween, endOfDay, isValidDate, isValidTimeZone, localDate, startOfDay, zoneOffsetMs } from './time.js';

const HOUR = 3_600_000;
const ZONES = ['Asia/Baghdad', 'UTC', 'America/New_York', 'Asia/Kolkata'] as const;

/** The calendar day of an instant in a zone, read straight from Intl (the oracle, not the code under test). */
function intlDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const zone = fc.constantFrom(...ZONES);
const instant = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59.999Z'), noInvalidDate: true });
const calendarDate = instant.map((d) => d.toISOString().slice(0, 10));
const RUNS = { numRuns: 2000 };

describe('calendar dates are YYYY-MM-DD days that exist', () => {
  it.each(['2024-02-29', '2024-02-09', '2023-12-18', '2000-02-29', '1999-12-31'])('accepts %s', (date) => {
    expect(isValidDate(date)).toBe(true);
  });

  it.each(['2024-02-30', '2023-02-29', '1900-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-2-9', '2024-02-09T00:00:00Z', ''])(
    'rejects %j',
    (date) => {
      expect(isValidDate(date)).toBe(false);
    },
  );

  it('refuses to do arithmetic on a day that does not exist', () => {
    expect(() => addDays('2024-02-30', 1)).toThrow(RangeError);
    expect(() => startOfDay('2023-02-29', 'Asia/Baghdad')).toThrow(RangeError);
  });

  it('knows real IANA zones from invented ones', () => {
    expect(isValidTimeZone('Asia/Baghdad')).toBe(true);
    expect(isValidTimeZone('Asia/Atlantis')).toBe(false);
  });
});

describe('days in Baghdad (UTC+3, no daylight saving since 2008)', () => {
  it('9 Feb 2024 starts at 2024-02-08T21:00Z and ends at 2024-02-09T20:59:59.999Z — never at UTC midnight', () => {
    expect(startOfDay('2024-02-09', 'Asia/Baghdad').toISOString()).toBe('2024-02-08T21:00:00.000Z');
    expect(endOfDay('2024-02-09', 'Asia/Baghdad').toISOString()).toBe('2024-02-09T20:59:59.999Z');
  });

  it('23:30 on 9 Feb in Baghdad (20:30Z) is still 9 Feb; 00:30 on 10 Feb (21:30Z on 9 Feb) is 10 Feb', () => {
    expect(localDate(new Date('2024-02-09T20:30:00Z'), 'Asia/Baghdad')).toBe('2024-02-09');
    expect(localDate(new Date('2024-02-09T21:30:00Z'), 'Asia/Baghdad')).toBe('2024-02-10');
  });

  it('the offset is three hours at every instant from 2008 on', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2008-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (t) => {
        expect(zoneOffsetMs(t, 'Asia/Baghdad')).toBe(3 * HOUR);
      }),
      RUNS,
    );
  });
});

describe('days whose midnight never happened', () => {
  it('Baghdad, 1 May 1982: clocks jumped from 00:00 to 01:00, so the day began at 01:00 local (21:00Z)', () => {
    expect(startOfDay('1982-05-01', 'Asia/Baghdad').toISOString()).toBe('1982-04-30T21:00:00.000Z');
    expect(endOfDay('1982-04-30', 'Asia/Baghdad').toISOString()).toBe('1982-04-30T20:59:59.999Z');
  });
});

describe('days in other zones', () => {
  it('Kolkata is UTC+5:30: 9 Feb 2024 starts at 2024-02-08T18:30Z', () => {
    expect(startOfDay('2024-02-09', 'Asia/Kolkata').toISOString()).toBe('2024-02-08T18:30:00.000Z');
  });

  it('New York: the spring-forward day has 23 hours, the fall-back day 25', () => {
    expect(startOfDay('2024-03-10', 'America/New_York').toISOString()).toBe('2024-03-10T05:00:00.000Z');
    expect(endOfDay('2024-03-10', 'America/New_York').toISOString()).toBe('2024-03-11T03:59:59.999Z');
    expect(startOfDay('2024-11-03', 'America/New_York').toISOString()).toBe('2024-11-03T04:00:00.000Z');
    expect(endOfDay('2024-11-03', 'America/New_York').toISOString()).toBe('2024-11-04T04:59:59.999Z');
  });
});

describe('localDate, startOfDay and endOfDay agree with each other and with Intl (properties)', () => {
  it('localDate names the same day as Intl does', () => {
    fc.assert(fc.property(instant, zone, (t, z) => expect(localDate(t, z)).toBe(intlDate(t, z))), RUNS);
  });

  it('every instant lies within the day localDate names: startOfDay ≤ t ≤ endOfDay', () => {
    fc.assert(
      fc.property(instant, zone, (t, z) => {
        const day = localDate(t, z);
        expect(startOfDay(day, z).getTime()).toBeLessThanOrEqual(t.getTime());
        expect(endOfDay(day, z).getTime()).toBeGreaterThanOrEqual(t.getTime());
      }),
      RUNS,
    );
  });

  it('startOfDay is the first instant of the day: it falls on the day, one millisecond earlier does not', () => {
    fc.assert(
      fc.property(calendarDate, zone, (day, z) => {
        const start = startOfDay(day, z);
        expect(intlDate(start, z)).toBe(day);
        expect(intlDate(new Date(start.getTime() - 1), z)).toBe(addDays(day, -1));
      }),
      { ...RUNS, examples: [['1982-05-01', 'Asia/Baghdad'], ['1982-10-01', 'Asia/Baghdad'], ['2024-03-10', 'America/New_York']] },
    );
  });

  it('endOfDay is the last instant of the day: it falls on the day, one millisecond later is the next day', () => {
    fc.assert(
      fc.property(calendarDate, zone, (day, z) => {
        const end = endOfDay(day, z);
        expect(localDate(end, z)).toBe(day);
        expect(localDate(new Date(end.getTime() + 1), z)).toBe(addDays(day, 1));
      }),
      RUNS,
    );
  });

  it('since 2008 days are 24 hours in Baghdad, Kolkata and UTC, and 23, 24 or 25 in New York', () => {
    const recentDate = fc
      .date({ min: new Date('2008-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(recentDate, zone, (day, z) => {
        const length = endOfDay(day, z).getTime() + 1 - startOfDay(day, z).getTime();
        expect(z === 'America/New_York' ? [23 * HOUR, 24 * HOUR, 25 * HOUR] : [24 * HOUR]).toContain(length);
      }),
      { ...RUNS, examples: [['2024-03-10', 'America/New_York'], ['2024-11-03', 'America/New_York']] },
    );
  });
});

describe('daysBetween and addDays', () => {
  it('counts calendar days: 18 Dec 2023 to 9 Feb 2024 is 53 days, across a leap day 1 Feb → 1 Mar 2024 is 29', () => {
    expect(daysBetween('2023-12-18', '2024-02-09')).toBe(53);
    expect(daysBetween('2024-02-01', '2024-03-01')).toBe(29);
    expect(daysBetween('2023-02-01', '2023-03-01')).toBe(28);
    expect(addDays('2024-02-09', -21)).toBe('2024-01-19');
  });

  it('is antisymmetric: daysBetween(a, b) = -daysBetween(b, a)', () => {
    fc.assert(fc.property(calendarDate, calendarDate, (a, b) => expect(daysBetween(a, b) + daysBetween(b, a)).toBe(0)), RUNS);
  });

  it('is the inverse of addDays: daysBetween(d, addDays(d, n)) = n and addDays(a, daysBetween(a, b)) = b', () => {
    fc.assert(
      fc.property(calendarDate, fc.integer({ min: -20_000, max: 20_000 }), (d, n) => {
        expect(daysBetween(d, addDays(d, n))).toBe(n);
      }),
      RUNS,
    );
    fc.assert(fc.property(calendarDate, calendarDate, (a, b) => expect(addDays(a, daysBetween(a, b))).toBe(b)), RUNS);
  });

  it('adds up: daysBetween(a, b) + daysBetween(b, c) = daysBetween(a, c)', () => {
    fc.assert(
      fc.property(calendarDate, calendarDate, calendarDate, (a, b, c) => {
        expect(daysBetween(a, b) + daysBetween(b, c)).toBe(daysBetween(a, c));
      }),
      RUNS,
    );
  });
});
