import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../ui/useFormat';
import { useIncentives, useKpis, useRankings } from './analytics';
import { ChartCard, type Drawn } from './ChartCard';
import { categoryChart, datum } from './chart-options';
import { kpiPeriod, type Filters } from './filters';

type KpiRow = Record<string, unknown> & {
  key: string;
  name: string | null;
  rank?: number | null;
  revenue: string;
  quota: string | null;
  attainment: string | null;
};

export const METRICS = ['revenue', 'growth', 'attainment', 'winRate', 'leadConversion', 'satisfaction', 'responseTime'] as const;
const FIELD: Record<(typeof METRICS)[number], string> = {
  revenue: 'revenue',
  growth: 'growthRate',
  attainment: 'attainment',
  winRate: 'winRate',
  leadConversion: 'leadConversionRate',
  satisfaction: 'satisfaction',
  responseTime: 'averageResponseHours',
};
const who = (r: KpiRow) => r.name ?? r.key;

/** Reps ranked by the chosen KPI for the period (ties share a rank; reps without a value are not ranked). */
export function RankingsCard({ filters, onMetric }: { filters: Filters; onMetric: (metric: string) => void }) {
  const { t } = useTranslation('dashboard');
  const fmt = useFormat();
  const query = useRankings(filters);
  const metric = (METRICS as readonly string[]).includes(filters.metric) ? (filters.metric as (typeof METRICS)[number]) : 'revenue';
  const show = (r: KpiRow) => {
    const v = r[FIELD[metric]] as string | number | null;
    if (v == null) return '–';
    if (metric === 'revenue') return fmt.money(String(v), filters.currency);
    if (metric === 'satisfaction' || metric === 'responseTime') return fmt.number(v, 2);
    return fmt.percent(v);
  };
  const draw = (data: { rows: Record<string, unknown>[] }): Drawn => {
    const rows = (data.rows as KpiRow[]).filter((r) => r.rank != null);
    const exact = rows.map(show);
    const scale = metric === 'revenue' || metric === 'satisfaction' || metric === 'responseTime' ? 1 : 100;
    return {
      option: categoryChart(
        rows.map((r) => `${r.rank}. ${who(r)}`),
        [{ name: t(`metric.${metric}`), data: rows.map((r, i) => datum(Number(r[FIELD[metric]]) * scale, exact[i] ?? '')), color: '#13c2c2' }],
        (v) => (metric === 'revenue' ? fmt.compactMoney(v, filters.currency) : scale === 100 ? `${fmt.number(v)}%` : fmt.number(v, 1)),
        true,
      ),
      table: {
        columns: [
          { key: 'rank', title: t('col.rank'), numeric: true },
          { key: 'rep', title: t('col.rep') },
          { key: 'value', title: t(`metric.${metric}`), numeric: true },
        ],
        rows: rows.map((r, i) => ({ rank: String(r.rank), rep: who(r), value: exact[i] ?? '' })),
      },
    };
  };
  return (
    <ChartCard
      id="rankings"
      title={t('chart.rankings')}
      currency={metric === 'revenue' ? filters.currency : null}
      note={t('note.kpi', { period: kpiPeriod(filters) })}
      extra={
        <Select
          size="small"
          aria-label={t('metric.label')}
          value={metric}
          onChange={onMetric}
          popupMatchSelectWidth={false}
          options={METRICS.map((m) => ({ value: m, label: t(`metric.${m}`) }))}
        />
      }
      query={query}
      draw={draw}
      height={320}
    />
  );
}

/** Each rep's revenue against their quota for the period. */
export function QuotaCard({ filters }: { filters: Filters }) {
  const { t } = useTranslation('dashboard');
  const fmt = useFormat();
  const query = useKpis(filters);
  const c = filters.currency;
  const draw = (data: { rows: Record<string, unknown>[] }): Drawn => {
    const rows = (data.rows as KpiRow[]).filter((r) => r.quota != null);
    const exact = rows.map((r) => fmt.percent(r.attainment));
    return {
      option: categoryChart(
        rows.map(who),
        [{ name: t('col.attainment'), data: rows.map((r, i) => datum(Number(r.attainment ?? 0) * 100, exact[i] ?? '')), color: '#52c41a' }],
        (v) => `${fmt.number(v)}%`,
        true,
      ),
      table: {
        columns: [
          { key: 'rep', title: t('col.rep') },
          { key: 'revenue', title: t('col.revenue'), numeric: true },
          { key: 'quota', title: t('col.quota'), numeric: true },
          { key: 'attainment', title: t('col.attainment'), numeric: true },
        ],
        rows: rows.map((r, i) => ({ rep: who(r), revenue: fmt.money(r.revenue, c), quota: fmt.money(r.quota, c), attainment: exact[i] ?? '' })),
      },
    };
  };
  return <ChartCard id="quota" title={t('chart.quota')} currency={c} note={t('note.kpi', { period: kpiPeriod(filters) })} query={query} draw={draw} />;
}

type Earned = { repId: string; name?: string | null; currency: string; commission: string; bonus: string; total: string };

/** What each rep earned under their team's incentive plan (in the plan's currency). */
export function IncentivesCard({ filters }: { filters: Filters }) {
  const { t } = useTranslation('dashboard');
  const fmt = useFormat();
  const query = useIncentives(filters);
  const draw = (data: { rows: Earned[] }): Drawn => {
    const rows = data.rows;
    const money = (r: Earned, v: string) => fmt.money(v, r.currency);
    return {
      option: categoryChart(
        rows.map((r) => r.name ?? r.repId),
        [
          { name: t('col.commission'), data: rows.map((r) => datum(r.commission, money(r, r.commission))), color: '#1677ff' },
          { name: t('col.bonus'), data: rows.map((r) => datum(r.bonus, money(r, r.bonus))), color: '#faad14' },
        ],
        (v) => fmt.number(v),
        true,
      ),
      table: {
        columns: [
          { key: 'rep', title: t('col.rep') },
          { key: 'commission', title: t('col.commission'), numeric: true },
          { key: 'bonus', title: t('col.bonus'), numeric: true },
          { key: 'total', title: t('col.total'), numeric: true },
        ],
        rows: rows.map((r) => ({ rep: r.name ?? r.repId, commission: money(r, r.commission), bonus: money(r, r.bonus), total: money(r, r.total) })),
      },
    };
  };
  const currencies = [...new Set((query.data?.rows ?? []).map((r) => r.currency))].join(', ');
  return (
    <ChartCard
      id="incentives"
      title={t('chart.incentives')}
      currency={currencies || null}
      note={t('note.kpi', { period: kpiPeriod(filters) })}
      query={query}
      draw={draw}
    />
  );
}
