import {
  BusinessCalendar,
  addDays,
  addMonths,
  addPeriods,
  canonicalTimeZone,
  dayOf,
  isTimeZone,
  isoWeekday,
  monthLabel,
  offsetMs,
  periodBounds,
  periodStart,
  quarterLabel,
  startOfDay,
} from './calendar';

const H = 3_600_000;

describe('time zone names', () => {
  it('knows IANA names, case-insensitively, and refuses anything else', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(canonicalTimeZone('asia/shanghai')).toBe('Asia/Shanghai');
    expect(isTimeZone('Asia/Beijing')).toBe(false);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('a business calendar refuses an unknown zone with a message that names it', () => {
    expect(() => new BusinessCalendar('Asia/Beijing')).toThrow(/unknown time zone: Asia\/Beijing .*Asia\/Shanghai/);
    expect(new BusinessCalendar().zone).toBe('UTC');
    expect(new BusinessCalendar('asia/shanghai').zone).toBe('Asia/Shanghai');
  });
});

describe('the day an instant falls on', () => {
  it('Beijing time: 07:30 in Beijing is 23:30 UTC the day before, and that is the Beijing day', () => {
    expect(dayOf('2026-03-31T23:30:00Z', 'Asia/Shanghai')).toBe('2026-04-01');
    expect(dayOf('2026-03-31T23:30:00Z', 'UTC')).toBe('2026-03-31');
  });

  it('both sides of midnight in Beijing (UTC+8, no DST)', () => {
    expect(dayOf('2026-03-31T15:59:59.999Z', 'Asia/Shanghai')).toBe('2026-03-31');
    expect(dayOf('2026-03-31T16:00:00Z', 'Asia/Shanghai')).toBe('2026-04-01');
    expect(dayOf(new Date('2026-12-31T16:00:00Z'), 'Asia/Shanghai')).toBe('2027-01-01');
    expect(dayOf(Date.parse('2026-12-31T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-12-31');
  });

  it('both sides of midnight in Berlin, in winter (UTC+1) and in summer (UTC+2)', () => {
    expect(dayOf('2026-01-14T22:59:59Z', 'Europe/Berlin')).toBe('2026-01-14');
    expect(dayOf('2026-01-14T23:00:00Z', 'Europe/Berlin')).toBe('2026-01-15');
    expect(dayOf('2026-07-14T21:59:59Z', 'Europe/Berlin')).toBe('2026-07-14');
    expect(dayOf('2026-07-14T22:00:00Z', 'Europe/Berlin')).toBe('2026-07-15');
  });

  it('the offset follows DST in Berlin and stays +8 h in Shanghai', () => {
    expect(offsetMs('2026-03-29T00:59:59Z', 'Europe/Berlin')).toBe(1 * H);
    expect(offsetMs('2026-03-29T01:00:00Z', 'Europe/Berlin')).toBe(2 * H);
    expect(offsetMs('2026-10-25T00:59:59Z', 'Europe/Berlin')).toBe(2 * H);
    expect(offsetMs('2026-10-25T01:00:00Z', 'Europe/Berlin')).toBe(1 * H);
    expect(offsetMs('2026-07-01T00:00:00Z', 'Asia/Shanghai')).toBe(8 * H);
    expect(offsetMs('2026-07-01T00:00:00Z', 'UTC')).toBe(0);
  });

  it('gives the offset of every second, also in hours with a change off the whole UTC hour', () => {
    // The reference asks the runtime for each instant, as offsetMs did before it cached offsets by hour.
    const formats = new Map<string, Intl.DateTimeFormat>();
    const format = (timeZone: string) =>
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    const reference = (t: number, zone: string) => {
      const whole = t - (((t % 1000) + 1000) % 1000);
      const f = formats.get(zone) ?? formats.set(zone, format(zone)).get(zone)!;
      const p = Object.fromEntries(f.formatToParts(new Date(whole)).map((x) => [x.type, Number(x.value)]));
      return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
    };
    const cases: [string, string][] = [
      ['Australia/Lord_Howe', '2026-04-04T14:00:00Z'], // +11 → +10:30 at 15:00 UTC
      ['Australia/Lord_Howe', '2026-10-03T15:00:00Z'], // +10:30 → +11 at 15:30 UTC
      ['Asia/Kathmandu', '1985-12-31T18:00:00Z'], // +5:30 → +5:45 at 18:30 UTC
      ['Europe/Berlin', '2026-03-29T00:00:00Z'],
      ['America/Santiago', '2026-09-06T03:00:00Z'],
      ['Asia/Shanghai', '1900-12-31T15:00:00Z'], // local mean time (+8:05:43) → +8
    ];
    for (const [zone, from] of cases) {
      // Half-hourly a week before (the cache fills), then every 37 s through two hours and a ms before/after the change.
      const t0 = Date.parse(from);
      for (let t = t0 - 7 * 24 * H; t < t0; t += H / 2) expect(offsetMs(t, zone)).toBe(reference(t, zone));
      for (let t = t0; t < t0 + 2 * H; t += 37_000) expect([zone, t, offsetMs(t, zone)]).toEqual([zone, t, reference(t, zone)]);
      for (let t = t0; t < t0 + 2 * H; t += 30 * 60_000) for (const d of [-1, 0, 1]) expect(offsetMs(t + d, zone)).toBe(reference(t + d, zone));
    }
  });

  it('refuses what is not an instant', () => {
    expect(() => dayOf('yesterday', 'UTC')).toThrow(RangeError);
  });
});

describe('the instant a day begins', () => {
  it('in Beijing, 16:00 UTC the day before', () => {
    expect(startOfDay('2026-04-01', 'Asia/Shanghai').toISOString()).toBe('2026-03-31T16:00:00.000Z');
    expect(startOfDay('2026-04-01', 'UTC').toISOString()).toBe('2026-04-01T00:00:00.000Z');
  });

  it('in Berlin on the days the clocks change (at 02:00 and 03:00 local, so midnight exists once)', () => {
    expect(startOfDay('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfDay('2026-03-30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfDay('2026-10-25', 'Europe/Berlin').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(startOfDay('2026-10-26', 'Europe/Berlin').toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  it('where the clocks skip midnight, the day begins at the first instant it has (Santiago, 2026-09-06: 00:00 → 01:00)', () => {
    const start = startOfDay('2026-09-06', 'America/Santiago');
    expect(start.toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(dayOf(start, 'America/Santiago')).toBe('2026-09-06');
    expect(dayOf(start.getTime() - 1, 'America/Santiago')).toBe('2026-09-05');
  });

  it('a day is 23 or 25 hours long when DST starts or ends', () => {
    const length = (date: string) => (startOfDay(addDays(date, 1), 'Europe/Berlin').getTime() - startOfDay(date, 'Europe/Berlin').getTime()) / H;
    expect(length('2026-03-29')).toBe(23);
    expect(length('2026-10-25')).toBe(25);
    expect(length('2026-06-01')).toBe(24);
  });

  it('every instant of a day maps back to it (round trip over a year of Berlin and Shanghai days)', () => {
    for (const zone of ['Europe/Berlin', 'Asia/Shanghai', 'America/New_York']) {
      for (let date = '2026-01-01'; date < '2027-01-01'; date = addDays(date, 1)) {
        const start = startOfDay(date, zone).getTime();
        expect([dayOf(start, zone), dayOf(start - 1, zone)]).toEqual([date, addDays(date, -1)]);
      }
    }
  });

  it('refuses what is not a calendar date', () => {
    expect(() => startOfDay('2026-4-1', 'UTC')).toThrow(/YYYY-MM-DD/);
  });
});

describe('calendar dates and periods', () => {
  it('adds days and months, clamping to the end of a shorter month', () => {
    expect(addDays('2026-03-31', 1)).toBe('2026-04-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-03-01', -3)).toBe('2025-12-01');
    expect(addPeriods('2026-03-30', 'week', 1)).toBe('2026-04-06');
    expect(addPeriods('2026-01-01', 'quarter', 1)).toBe('2026-04-01');
    expect(addPeriods('2026-01-01', 'year', -1)).toBe('2025-01-01');
  });

  it('weeks start on Monday (ISO 8601)', () => {
    expect(isoWeekday('2026-03-30')).toBe(1);
    expect(isoWeekday('2026-04-05')).toBe(7);
    expect(periodStart('2026-04-05', 'week')).toBe('2026-03-30');
    expect(periodStart('2026-03-30', 'week')).toBe('2026-03-30');
    expect(periodStart('2026-01-01', 'week')).toBe('2025-12-29');
  });

  it('month, quarter and year starts, and their labels', () => {
    expect(periodStart('2026-05-17', 'month')).toBe('2026-05-01');
    expect(periodStart('2026-05-17', 'quarter')).toBe('2026-04-01');
    expect(periodStart('2026-03-31', 'quarter')).toBe('2026-01-01');
    expect(periodStart('2026-05-17', 'year')).toBe('2026-01-01');
    expect(periodStart('2026-05-17', 'day')).toBe('2026-05-17');
    expect(monthLabel('2026-04-01')).toBe('2026-04');
    expect(quarterLabel('2026-03-31')).toBe('2026-Q1');
    expect(quarterLabel('2026-04-01')).toBe('2026-Q2');
  });

  it('a quarter in Beijing begins and ends at 16:00 UTC the day before', () => {
    expect(periodBounds('2026-05-17', 'quarter', 'Asia/Shanghai')).toEqual({
      start: '2026-04-01',
      end: '2026-07-01',
      startsAt: new Date('2026-03-31T16:00:00Z'),
      endsAt: new Date('2026-06-30T16:00:00Z'),
    });
  });
});

describe('BusinessCalendar', () => {
  const beijing = new BusinessCalendar('Asia/Shanghai');
  const utc = new BusinessCalendar('UTC');

  it('puts an instant on the business day and in the business period of its zone', () => {
    const lateMarch = '2026-03-31T16:00:00Z';
    expect(beijing.dayOf(lateMarch)).toBe('2026-04-01');
    expect(utc.dayOf(lateMarch)).toBe('2026-03-31');
    expect(beijing.periodStartOf(lateMarch, 'quarter')).toBe('2026-04-01');
    expect(utc.periodStartOf(lateMarch, 'quarter')).toBe('2026-01-01');
    expect(beijing.periodStartOf('2026-04-05T16:00:00Z', 'week')).toBe('2026-04-06');
    expect(utc.periodStartOf('2026-04-05T16:00:00Z', 'week')).toBe('2026-03-30');
  });

  it("today is the zone's today", () => {
    expect(beijing.today(new Date('2026-03-31T23:30:00Z'))).toBe('2026-04-01');
    expect(utc.today(new Date('2026-03-31T23:30:00Z'))).toBe('2026-03-31');
  });

  it('a business day runs from its start to the start of the next', () => {
    expect(beijing.startOfDay('2026-04-01').toISOString()).toBe('2026-03-31T16:00:00.000Z');
    expect(beijing.endOfDay('2026-04-01').toISOString()).toBe('2026-04-01T16:00:00.000Z');
    expect(utc.periodBounds('2026-04-01', 'month').endsAt.toISOString()).toBe('2026-05-01T00:00:00.000Z');
  });
});
