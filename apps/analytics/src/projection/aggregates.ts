/**
 * The incrementally kept aggregate tables: their dimensions (the primary key) and measures. Every fact
 * row (lead, opportunity, order) stores what it contributes to these tables; a change to the fact (or to
 * a dimension it resolves through, e.g. an item's product line) applies the difference, so the figures
 * never depend on the order in which events arrived. See apps/analytics/README.md.
 */
export type MeasureType = 'amount' | 'count';

export interface AggregateSpec {
  dims: readonly string[];
  measures: Readonly<Record<string, MeasureType>>;
}

const DIMS = ['region', 'product_line', 'source', 'rep_id', 'team'] as const;

export const AGGREGATES = {
  /** Orders by the day each thing happened: confirmed, cancelled and shipped (order total split by product line), paid. */
  sales_daily: {
    dims: ['day', 'currency', ...DIMS],
    measures: {
      confirmed_amount: 'amount',
      cancelled_amount: 'amount',
      shipped_amount: 'amount',
      paid_amount: 'amount',
      orders_confirmed: 'count',
      orders_cancelled: 'count',
      orders_shipped: 'count',
    },
  },
  /** Opportunities created, won and lost, by the day of each. */
  opportunities_daily: {
    dims: ['day', 'currency', ...DIMS],
    measures: { created_count: 'count', created_amount: 'amount', won_count: 'count', won_amount: 'amount', lost_count: 'count', lost_amount: 'amount' },
  },
  /** Leads captured, qualified, disqualified, converted and first answered, by the day of each. */
  leads_daily: {
    dims: ['day', ...DIMS],
    measures: { captured: 'count', qualified: 'count', disqualified: 'count', converted: 'count', responded: 'count', response_seconds: 'count' },
  },
  /** The lead funnel by capture cohort and the day each stage was reached: point-in-time funnels for free. */
  funnel_daily: {
    dims: ['cohort_day', 'reached_day', 'stage', ...DIMS],
    measures: { leads: 'count' },
  },
  /** Open opportunities now, by stage, currency, expected close month and forecast category. */
  pipeline_open: {
    dims: ['stage', 'currency', 'close_month', 'category', ...DIMS],
    measures: { opportunities: 'count', amount: 'amount', weighted_amount: 'amount' },
  },
  /** After-sales feedback by day, with the order's dimensions (its main product line). */
  feedback_daily: {
    dims: ['day', ...DIMS],
    measures: { feedback_count: 'count', rating_sum: 'count', complaints: 'count' },
  },
} as const satisfies Record<string, AggregateSpec>;

export type AggregateTable = keyof typeof AGGREGATES;
export const AGGREGATE_TABLES = Object.keys(AGGREGATES) as AggregateTable[];
export const DATE_DIMS = new Set(['day', 'cohort_day', 'reached_day', 'close_month']);

/** What one fact adds to one row of one aggregate table. */
export interface Contribution {
  t: AggregateTable;
  /** Dimension values in the table's dimension order. */
  k: string[];
  /** Measure deltas as decimal strings. */
  m: Record<string, string>;
}
