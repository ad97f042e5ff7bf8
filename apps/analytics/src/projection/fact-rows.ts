import type { EntityManager } from 'typeorm';
import type { Contribution } from './aggregates';
import type { TermsEntry } from './opportunity-terms';
import type { HistoryEntry } from './projection.domain';

/**
 * The read model's rows as the PostgreSQL driver returns them: timestamptz as Date, numeric and bigint as
 * decimal strings, jsonb parsed. A query that casts a column (`::text`) types it as it casts it.
 */
/**
 * ON CONFLICT's SET for the customer columns (ADR 0018): an event that names an account or contact sets it, one
 * that does not (older events, a deal not linked yet) keeps what the fact has.
 */
export const KEEP_CUSTOMER = (table: string) =>
  `account_id = COALESCE(EXCLUDED.account_id, ${table}.account_id), contact_id = COALESCE(EXCLUDED.contact_id, ${table}.contact_id)`;

export interface RepRow {
  rep_id: string;
  name: string;
  team: string | null;
  active: boolean;
  updated_at: Date;
}

export interface ItemRow {
  sku: string;
  name: string;
  product_line: string | null;
  active: boolean;
  updated_at: Date;
}

export interface LeadFactRow {
  lead_id: string;
  source: string | null;
  campaign: string | null;
  region: string | null;
  product_line: string | null;
  captured_at: Date | null;
  rep_id: string | null;
  team: string | null;
  assigned_at: Date | null;
  first_follow_up_at: Date | null;
  follow_ups: number;
  qualified_at: Date | null;
  disqualified_at: Date | null;
  converted_at: Date | null;
  contrib: Contribution[];
}

export interface OpportunityFactRow {
  opportunity_id: string;
  deal_known: boolean;
  lead_id: string | null;
  rep_id: string | null;
  team: string | null;
  region: string | null;
  product_line: string | null;
  currency: string | null;
  expected_amount: string | null;
  expected_close_date: Date | string | null;
  created_at: Date | null;
  stage: string | null;
  win_probability: string | null;
  status: string | null;
  won_at: Date | null;
  won_amount: string | null;
  lost_at: Date | null;
  history: HistoryEntry[];
  /** The amount and close date over time; the columns above hold the latest. */
  terms: TermsEntry[];
  contrib: Contribution[];
}

export interface OrderFactRow {
  order_id: string;
  opportunity_id: string | null;
  rep_id: string | null;
  team: string | null;
  region: string | null;
  currency: string | null;
  total: string | null;
  payment_terms: string | null;
  status: string | null;
  confirmed_at: Date | null;
  shipped_at: Date | null;
  delivered_at: Date | null;
  completed_at: Date | null;
  cancelled_at: Date | null;
  status_at: Date | null;
  contrib: Contribution[];
}

export interface OrderLineFactRow {
  order_id: string;
  line_id: string;
  sku: string;
  line_total: string;
}

export interface PaymentFactRow {
  payment_id: string;
  receivable_id: string;
  order_id: string;
  amount: string;
  currency: string;
  outstanding: string;
  received_at: Date;
}

export interface ReceivableFactRow {
  receivable_id: string;
  order_id: string | null;
  currency: string | null;
  amount: string | null;
  paid: string;
  due_date: Date | string | null;
  voided_at: Date | null;
  overdue_at: Date | null;
}

export interface FeedbackFactRow {
  feedback_id: string;
  order_id: string;
  rep_id: string;
  rating: number;
  category: string;
  complaint: boolean;
  received_at: Date;
}

/** The fact tables that store their contribution (`contrib`), with their id column. */
export const FACT_ID = { lead_facts: 'lead_id', opportunity_facts: 'opportunity_id', order_facts: 'order_id' } as const;
export type FactTable = keyof typeof FACT_ID;

/** Rows of hand-written SQL, typed by the caller with the interfaces above. */
export const select = <R>(m: EntityManager, sql: string, params?: unknown[]): Promise<R[]> => m.query(sql, params);

/** An event's ISO time as a timestamptz parameter. */
export const ts = (v: string | undefined | null): Date | null => (v ? new Date(v) : null);

/**
 * Runs a set-based write whose `$1` is the rows as a JSON array (read with jsonb_to_recordset): one statement for
 * a batch's events of one kind. The rows of one call must be of distinct facts (ON CONFLICT … DO UPDATE may touch
 * a row once per statement); the projector's write plan (fact-writes.ts) sees to that.
 */
export async function upsertRows(m: EntityManager, sql: string, rows: readonly object[]): Promise<void> {
  if (rows.length) await m.query(sql, [JSON.stringify(rows)]);
}
