import { useTranslation } from 'react-i18next';
import { useFormat } from '../../ui/useFormat';
import { pointsOf, useAccuracy, useForecast, type SeriesResponse } from './analytics';
import { ChartCard, type Drawn } from './ChartCard';
import { datum, exactTooltip } from './chart-options';
import { forecastWindow, type Filters } from './filters';

const HISTORY_MONTHS = 12;
const month = (x: string) => x.slice(0, 7);

/** The last twelve months of net bookings, then the forecast for the period's months with its 95 % band. */
export function ForecastCard({ filters }: { filters: Filters }) {
  const { t } = useTranslation('dashboard');
  const fmt = useFormat();
  const query = useForecast(filters);
  const c = filters.currency;
  const draw = (data: SeriesResponse): Drawn => {
    const actual = pointsOf(data, 'actual').slice(-HISTORY_MONTHS);
    const forecast = pointsOf(data, 'forecast');
    const lower = pointsOf(data, 'lower');
    const upper = pointsOf(data, 'upper');
    const months = [...actual.map((p) => p.x), ...forecast.map((p) => p.x)];
    const at = (points: typeof actual, x: string) => points.find((p) => p.x === x);
    const money = (v: string | number | undefined) => (v === undefined ? '' : fmt.money(String(v), c));
    const item = (points: typeof actual) => months.map((x) => (at(points, x) ? datum(at(points, x)!.y, money(at(points, x)!.y)) : null));
    // The band: the lower bound (invisible) with the interval's width stacked on it.
    const width = months.map((x) => {
      const lo = at(lower, x);
      const hi = at(upper, x);
      return lo && hi ? { value: Number(hi.y) - Number(lo.y), exact: money(hi.y) } : null;
    });
    return {
      option: {
        tooltip: exactTooltip,
        legend: { top: 0, data: [t('col.actual'), t('col.forecast'), t('col.upper')] },
        grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: months.map(month), axisLabel: { hideOverlap: true } },
        yAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmt.compactMoney(v, c) } },
        series: [
          { type: 'line', name: t('col.actual'), data: item(actual), color: '#1677ff', symbolSize: 5 },
          { type: 'line', name: t('col.forecast'), data: item(forecast), color: '#722ed1', lineStyle: { type: 'dashed' }, symbolSize: 5 },
          { type: 'line', name: t('col.lower'), data: item(lower), stack: 'band', stackStrategy: 'all', lineStyle: { opacity: 0 }, symbol: 'none' },
          {
            type: 'line',
            name: t('col.upper'),
            data: width,
            stack: 'band',
            stackStrategy: 'all',
            lineStyle: { opacity: 0 },
            symbol: 'none',
            color: '#d3adf7',
            areaStyle: { color: 'rgba(114, 46, 209, 0.18)' },
          },
        ],
      },
      table: {
        columns: [
          { key: 'month', title: t('col.month') },
          { key: 'actual', title: t('col.actual'), numeric: true },
          { key: 'forecast', title: t('col.forecast'), numeric: true },
          { key: 'lower', title: t('col.lower'), numeric: true },
          { key: 'upper', title: t('col.upper'), numeric: true },
        ],
        rows: months.map((x) => ({
          month: month(x),
          actual: money(at(actual, x)?.y),
          forecast: money(at(forecast, x)?.y),
          lower: money(at(lower, x)?.y),
          upper: money(at(upper, x)?.y),
        })),
      },
    };
  };
  return (
    <ChartCard
      id="forecast"
      title={t('chart.forecast')}
      currency={c}
      note={t('note.forecast', { historyEnd: forecastWindow(filters.from, filters.to).historyEnd })}
      query={query}
      draw={draw}
    />
  );
}

type AccuracyRow = { method: string; madeMonth: string; targetMonth: string; forecast: string; actual: string; absolutePercentageError: number | null };
type AccuracyAnswer = { rows: Record<string, unknown>[]; summary?: { method: string; mape: number | null }[] };

/** Each closed month's one-month-ahead forecast against what was booked (company-wide: snapshots are not per team). */
export function AccuracyCard({ filters }: { filters: Filters }) {
  const { t } = useTranslation('dashboard');
  const fmt = useFormat();
  const query = useAccuracy(filters);
  const c = filters.currency;
  const draw = (data: AccuracyAnswer): Drawn => {
    const rows = (data.rows as AccuracyRow[]).filter((r) => r.madeMonth === r.targetMonth && month(r.targetMonth) <= month(filters.to)).slice(-HISTORY_MONTHS);
    const exact = rows.map((r) => ({ forecast: fmt.money(r.forecast, c), actual: fmt.money(r.actual, c) }));
    return {
      option: {
        tooltip: exactTooltip,
        legend: { top: 0 },
        grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: rows.map((r) => month(r.targetMonth)) },
        yAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmt.compactMoney(v, c) } },
        series: [
          { type: 'bar', name: t('col.actual'), data: rows.map((r, i) => datum(r.actual, exact[i]?.actual ?? '')), color: '#1677ff', barMaxWidth: 24 },
          { type: 'line', name: t('col.forecast'), data: rows.map((r, i) => datum(r.forecast, exact[i]?.forecast ?? '')), color: '#722ed1' },
        ],
      },
      table: {
        columns: [
          { key: 'month', title: t('col.target') },
          { key: 'forecast', title: t('col.forecast'), numeric: true },
          { key: 'actual', title: t('col.actual'), numeric: true },
          { key: 'ape', title: t('col.ape'), numeric: true },
        ],
        rows: rows.map((r, i) => ({
          month: month(r.targetMonth),
          forecast: exact[i]?.forecast ?? '',
          actual: exact[i]?.actual ?? '',
          ape: r.absolutePercentageError == null ? '–' : fmt.percent(r.absolutePercentageError / 100),
        })),
      },
    };
  };
  const mape = query.data && (query.data as AccuracyAnswer).summary?.[0]?.mape;
  return (
    <ChartCard
      id="accuracy"
      title={t('chart.accuracy')}
      currency={c}
      note={t('note.accuracy', { mape: mape == null ? '–' : fmt.percent(mape / 100) })}
      query={query}
      draw={draw as (d: unknown) => Drawn}
    />
  );
}
