import { addDays, addPeriods, periodStart, type BusinessCalendar } from '@crm/calendar';
import { addMonths } from './stats.domain';
import type { TimeGroup } from './reporting.dto';

/** The day after a business day: a range's exclusive end. */
export const nextDay = (date: string): string => addDays(date, 1);

/**
 * A report's business days: to defaults to today in the business time zone, from to the first day of the
 * month 11 months before `to`.
 */
export function reportRange(q: { from?: string; to?: string }, calendar: BusinessCalendar, now = new Date()): { from: string; to: string } {
  const to = q.to ?? calendar.today(now);
  const from = q.from ?? addMonths(to, -11);
  return { from, to };
}

/** Every bucket start of a time grouping between two dates (weeks from Monday), so a chart gets a point for each. */
export function timeBuckets(group: TimeGroup, from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = periodStart(from, group); d <= to && out.length < 5000; d = addPeriods(d, group, 1)) out.push(d);
  return out;
}

/** The month starts (YYYY-MM-01) in [start, endExclusive), both month starts. */
export function monthsBetween(start: string, endExclusive: string): string[] {
  const months: string[] = [];
  for (let m = start; m < endExclusive; m = addPeriods(m, 'month', 1)) months.push(m);
  return months;
}
