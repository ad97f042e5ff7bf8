import Big from 'big.js';
import { addPeriods, monthLabel, periodStart } from '@crm/calendar';
import { formatAmount, parseAmount } from '@crm/money';
import type { ForecastCategory } from '../projection/deal-value';

/**
 * Linear-interpolation quantile (type 7: what PostgreSQL's percentile_cont and numpy's default compute).
 * Returns null for an empty sample.
 */
export function quantile(values: readonly number[], q: number): number | null {
  if (!values.length) return null;
  if (q < 0 || q > 1) throw new RangeError(`quantile ${q} is outside 0..1`);
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export const median = (values: readonly number[]) => quantile(values, 0.5);
export const p90 = (values: readonly number[]) => quantile(values, 0.9);

/** Mean absolute percentage error in percent; periods whose actual is 0 are left out (APE undefined). */
export function mape(pairs: readonly { forecast: number; actual: number }[]): number | null {
  const usable = pairs.filter((p) => p.actual !== 0);
  if (!usable.length) return null;
  const sum = usable.reduce((acc, p) => acc + Math.abs((p.actual - p.forecast) / p.actual), 0);
  return (sum / usable.length) * 100;
}

/** (current − previous) / |previous| as a decimal string with 4 places; null when there is no base to grow from. */
export function growthRate(current: string, previous: string): string | null {
  const prev = parseAmount(previous);
  if (prev.eq(0)) return null;
  return ratio(parseAmount(current).minus(prev), prev.abs());
}

/** a / b rounded half-even to 4 places; null when b is 0. */
export function ratio(a: Big | string, b: Big | string): string | null {
  const den = new Big(b);
  if (den.eq(0)) return null;
  return new Big(a).div(den).round(4, Big.roundHalfEven).toFixed(4);
}

/** Won / (won + lost) of the deals closed in a period; null when none closed. */
export function winRate(won: number, lost: number): string | null {
  return won + lost === 0 ? null : ratio(new Big(won), new Big(won + lost));
}

/**
 * Competition ranking ("1, 2, 2, 4") by a metric, highest first (or lowest first for a metric where less
 * is better, e.g. response time). Rows without a value rank last, unranked (rank null), in input order.
 */
export function rank<T>(rows: readonly T[], value: (row: T) => number | null, order: 'desc' | 'asc' = 'desc'): (T & { rank: number | null })[] {
  const withValue = rows.map((row, index) => ({ row, index, v: value(row) }));
  const ranked = withValue
    .filter((r) => r.v !== null && Number.isFinite(r.v))
    .sort((a, b) => (order === 'desc' ? (b.v as number) - (a.v as number) : (a.v as number) - (b.v as number)) || a.index - b.index);
  const out: (T & { rank: number | null })[] = [];
  ranked.forEach((r, i) => {
    const rankNo = i > 0 && ranked[i - 1].v === r.v ? (out[i - 1].rank as number) : i + 1;
    out.push({ ...r.row, rank: rankNo });
  });
  for (const r of withValue) if (r.v === null || !Number.isFinite(r.v)) out.push({ ...r.row, rank: null });
  return out;
}

// ---------------------------------------------------------------- periods

export interface Period {
  /** As given: 2026-Q3, 2026-07 or 2026. */
  label: string;
  kind: 'month' | 'quarter' | 'year';
  /** First day, inclusive (YYYY-MM-DD). */
  start: string;
  /** First day after, exclusive. */
  end: string;
  previous: string;
}

const PERIOD = /^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$/;
export const isPeriod = (value: string) => PERIOD.test(value);

/**
 * A reporting period: a month (2026-07), a quarter (2026-Q3) or a year (2026), with the one before it. Its
 * days are business days, so in Asia/Shanghai 2026-Q2 runs from 2026-03-31T16:00Z to 2026-06-30T16:00Z.
 */
export function parsePeriod(value: string): Period {
  const m = PERIOD.exec(value);
  if (!m) throw new RangeError(`not a period: ${value} (use 2026, 2026-Q3 or 2026-07)`);
  const year = Number(m[1]);
  if (m[2]) {
    const start = `${year}-${m[2]}-01`;
    return { label: value, kind: 'month', start, end: addPeriods(start, 'month', 1), previous: monthLabel(addPeriods(start, 'month', -1)) };
  }
  if (m[3]) {
    const q = Number(m[3]);
    const start = addPeriods(`${year}-01-01`, 'quarter', q - 1);
    return { label: value, kind: 'quarter', start, end: addPeriods(start, 'quarter', 1), previous: q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}` };
  }
  const start = `${year}-01-01`;
  return { label: value, kind: 'year', start, end: addPeriods(start, 'year', 1), previous: String(year - 1) };
}

/** YYYY-MM-01 of the month `offset` months after the month of `date`. */
export function addMonths(date: string, offset: number): string {
  return addPeriods(periodStart(date, 'month'), 'month', offset);
}

// ---------------------------------------------------------------- pipeline forecast

export interface OpenDealBucket {
  /** YYYY-MM-01 of the expected close date. */
  closeMonth: string;
  category: ForecastCategory;
  amount: string;
  weighted: string;
}

export interface PipelineForecastMonth {
  month: string;
  /** Σ amount of commit deals. */
  commit: string;
  /** Σ amount of commit and best-case deals. */
  bestCase: string;
  /** Σ probability-weighted amount of every open deal. */
  pipeline: string;
}

/**
 * Pipeline forecast for `months` (YYYY-MM-01, ascending, consecutive): deals whose expected close month
 * is already past count in the first month (they slipped but are still open); deals after the last month
 * are outside the horizon.
 */
export function pipelineForecast(deals: readonly OpenDealBucket[], months: readonly string[]): PipelineForecastMonth[] {
  const sums = months.map(() => ({ commit: new Big(0), bestCase: new Big(0), pipeline: new Big(0) }));
  for (const deal of deals) {
    let i = months.indexOf(deal.closeMonth.slice(0, 7) + '-01');
    if (i < 0 && months.length && deal.closeMonth < months[0]) i = 0;
    if (i < 0) continue;
    const amount = parseAmount(deal.amount);
    if (deal.category === 'commit') sums[i].commit = sums[i].commit.plus(amount);
    if (deal.category !== 'pipeline') sums[i].bestCase = sums[i].bestCase.plus(amount);
    sums[i].pipeline = sums[i].pipeline.plus(parseAmount(deal.weighted));
  }
  return months.map((month, i) => ({
    month,
    commit: formatAmount(sums[i].commit),
    bestCase: formatAmount(sums[i].bestCase),
    pipeline: formatAmount(sums[i].pipeline),
  }));
}

// ---------------------------------------------------------------- Holt-Winters

export interface TimeSeriesForecast {
  method: 'holt_winters_additive' | 'holt_linear' | 'naive' | 'none';
  alpha: number | null;
  beta: number | null;
  gamma: number | null;
  /** Point forecasts for h = 1..horizon. */
  forecast: number[];
  lower: number[];
  upper: number[];
  /** Standard deviation of the one-step-ahead in-sample residuals. */
  residualSd: number;
}

interface Fit {
  sse: number;
  residuals: number[];
  level: number;
  trend: number;
  season: number[];
}

/**
 * Additive Holt-Winters, initialised from the first two seasons (level = mean of season 1, trend = mean
 * change between seasons 1 and 2 per step, seasonal indices = season-1 deviations), then smoothed
 * through the whole series, collecting one-step-ahead residuals.
 */
function fitHoltWinters(y: readonly number[], m: number, alpha: number, beta: number, gamma: number): Fit {
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const first = y.slice(0, m);
  const second = y.slice(m, 2 * m);
  let level = mean(first);
  let trend = (mean(second) - mean(first)) / m;
  // Seasonal indices: season 1's deviations from the trend line through its mean (centred at (m−1)/2).
  const season = first.map((v, i) => v - (level + trend * (i - (m - 1) / 2)));
  // The recursion starts at t = m from the level at the end of season 1.
  level = level + (trend * (m - 1)) / 2;
  const residuals: number[] = [];
  let sse = 0;
  for (let t = m; t < y.length; t++) {
    const s = season[t % m];
    const predicted = level + trend + s;
    const e = y[t] - predicted;
    residuals.push(e);
    sse += e * e;
    const prevLevel = level;
    level = alpha * (y[t] - s) + (1 - alpha) * (level + trend);
    trend = beta * (level - prevLevel) + (1 - beta) * trend;
    season[t % m] = gamma * (y[t] - level) + (1 - gamma) * s;
  }
  return { sse, residuals, level, trend, season };
}

function fitHolt(y: readonly number[], alpha: number, beta: number): Fit {
  let level = y[0];
  let trend = y[1] - y[0];
  const residuals: number[] = [];
  let sse = 0;
  for (let t = 1; t < y.length; t++) {
    const e = y[t] - (level + trend);
    residuals.push(e);
    sse += e * e;
    const prevLevel = level;
    level = alpha * y[t] + (1 - alpha) * (level + trend);
    trend = beta * (level - prevLevel) + (1 - beta) * trend;
  }
  return { sse, residuals, level, trend, season: [] };
}

const GRID = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const sd = (xs: readonly number[]) => (xs.length ? Math.sqrt(xs.reduce((a, e) => a + e * e, 0) / xs.length) : 0);

/**
 * Time-series forecast of a regular series (e.g. monthly revenue). With two full seasons or more:
 * additive Holt-Winters with α, β, γ chosen on a grid by least one-step-ahead squared error; with less:
 * Holt's linear trend (2+ points) or the last value. The prediction interval is ±z·σ·√h, σ the residual
 * standard deviation (the usual random-walk widening; z = 1.96 for 95 %).
 */
export function forecastSeries(y: readonly number[], horizon: number, seasonLength = 12, z = 1.96): TimeSeriesForecast {
  const interval = (forecast: number[], sigma: number) => ({
    lower: forecast.map((f, i) => f - z * sigma * Math.sqrt(i + 1)),
    upper: forecast.map((f, i) => f + z * sigma * Math.sqrt(i + 1)),
  });
  if (!y.length) return { method: 'none', alpha: null, beta: null, gamma: null, forecast: [], lower: [], upper: [], residualSd: 0 };
  if (y.length >= 2 * seasonLength) {
    let best: { fit: Fit; a: number; b: number; g: number } | undefined;
    for (const a of GRID)
      for (const b of GRID)
        for (const g of GRID) {
          const fit = fitHoltWinters(y, seasonLength, a, b, g);
          if (!best || fit.sse < best.fit.sse) best = { fit, a, b, g };
        }
    const { fit, a, b, g } = best as NonNullable<typeof best>;
    const n = y.length;
    const forecast = Array.from({ length: horizon }, (_, i) => fit.level + (i + 1) * fit.trend + fit.season[(n + i) % seasonLength]);
    const sigma = sd(fit.residuals);
    return { method: 'holt_winters_additive', alpha: a, beta: b, gamma: g, forecast, ...interval(forecast, sigma), residualSd: sigma };
  }
  if (y.length >= 2) {
    let best: { fit: Fit; a: number; b: number } | undefined;
    for (const a of GRID)
      for (const b of GRID) {
        const fit = fitHolt(y, a, b);
        if (!best || fit.sse < best.fit.sse) best = { fit, a, b };
      }
    const { fit, a, b } = best as NonNullable<typeof best>;
    const forecast = Array.from({ length: horizon }, (_, i) => fit.level + (i + 1) * fit.trend);
    const sigma = sd(fit.residuals);
    return { method: 'holt_linear', alpha: a, beta: b, gamma: null, forecast, ...interval(forecast, sigma), residualSd: sigma };
  }
  const forecast = Array.from({ length: horizon }, () => y[0]);
  return { method: 'naive', alpha: null, beta: null, gamma: null, forecast, lower: forecast, upper: forecast, residualSd: 0 };
}
