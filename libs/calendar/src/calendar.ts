/**
 * Calendar arithmetic in the business time zone: which day an instant falls on there, when a day, week,
 * month or quarter starts there, and date arithmetic on calendar dates (`YYYY-MM-DD`). Instants are stored
 * and sent in UTC; only the boundaries of days and the periods built from them follow the zone. Built on the
 * runtime's Intl time-zone data (ICU), so DST rules come with Node itself.
 */

/** An instant: a Date, an ISO 8601 string with its offset, or epoch milliseconds. */
export type Instant = Date | string | number;
/** Periods of the calendar; a week starts on Monday (ISO 8601). */
export type CalendarPeriod = 'day' | 'week' | 'month' | 'quarter' | 'year';

export const DEFAULT_TIME_ZONE = 'UTC';
const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's canonical IANA name (`asia/shanghai` → `Asia/Shanghai`), or null for a name the runtime does not know. */
export function canonicalTimeZone(name: string): string | null {
  if (!name.trim()) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export const isTimeZone = (name: string): boolean => canonicalTimeZone(name) !== null;

const ms = (at: Instant): number => {
  const t = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(t)) throw new RangeError(`not an instant: ${String(at)}`);
  return t;
};

/** The wall-clock time in the zone at an instant, as if it were UTC (milliseconds dropped). */
function wallClock(t: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(t))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

const HOUR_MS = 3_600_000;
/** Offsets by zone and UTC hour (formatToParts is the projector's costliest call); emptied when it grows large. */
const hourOffsets = new Map<string, Map<number, number>>();
const MAX_CACHED_HOURS = 200_000;
let cachedHours = 0;

/** The offset at a whole second, from the runtime's zone data. */
const offsetAt = (whole: number, zone: string) => wallClock(whole, zone) - whole;

/**
 * The zone's offset from UTC at an instant, in milliseconds (Asia/Shanghai: +8 h). An offset changes at most
 * once within an hour, so where the first and last second of a UTC hour share one, the whole hour has it and
 * is cached; an hour with a change in it (a DST switch, a zone moving off local mean time) is computed each time.
 */
export function offsetMs(at: Instant, zone: string): number {
  const t = ms(at);
  const whole = t - (((t % 1000) + 1000) % 1000);
  const hour = Math.floor(t / HOUR_MS);
  let zoneHours = hourOffsets.get(zone);
  const cached = zoneHours?.get(hour);
  if (cached !== undefined) return cached;
  const start = hour * HOUR_MS;
  const first = offsetAt(start, zone);
  if (first !== offsetAt(start + HOUR_MS - 1000, zone)) return offsetAt(whole, zone);
  if (cachedHours >= MAX_CACHED_HOURS) {
    hourOffsets.clear();
    cachedHours = 0;
    zoneHours = undefined;
  }
  if (!zoneHours) hourOffsets.set(zone, (zoneHours = new Map()));
  zoneHours.set(hour, first);
  cachedHours += 1;
  return first;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const format = (utc: Date) => `${pad(utc.getUTCFullYear(), 4)}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())}`;

function parseDate(date: string): { y: number; m: number; d: number } {
  const match = DATE.exec(date);
  if (!match) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  return { y: Number(match[1]), m: Number(match[2]) - 1, d: Number(match[3]) };
}

/** The calendar day (`YYYY-MM-DD`) an instant falls on in the zone. */
export function dayOf(at: Instant, zone: string): string {
  const t = ms(at);
  return format(new Date(t + offsetMs(t, zone)));
}

/**
 * The instant a calendar day begins in the zone: its midnight, or, where a DST change skips midnight, the
 * first instant that belongs to the day; where midnight happens twice, the first of them.
 */
export function startOfDay(date: string, zone: string): Date {
  const { y, m, d } = parseDate(date);
  const wall = Date.UTC(y, m, d);
  // The offset in force at midnight is the one before or the one after any change that day.
  const offsets = [...new Set([offsetMs(wall - DAY_MS, zone), offsetMs(wall + DAY_MS, zone), offsetMs(wall, zone)])];
  const exact = offsets.map((o) => wall - o).filter((t) => wallClock(t, zone) === wall);
  if (exact.length) return new Date(Math.min(...exact));
  // Midnight does not exist that day: search for the first instant whose wall clock is on that day.
  let lo = Math.min(...offsets.map((o) => wall - o));
  let hi = Math.max(...offsets.map((o) => wall - o)) + DAY_MS;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallClock(mid, zone) >= wall) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/** `date` plus `n` days (n may be negative). */
export function addDays(date: string, n: number): string {
  const { y, m, d } = parseDate(date);
  return format(new Date(Date.UTC(y, m, d + n)));
}

/** `date` plus `n` months; a day past the end of the target month becomes its last day (Jan 31 + 1 → Feb 28). */
export function addMonths(date: string, n: number): string {
  const { y, m, d } = parseDate(date);
  const last = new Date(Date.UTC(y, m + n + 1, 0)).getUTCDate();
  return format(new Date(Date.UTC(y, m + n, Math.min(d, last))));
}

/** ISO day of the week: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const { y, m, d } = parseDate(date);
  return ((new Date(Date.UTC(y, m, d)).getUTCDay() + 6) % 7) + 1;
}

/** The first day of the period `date` is in: itself, its Monday, or the 1st of its month, quarter or year. */
export function periodStart(date: string, period: CalendarPeriod): string {
  const { y, m } = parseDate(date);
  switch (period) {
    case 'day':
      return date;
    case 'week':
      return addDays(date, 1 - isoWeekday(date));
    case 'month':
      return format(new Date(Date.UTC(y, m, 1)));
    case 'quarter':
      return format(new Date(Date.UTC(y, m - (m % 3), 1)));
    case 'year':
      return format(new Date(Date.UTC(y, 0, 1)));
  }
}

/** `date` moved by `n` whole periods (a month or longer keeps the day of the month, clamped). */
export function addPeriods(date: string, period: CalendarPeriod, n: number): string {
  if (period === 'day') return addDays(date, n);
  if (period === 'week') return addDays(date, 7 * n);
  return addMonths(date, n * { month: 1, quarter: 3, year: 12 }[period]);
}

/** `2026-04` of a date. */
export const monthLabel = (date: string): string => `${parseDate(date).y}-${pad(parseDate(date).m + 1)}`;
/** `2026-Q2` of a date. */
export const quarterLabel = (date: string): string => `${parseDate(date).y}-Q${Math.floor(parseDate(date).m / 3) + 1}`;

/** A period of the calendar in a zone: its days [start, end) and the instants they begin at [startsAt, endsAt). */
export interface PeriodBounds {
  start: string;
  end: string;
  startsAt: Date;
  endsAt: Date;
}

/** The period of `period` kind that contains `date`, with the instants it begins and ends at in the zone. */
export function periodBounds(date: string, period: CalendarPeriod, zone: string): PeriodBounds {
  const start = periodStart(date, period);
  const end = addPeriods(start, period, 1);
  return { start, end, startsAt: startOfDay(start, zone), endsAt: startOfDay(end, zone) };
}

/**
 * One deployment's business calendar: the functions above bound to its time zone (`CRM_TIMEZONE`). Every
 * day, week, month and quarter boundary the services compute goes through one of these.
 */
export class BusinessCalendar {
  readonly zone: string;

  constructor(zone: string = DEFAULT_TIME_ZONE) {
    const canonical = canonicalTimeZone(zone);
    if (!canonical) throw new RangeError(`unknown time zone: ${zone} (use an IANA name such as Asia/Shanghai or UTC)`);
    this.zone = canonical;
  }

  /** The business day an instant falls on. */
  dayOf(at: Instant): string {
    return dayOf(at, this.zone);
  }

  /** Today in the business time zone. */
  today(now: Instant = Date.now()): string {
    return dayOf(now, this.zone);
  }

  /** The instant a business day begins. */
  startOfDay(date: string): Date {
    return startOfDay(date, this.zone);
  }

  /** The instant the business day after `date` begins: the exclusive end of `date`. */
  endOfDay(date: string): Date {
    return startOfDay(addDays(date, 1), this.zone);
  }

  /** The first day of the period an instant falls in (its business day's Monday, month start …). */
  periodStartOf(at: Instant, period: CalendarPeriod): string {
    return periodStart(this.dayOf(at), period);
  }

  /** The period containing a business day, with the instants it begins and ends at. */
  periodBounds(date: string, period: CalendarPeriod): PeriodBounds {
    return periodBounds(date, period, this.zone);
  }
}
