/** Response shapes: `series` for charts (x = period start, stage or dimension value), `rows` for tables. */
export interface Point {
  x: string;
  /** Money: decimal string (never summed across currencies); counts: number. */
  y: string | number;
  rate?: string | null;
  rateFromStart?: string | null;
}

export interface Series {
  label: string;
  measure: string;
  currency: string | null;
  points: Point[];
}

export interface SalesResult {
  asOf: string | null;
  groupBy: string;
  from: string;
  to: string;
  series: Series[];
}

export interface FunnelResult {
  asOf: string | null;
  pointInTime: string | null;
  from: string;
  to: string;
  series: Series[];
}

export interface PipelineResult {
  asOf: string | null;
  pointInTime: string | null;
  groupBy: string;
  series: Series[];
}

export interface CycleTimeRow {
  metric: 'lead_captured_to_won' | 'won_to_paid' | 'lead_response';
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
}
