import { DEFAULT_TIME_ZONE, dayOf } from '@crm/calendar';
import { addDecimals, amountUnits, decimalString, formatUnits, parseDecimal, type Decimal } from '@crm/money';
import { allocateProRata } from './pro-rata';
import { forecastCategory, weightedAmount } from './deal-value';
import type { AggregateTable, Contribution } from './aggregates';

/** The value of a dimension nobody has told us yet (the event that carries it has not arrived). */
export const UNKNOWN = 'unknown';
/** The source of an order or opportunity that did not come from a lead. */
export const DIRECT = 'direct';
export const UNASSIGNED = 'unassigned';

export interface Dims {
  region: string;
  productLine: string;
  source: string;
  repId: string;
  team: string;
}

/**
 * Every daily bucket is a day of the business time zone (CRM_TIMEZONE, ADR 0012): each contribution
 * function takes the zone, and the weeks, months and quarters the reports build from these days follow it.
 */
const monthOf = (date: string) => `${date.slice(0, 7)}-01`;
const dimKey = (d: Dims) => [d.region, d.productLine, d.source, d.repId, d.team];

// ---------------------------------------------------------------- diffing

/** after − before, per aggregate row and measure; zero deltas dropped; rows in a stable (lock) order. */
export function diffContributions(before: readonly Contribution[], after: readonly Contribution[]): Contribution[] {
  // Exact decimals on BigInt: the same sums and text as big.js (Big#toString), without its digit arrays.
  const rows = new Map<string, { t: AggregateTable; k: string[]; m: Map<string, Decimal> }>();
  const add = (list: readonly Contribution[], negate: boolean) => {
    for (const c of list) {
      const id = `${c.t}\u0000${c.k.join('\u0000')}`;
      let row = rows.get(id);
      if (!row) rows.set(id, (row = { t: c.t, k: c.k, m: new Map() }));
      for (const name in c.m) {
        const v = parseDecimal(c.m[name]);
        if (negate) v.digits = -v.digits;
        const sum = row.m.get(name);
        row.m.set(name, sum ? addDecimals(sum, v) : v);
      }
    }
  };
  add(before, true);
  add(after, false);
  const out: Contribution[] = [];
  for (const id of [...rows.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const r = rows.get(id)!;
    const m: Record<string, string> = {};
    let any = false;
    for (const [n, v] of r.m) {
      if (v.digits === 0n) continue;
      m[n] = decimalString(v);
      any = true;
    }
    if (any) out.push({ t: r.t, k: r.k, m });
  }
  return out;
}

// ---------------------------------------------------------------- orders

export interface OrderFactView {
  currency: string | null;
  total: string | null;
  confirmedAt: Date | string | null;
  shippedAt: Date | string | null;
  cancelledAt: Date | string | null;
  /** Lines with their product line already resolved. */
  lines: { productLine: string; lineTotal: string }[];
  dims: Omit<Dims, 'productLine'>;
  payments: { amount: string; currency: string; receivedAt: Date | string }[];
  feedback: { rating: number; complaint: boolean; receivedAt: Date | string }[];
}

/** Product-line groups of an order (sorted by name) and the main one: the largest share, ties to the first. */
export function productLineShares(lines: OrderFactView['lines']): { groups: { productLine: string; weight: string }[]; main: number } {
  const sums = new Map<string, bigint>();
  for (const l of lines) sums.set(l.productLine, (sums.get(l.productLine) ?? 0n) + amountUnits(l.lineTotal));
  const sorted = [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  if (!sorted.length) return { groups: [{ productLine: UNKNOWN, weight: '1' }], main: 0 };
  let main = 0;
  sorted.forEach(([, w], i) => {
    if (w > sorted[main][1]) main = i;
  });
  return { groups: sorted.map(([productLine, w]) => ({ productLine, weight: formatUnits(w) })), main };
}

/**
 * What an order adds to sales_daily and feedback_daily. Money is split across the order's product lines
 * pro rata to the line totals (exact to the 4th decimal); an order counts once, on its main product line.
 * Cancellations are recorded on the day they happen (gross bookings stay as they were: net = confirmed −
 * cancelled), only for orders that were confirmed.
 */
export function orderContributions(o: OrderFactView, zone = DEFAULT_TIME_ZONE): Contribution[] {
  const { groups, main } = productLineShares(o.lines);
  const weights = groups.map((g) => g.weight);
  const out: Contribution[] = [];
  const sales = (day: string, currency: string, productLine: string, m: Record<string, string>) =>
    out.push({ t: 'sales_daily', k: [day, currency, ...dimKey({ ...o.dims, productLine })], m });
  const split = (at: Date | string, currency: string, amount: string, amountMeasure: string, countMeasure?: string) => {
    const parts = allocateProRata(amount, weights);
    groups.forEach((g, i) => {
      const m: Record<string, string> = { [amountMeasure]: parts[i] };
      if (countMeasure && i === main) m[countMeasure] = '1';
      sales(dayOf(at, zone), currency, g.productLine, m);
    });
  };
  if (o.currency && o.total !== null) {
    if (o.confirmedAt) split(o.confirmedAt, o.currency, o.total, 'confirmed_amount', 'orders_confirmed');
    if (o.confirmedAt && o.cancelledAt) split(o.cancelledAt, o.currency, o.total, 'cancelled_amount', 'orders_cancelled');
    if (o.shippedAt) split(o.shippedAt, o.currency, o.total, 'shipped_amount', 'orders_shipped');
  }
  for (const p of o.payments) split(p.receivedAt, p.currency, p.amount, 'paid_amount');
  for (const f of o.feedback) {
    out.push({
      t: 'feedback_daily',
      k: [dayOf(f.receivedAt, zone), ...dimKey({ ...o.dims, productLine: groups[main].productLine })],
      m: { feedback_count: '1', rating_sum: String(f.rating), complaints: f.complaint ? '1' : '0' },
    });
  }
  return out;
}

// ---------------------------------------------------------------- opportunities

export type HistoryEntry =
  | { kind: 'created'; at: string; stage: string; p: number | null }
  | { kind: 'stage'; at: string; stage: string; p: number | null }
  | { kind: 'won'; at: string }
  | { kind: 'lost'; at: string; stage: string };

export interface StageInterval {
  seq: number;
  stage: string;
  status: 'open' | 'won' | 'lost';
  winProbability: number;
  validFrom: string;
  validTo: string | null;
}

const KIND_ORDER = { created: 0, stage: 1, won: 2, lost: 2 } as const;

/**
 * An opportunity's stage history as intervals [validFrom, validTo): each stage change opens one, won/lost
 * close the open run (a later stage change re-opens it). Entries are replayed in time order, so the result
 * does not depend on the order the events arrived in. A stage without a probability keeps the last known one.
 */
export function stageIntervals(history: readonly HistoryEntry[]): StageInterval[] {
  const sorted = [...history].sort((a, b) => a.at.localeCompare(b.at) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  const out: StageInterval[] = [];
  let stage = UNKNOWN;
  let p = 0;
  for (const e of sorted) {
    if (e.kind === 'created' || e.kind === 'stage') {
      stage = e.stage;
      p = e.p ?? p;
    }
    if (e.kind === 'lost') stage = e.stage || stage;
    const status = e.kind === 'won' ? 'won' : e.kind === 'lost' ? 'lost' : 'open';
    const winProbability = status === 'won' ? 1 : status === 'lost' ? 0 : p;
    if (out.length) out[out.length - 1].validTo = e.at;
    out.push({ seq: out.length, stage, status, winProbability, validFrom: e.at, validTo: null });
  }
  return out;
}

export interface OpportunityFactView {
  currency: string | null;
  expectedAmount: string | null;
  expectedCloseDate: string | null;
  createdAt: Date | string | null;
  wonAt: Date | string | null;
  wonAmount: string | null;
  lostAt: Date | string | null;
  /** The current state: the last interval. */
  current: StageInterval | null;
  dims: Dims;
}

/**
 * What an opportunity adds to opportunities_daily (created, won, lost on their days) and, while open, to
 * pipeline_open (stage, close month, forecast category, raw and weighted amount).
 */
export function opportunityContributions(o: OpportunityFactView, zone = DEFAULT_TIME_ZONE): Contribution[] {
  if (!o.currency) return [];
  const out: Contribution[] = [];
  const key = (at: Date | string) => [dayOf(at, zone), o.currency as string, ...dimKey(o.dims)];
  const amount = o.expectedAmount ?? '0';
  if (o.createdAt) out.push({ t: 'opportunities_daily', k: key(o.createdAt), m: { created_count: '1', created_amount: amount } });
  const status = o.current?.status;
  if (o.wonAt && status === 'won') out.push({ t: 'opportunities_daily', k: key(o.wonAt), m: { won_count: '1', won_amount: o.wonAmount ?? amount } });
  if (o.lostAt && status === 'lost') out.push({ t: 'opportunities_daily', k: key(o.lostAt), m: { lost_count: '1', lost_amount: amount } });
  if (o.current && status === 'open' && o.expectedAmount !== null && o.expectedCloseDate) {
    const p = o.current.winProbability;
    out.push({
      t: 'pipeline_open',
      k: [o.current.stage, o.currency, monthOf(o.expectedCloseDate), forecastCategory(o.current.stage, p), ...dimKey(o.dims)],
      m: { opportunities: '1', amount: o.expectedAmount, weighted_amount: weightedAmount(o.expectedAmount, p) },
    });
  }
  return out;
}

// ---------------------------------------------------------------- leads

export const FUNNEL_STAGES = ['lead', 'qualified', 'opportunity', 'won', 'paid'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export interface LeadFactView {
  capturedAt: Date | string | null;
  qualifiedAt: Date | string | null;
  disqualifiedAt: Date | string | null;
  convertedAt: Date | string | null;
  firstFollowUpAt: Date | string | null;
  /** First opportunity of the lead created, first won, first order of it fully paid. */
  opportunityAt: Date | string | null;
  wonAt: Date | string | null;
  paidAt: Date | string | null;
  dims: Dims;
}

const ms = (v: Date | string | null) => (v === null ? null : new Date(v).getTime());
const minOf = (...xs: (number | null)[]) => {
  const present = xs.filter((x): x is number => x !== null);
  return present.length ? Math.min(...present) : null;
};

/**
 * When a lead reached each funnel stage. Reaching a stage implies the earlier ones (a converted lead was
 * qualified), so a stage is reached at the earliest time it or any later stage was; never before capture.
 */
export function funnelMilestones(l: Omit<LeadFactView, 'dims'>): Partial<Record<FunnelStage, number>> {
  const captured = ms(l.capturedAt);
  if (captured === null) return {};
  const own: (number | null)[] = [captured, ms(l.qualifiedAt), minOf(ms(l.convertedAt), ms(l.opportunityAt)), ms(l.wonAt), ms(l.paidAt)];
  const out: Partial<Record<FunnelStage, number>> = {};
  let later: number | null = null;
  for (let i = FUNNEL_STAGES.length - 1; i >= 0; i--) {
    later = minOf(own[i], later);
    if (later !== null) out[FUNNEL_STAGES[i]] = Math.max(later, captured);
  }
  return out;
}

/** What a lead adds to leads_daily (each milestone on its own day) and funnel_daily (by capture cohort). */
export function leadContributions(l: LeadFactView, zone = DEFAULT_TIME_ZONE): Contribution[] {
  const out: Contribution[] = [];
  const daily = (at: Date | string | null, m: Record<string, string>) => {
    if (at) out.push({ t: 'leads_daily', k: [dayOf(at, zone), ...dimKey(l.dims)], m });
  };
  daily(l.capturedAt, { captured: '1' });
  daily(l.qualifiedAt, { qualified: '1' });
  daily(l.disqualifiedAt, { disqualified: '1' });
  daily(l.convertedAt, { converted: '1' });
  const captured = ms(l.capturedAt);
  const answered = ms(l.firstFollowUpAt);
  if (captured !== null && answered !== null) {
    daily(l.firstFollowUpAt, { responded: '1', response_seconds: String(Math.max(0, Math.round((answered - captured) / 1000))) });
  }
  if (captured !== null) {
    const cohort = dayOf(captured, zone);
    for (const [stage, at] of Object.entries(funnelMilestones(l))) {
      out.push({ t: 'funnel_daily', k: [cohort, dayOf(at as number, zone), stage, ...dimKey(l.dims)], m: { leads: '1' } });
    }
  }
  return out;
}
