// The analytics endpoints the dashboard reads, as query options (the browser test calls the same endpoints).
import { useQuery } from '@tanstack/react-query';
import { unwrap, type components } from '@crm/api-client';
import { useCrm } from '../../api/crm';
import { forecastWindow, kpiPeriod, rangeQuery, type Filters } from './filters';

export type SeriesResponse = components['schemas']['SeriesResponse'];
export type Series = components['schemas']['SeriesView'];
export type Row = Record<string, unknown>;

const teamOf = (f: Filters) => (f.team ? { team: f.team } : {});

export function useSales(f: Filters, groupBy: 'month' | 'region' | 'product') {
  const crm = useCrm();
  const query = { ...rangeQuery(f), groupBy, currency: f.currency };
  return useQuery({ queryKey: ['analytics', 'sales', query], queryFn: () => unwrap(crm.GET('/api/v1/analytics/sales', { params: { query } })) });
}

export function useFunnel(f: Filters) {
  const crm = useCrm();
  const query = rangeQuery(f);
  return useQuery({ queryKey: ['analytics', 'funnel', query], queryFn: () => unwrap(crm.GET('/api/v1/analytics/funnel', { params: { query } })) });
}

export function useCycleTime(f: Filters) {
  const crm = useCrm();
  const query = rangeQuery(f);
  return useQuery({ queryKey: ['analytics', 'cycle-time', query], queryFn: () => unwrap(crm.GET('/api/v1/analytics/cycle-time', { params: { query } })) });
}

export function useForecast(f: Filters) {
  const crm = useCrm();
  const query = { ...forecastWindow(f.from, f.to), currency: f.currency, ...teamOf(f) };
  return useQuery({ queryKey: ['analytics', 'forecast', query], queryFn: () => unwrap(crm.GET('/api/v1/analytics/forecast', { params: { query } })) });
}

export function useAccuracy(f: Filters) {
  const crm = useCrm();
  const query = { currency: f.currency };
  return useQuery({
    queryKey: ['analytics', 'forecast-accuracy', query],
    queryFn: () => unwrap(crm.GET('/api/v1/analytics/forecast/accuracy', { params: { query } })),
  });
}

type Metric = 'revenue' | 'growth' | 'attainment' | 'winRate' | 'leadConversion' | 'satisfaction' | 'responseTime';

export function useRankings(f: Filters) {
  const crm = useCrm();
  const query = { period: kpiPeriod(f), currency: f.currency, metric: f.metric as Metric, ...teamOf(f) };
  return useQuery({ queryKey: ['analytics', 'rankings', query], queryFn: () => unwrap(crm.GET('/api/v1/analytics/rankings', { params: { query } })) });
}

export function useKpis(f: Filters, by: 'rep' | 'team' = 'rep') {
  const crm = useCrm();
  const query = { period: kpiPeriod(f), currency: f.currency, by, ...(by === 'rep' ? teamOf(f) : {}) };
  return useQuery({ queryKey: ['analytics', 'kpis', query], queryFn: () => unwrap(crm.GET('/api/v1/analytics/kpis', { params: { query } })) });
}

export function useIncentives(f: Filters) {
  const crm = useCrm();
  const query = { period: kpiPeriod(f), ...teamOf(f) };
  return useQuery({ queryKey: ['incentives', query], queryFn: () => unwrap(crm.GET('/api/v1/incentives', { params: { query } })) });
}

/** The points of one measure of a series answer (money series carry the currency). */
export const pointsOf = (data: SeriesResponse, measure: string, currency?: string) =>
  data.series.find((s) => s.measure === measure && (currency === undefined || s.currency === currency))?.points ?? [];
