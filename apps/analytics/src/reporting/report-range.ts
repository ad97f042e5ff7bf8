import { addMonths } from './stats.domain';
import type { TimeGroup } from './reporting.dto';

export const today = (now = new Date()): string => now.toISOString().slice(0, 10);
export const nextDay = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** A report's days: to defaults to today, from to the first day of the month 11 months before `to`. */
export function reportRange(q: { from?: string; to?: string }, now = new Date()): { from: string; to: string } {
  const to = q.to ?? today(now);
  const from = q.from ?? addMonths(to, -11);
  return { from, to };
}

/** Every bucket start of a time grouping between two dates, so a chart gets a point for each. */
export function timeBuckets(group: TimeGroup, from: string, to: string): string[] {
  const start = new Date(`${from}T00:00:00Z`);
  if (group === 'week') start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  if (group === 'month' || group === 'quarter') start.setUTCDate(1);
  if (group === 'quarter') start.setUTCMonth(start.getUTCMonth() - (start.getUTCMonth() % 3));
  const out: string[] = [];
  for (const d = start; d.toISOString().slice(0, 10) <= to && out.length < 5000;) {
    out.push(d.toISOString().slice(0, 10));
    if (group === 'day') d.setUTCDate(d.getUTCDate() + 1);
    else if (group === 'week') d.setUTCDate(d.getUTCDate() + 7);
    else d.setUTCMonth(d.getUTCMonth() + (group === 'month' ? 1 : 3));
  }
  return out;
}

/** The month starts (YYYY-MM-01) in [start, endExclusive), both month starts. */
export function monthsBetween(start: string, endExclusive: string): string[] {
  const months: string[] = [];
  for (let m = start; m < endExclusive; m = new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 1)).toISOString().slice(0, 10)) months.push(m);
  return months;
}
