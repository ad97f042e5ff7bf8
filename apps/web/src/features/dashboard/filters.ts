// The dashboard's filter bar lives in the URL (?period=quarter&q=2026-Q4&team=east&currency=CNY), so a view
// can be shared and reloaded. Periods are months and quarters of the Beijing calendar, or a custom range of days.

export type PeriodKind = 'month' | 'quarter' | 'custom';

export interface Filters {
  kind: PeriodKind;
  /** `2026-11` for a month, `2026-Q4` for a quarter. */
  period: string;
  from: string;
  to: string;
  team: string | null;
  currency: string;
  metric: string;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const QUARTER = /^\d{4}-Q[1-4]$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const pad = (n: number) => String(n).padStart(2, '0');
/** The last day of a month (`month` 1-12). */
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

export const quarterOf = (day: string) => `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;

/** First and last day of a month (`2026-11`) or quarter (`2026-Q4`). */
export function periodRange(period: string): { from: string; to: string } {
  const year = Number(period.slice(0, 4));
  if (QUARTER.test(period)) {
    const first = (Number(period.slice(6)) - 1) * 3 + 1;
    return { from: `${year}-${pad(first)}-01`, to: `${year}-${pad(first + 2)}-${lastDay(year, first + 2)}` };
  }
  const month = Number(period.slice(5, 7));
  return { from: `${period}-01`, to: `${period}-${lastDay(year, month)}` };
}

/** The filters a URL names, with defaults (this quarter in Beijing, the manager's team, CNY) for what it does not. */
export function readFilters(params: URLSearchParams, today: string, defaultTeam: string | null): Filters {
  const requested = params.get('period');
  const kind: PeriodKind = requested === 'month' || requested === 'custom' ? requested : 'quarter';
  const p = params.get('p') ?? '';
  let period = kind === 'month' ? (MONTH.test(p) ? p : today.slice(0, 7)) : QUARTER.test(p) ? p : quarterOf(today);
  let { from, to } = periodRange(kind === 'custom' ? quarterOf(today) : period);
  if (kind === 'custom') {
    const f = params.get('from') ?? '';
    const t = params.get('to') ?? '';
    if (DAY.test(f) && DAY.test(t) && f <= t) [from, to] = [f, t];
    period = kpiPeriod({ kind, from, to });
  }
  const currency = params.get('currency') ?? '';
  return {
    kind,
    period,
    from,
    to,
    team: params.has('team') ? params.get('team') || null : defaultTeam,
    currency: /^[A-Z]{3}$/.test(currency) ? currency : 'CNY',
    metric: params.get('metric') ?? 'revenue',
  };
}

/** The URL of a set of filters (what readFilters reads back). */
export function writeFilters(f: Filters): URLSearchParams {
  const out = new URLSearchParams({ period: f.kind });
  if (f.kind === 'custom') {
    out.set('from', f.from);
    out.set('to', f.to);
  } else out.set('p', f.period);
  out.set('team', f.team ?? '');
  out.set('currency', f.currency);
  if (f.metric !== 'revenue') out.set('metric', f.metric);
  return out;
}

/**
 * The period the KPI endpoints take (they read whole months, quarters or years): the month or quarter itself,
 * and for a custom range the month or quarter holding its last day (a range within one month: that month).
 */
export function kpiPeriod(f: Pick<Filters, 'kind' | 'from' | 'to'> & { period?: string }): string {
  if (f.kind !== 'custom' && f.period) return f.period;
  return f.from.slice(0, 7) === f.to.slice(0, 7) ? f.to.slice(0, 7) : quarterOf(f.to);
}

/** Months between two days, both included (`2026-10`, `2026-11`, …). */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const end = to.slice(0, 7);
  for (let guard = 0; guard < 240; guard++) {
    const label = `${y}-${pad(m)}`;
    if (label > end) break;
    out.push(label);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return out;
}

/** The forecast for the period: history up to the month before it, one month ahead per month in it (1 to 12). */
export function forecastWindow(from: string, to: string): { historyEnd: string; horizon: number } {
  const first = from.slice(0, 7);
  const [y, m] = [Number(first.slice(0, 4)), Number(first.slice(5, 7))];
  const historyEnd = m === 1 ? `${y - 1}-12` : `${y}-${pad(m - 1)}`;
  return { historyEnd, horizon: Math.min(12, Math.max(1, monthsOf(from, to).length)) };
}

/** The query every time-range chart sends for the filters. */
export const rangeQuery = (f: Filters) => ({ from: f.from, to: f.to, ...(f.team ? { team: f.team } : {}) });
