import { useTranslation } from 'react-i18next';
import { useFormat } from '../../ui/useFormat';
import { pointsOf, useCycleTime, useFunnel, useSales, type SeriesResponse } from './analytics';
import { ChartCard, type Drawn } from './ChartCard';
import { categoryChart, datum } from './chart-options';
import type { Filters } from './filters';

const BLUE = '#1677ff';

/** Net bookings by month, region or product line, in the filter's currency. */
export function RevenueCard({ filters, groupBy }: { filters: Filters; groupBy: 'month' | 'region' | 'product' }) {
  const { t } = useTranslation('dashboard');
  const fmt = useFormat();
  const query = useSales(filters, groupBy);
  const c = filters.currency;
  const label = (x: string) => (groupBy === 'month' ? x.slice(0, 7) : x);
  const draw = (data: SeriesResponse): Drawn => {
    const points = pointsOf(data, 'net', c);
    const exact = points.map((p) => fmt.money(String(p.y), c));
    return {
      option: categoryChart(
        points.map((p) => label(p.x)),
        [{ name: t('col.net'), data: points.map((p, i) => datum(p.y, exact[i] ?? '')), color: BLUE }],
        (v) => fmt.compactMoney(v, c),
        groupBy !== 'month',
      ),
      table: {
        columns: [
          { key: 'x', title: t(`col.${groupBy}`) },
          { key: 'net', title: t('col.net'), numeric: true },
        ],
        rows: points.map((p, i) => ({ x: label(p.x), net: exact[i] ?? '' })),
      },
    };
  };
  return (
    <ChartCard
      id={`revenue-${groupBy}`}
      title={t(`chart.${groupBy}`)}
      currency={c}
      note={t('note.revenue', { from: fmt.date(filters.from), to: fmt.date(filters.to) })}
      query={query}
      draw={draw}
    />
  );
}

/** Leads captured in the range and how many reached each later stage, with the conversion between stages. */
export function FunnelCard({ filters }: { filters: Filters }) {
  const { t } = useTranslation('dashboard');
  const fmt = useFormat();
  const query = useFunnel(filters);
  const draw = (data: SeriesResponse): Drawn => {
    const points = data.series[0]?.points ?? [];
    const rows = points.map((p) => ({
      stage: t(`stage.${p.x}`, { defaultValue: p.x }),
      leads: fmt.number(p.y),
      rate: p.rate == null ? '–' : fmt.percent(p.rate),
    }));
    const nonZero = points.some((p) => Number(p.y) > 0);
    return {
      option: {
        tooltip: { trigger: 'item', formatter: (p: { name: string; data: { exact: string } }) => `${p.name}: <b>${p.data.exact}</b>` },
        series: [
          {
            type: 'funnel',
            sort: 'none',
            left: '10%',
            width: '80%',
            minSize: '8%',
            label: { show: true, position: 'inside', formatter: (p: { name: string; data: { exact: string } }) => `${p.name} ${p.data.exact}` },
            data: points.map((p, i) => ({ name: rows[i]?.stage, value: Number(p.y), exact: rows[i]?.leads })),
          },
        ],
      },
      table: {
        columns: [
          { key: 'stage', title: t('col.stage') },
          { key: 'leads', title: t('col.leads'), numeric: true },
          { key: 'rate', title: t('col.rate'), numeric: true },
        ],
        rows: nonZero ? rows : [],
      },
    };
  };
  return (
    <ChartCard
      id="funnel"
      title={t('chart.funnel')}
      note={t('note.funnel', { from: fmt.date(filters.from), to: fmt.date(filters.to) })}
      query={query}
      draw={draw}
    />
  );
}

type CycleRow = { metric: string; count: number; medianHours: number | null; p90Hours: number | null };

/** Median and 90th percentile of the sales cycle's stretches, in hours. */
export function CycleTimeCard({ filters }: { filters: Filters }) {
  const { t } = useTranslation('dashboard');
  const fmt = useFormat();
  const query = useCycleTime(filters);
  const draw = (data: { rows: Record<string, unknown>[] }): Drawn => {
    const rows = data.rows as CycleRow[];
    const names = rows.map((r) => t(`cycleMetric.${r.metric}`, { defaultValue: r.metric }));
    const hours = (v: number | null) => fmt.number(v, 2);
    return {
      option: categoryChart(
        names,
        [
          { name: t('col.median'), data: rows.map((r) => (r.medianHours == null ? null : datum(r.medianHours, hours(r.medianHours)))), color: BLUE },
          { name: t('col.p90'), data: rows.map((r) => (r.p90Hours == null ? null : datum(r.p90Hours, hours(r.p90Hours)))), color: '#fa8c16' },
        ],
        (v) => fmt.number(v),
        true,
      ),
      table: {
        columns: [
          { key: 'metric', title: t('col.metric') },
          { key: 'count', title: t('col.count'), numeric: true },
          { key: 'median', title: t('col.median'), numeric: true },
          { key: 'p90', title: t('col.p90'), numeric: true },
        ],
        rows: rows.some((r) => r.count > 0)
          ? rows.map((r, i) => ({ metric: names[i] ?? r.metric, count: fmt.number(r.count), median: hours(r.medianHours), p90: hours(r.p90Hours) }))
          : [],
      },
    };
  };
  return (
    <ChartCard
      id="cycle-time"
      title={t('chart.cycle')}
      note={t('note.cycle', { from: fmt.date(filters.from), to: fmt.date(filters.to) })}
      query={query}
      draw={draw}
    />
  );
}
