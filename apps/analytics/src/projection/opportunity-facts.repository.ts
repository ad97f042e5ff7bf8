import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventData } from '@crm/contracts';
import { KEEP_CUSTOMER, select, ts, upsertRows, type OpportunityFactRow } from './fact-rows';
import type { TermsEntry } from './opportunity-terms';
import type { HistoryEntry } from './projection.domain';

/** An opportunity with what its dimensions resolve through: its lead's source and its rep's team. */
export interface OpportunityProjectionRow extends OpportunityFactRow {
  /** expected_close_date as YYYY-MM-DD. */
  close_date: string | null;
  lead_source: string | null;
  rep_team: string | null;
}

/** The current state an opportunity's history and terms come to (no amount or close date: keep the stored ones). */
export interface OpportunityState {
  id: string;
  stage: string | null;
  status: string | null;
  p: number | null;
  amount: string | null;
  closeDate: string | null;
}

/** One row of opportunity_stage_intervals, as written. */
export interface StageIntervalRow {
  opportunity_id: string;
  seq: number;
  stage: string;
  status: string;
  p: number;
  currency: string;
  amount: string;
  weighted: string;
  valid_from: string;
  valid_to: string | null;
  region: string;
  product_line: string;
  source: string;
  rep_id: string;
  team: string;
}

/** An opportunity.created event with its first stage-history and terms entries. */
export interface OpportunityCreated {
  data: EventData<'opportunity.created'>;
  entry: HistoryEntry;
  terms: TermsEntry;
}

/**
 * opportunity_facts (with each one's stage history and terms) and opportunity_stage_intervals. Each write takes a
 * set of rows with distinct opportunities (one statement for a batch's events of one kind).
 */
@Injectable()
export class OpportunityFactsRepository {
  async created(m: EntityManager, rows: readonly OpportunityCreated[]): Promise<void> {
    await upsertRows(
      m,
      `INSERT INTO opportunity_facts (opportunity_id, history, terms, deal_known, lead_id, rep_id, team, region, product_line, currency,
         expected_amount, expected_close_date, created_at, account_id, contact_id)
       SELECT x.opportunity_id, jsonb_build_array(x.entry), jsonb_build_array(x.terms), true, x.lead_id, x.rep_id, x.team, x.region, x.product_line,
              x.currency, x.expected_amount, x.expected_close_date, x.created_at, x.account_id, x.contact_id
         FROM jsonb_to_recordset($1::jsonb) AS x(opportunity_id uuid, entry jsonb, terms jsonb, lead_id uuid, rep_id uuid, team text, region text,
           product_line text, currency text, expected_amount numeric, expected_close_date date, created_at timestamptz, account_id uuid, contact_id uuid)
       ON CONFLICT (opportunity_id) DO UPDATE SET history = opportunity_facts.history || EXCLUDED.history, terms = opportunity_facts.terms || EXCLUDED.terms,
         deal_known = true, lead_id = EXCLUDED.lead_id,
         rep_id = EXCLUDED.rep_id, team = EXCLUDED.team, region = EXCLUDED.region, product_line = EXCLUDED.product_line, currency = EXCLUDED.currency,
         expected_amount = EXCLUDED.expected_amount, expected_close_date = EXCLUDED.expected_close_date, created_at = EXCLUDED.created_at,
         ${KEEP_CUSTOMER('opportunity_facts')}`,
      rows.map(({ data, entry, terms }) => ({
        opportunity_id: data.opportunityId,
        entry,
        terms,
        lead_id: data.leadId,
        rep_id: data.repId,
        team: data.team ?? null,
        region: data.region ?? null,
        product_line: data.productLine ?? null,
        currency: data.currency,
        expected_amount: data.expectedAmount,
        expected_close_date: data.expectedCloseDate,
        created_at: ts(data.createdAt),
        account_id: data.accountId ?? null,
        contact_id: data.contactId ?? null,
      })),
    );
  }

  /** New terms from their time on; the currency is the deal's, known from whichever event came first. */
  async termsChanged(m: EntityManager, rows: readonly { data: EventData<'opportunity.terms_changed'>; terms: TermsEntry }[]): Promise<void> {
    await upsertRows(
      m,
      `INSERT INTO opportunity_facts (opportunity_id, terms, rep_id, currency)
       SELECT x.opportunity_id, jsonb_build_array(x.terms), x.rep_id, x.currency FROM jsonb_to_recordset($1::jsonb) AS x(opportunity_id uuid, terms jsonb, rep_id uuid, currency text)
       ON CONFLICT (opportunity_id) DO UPDATE SET terms = opportunity_facts.terms || EXCLUDED.terms,
         rep_id = COALESCE(opportunity_facts.rep_id, EXCLUDED.rep_id), currency = COALESCE(opportunity_facts.currency, EXCLUDED.currency)`,
      rows.map(({ data, terms }) => ({ opportunity_id: data.opportunityId, terms, rep_id: data.repId, currency: data.currency })),
    );
  }

  /**
   * A hand-over (ADR 0022) moves an open deal to its new owner: the open pipeline, the forecast and, since the
   * aggregates are derived from the current row, the deal's earlier contributions follow it. A closed deal is
   * never handed over; should one arrive after its close, it keeps whoever won or lost it.
   */
  async reassigned(m: EntityManager, rows: readonly EventData<'opportunity.reassigned'>[]): Promise<void> {
    await upsertRows(
      m,
      `UPDATE opportunity_facts f SET rep_id = x.rep_id, team = x.team FROM jsonb_to_recordset($1::jsonb) AS x(opportunity_id uuid, rep_id uuid, team text)
        WHERE f.opportunity_id = x.opportunity_id AND f.won_at IS NULL AND f.lost_at IS NULL`,
      rows.map((d) => ({ opportunity_id: d.opportunityId, rep_id: d.toRepId, team: d.team ?? null })),
    );
  }

  /** Appends to each opportunity's stage history (one entry per row). */
  async appendHistory(m: EntityManager, rows: readonly { opportunityId: string; entry: HistoryEntry }[]): Promise<void> {
    await upsertRows(
      m,
      `INSERT INTO opportunity_facts (opportunity_id, history)
       SELECT x.opportunity_id, jsonb_build_array(x.entry) FROM jsonb_to_recordset($1::jsonb) AS x(opportunity_id uuid, entry jsonb)
       ON CONFLICT (opportunity_id) DO UPDATE SET history = opportunity_facts.history || EXCLUDED.history`,
      rows.map((r) => ({ opportunity_id: r.opportunityId, entry: r.entry })),
    );
  }

  async won(m: EntityManager, rows: readonly { data: EventData<'opportunity.won'>; entry: HistoryEntry }[]): Promise<void> {
    await upsertRows(
      m,
      `INSERT INTO opportunity_facts (opportunity_id, history, deal_known, lead_id, rep_id, team, region, currency, won_amount, won_at, created_at,
         account_id, contact_id)
       SELECT x.opportunity_id, jsonb_build_array(x.entry), true, x.lead_id, x.rep_id, x.team, x.region, x.currency, x.won_amount, x.won_at, x.created_at,
              x.account_id, x.contact_id
         FROM jsonb_to_recordset($1::jsonb) AS x(opportunity_id uuid, entry jsonb, lead_id uuid, rep_id uuid, team text, region text, currency text,
           won_amount numeric, won_at timestamptz, created_at timestamptz, account_id uuid, contact_id uuid)
       ON CONFLICT (opportunity_id) DO UPDATE SET history = opportunity_facts.history || EXCLUDED.history, deal_known = true, lead_id = EXCLUDED.lead_id,
         rep_id = EXCLUDED.rep_id, team = COALESCE(EXCLUDED.team, opportunity_facts.team), region = COALESCE(EXCLUDED.region, opportunity_facts.region),
         currency = COALESCE(opportunity_facts.currency, EXCLUDED.currency), won_amount = EXCLUDED.won_amount, won_at = EXCLUDED.won_at,
         created_at = COALESCE(opportunity_facts.created_at, EXCLUDED.created_at), ${KEEP_CUSTOMER('opportunity_facts')}`,
      rows.map(({ data, entry }) => ({
        opportunity_id: data.opportunityId,
        entry,
        lead_id: data.leadId,
        rep_id: data.repId,
        team: data.team ?? null,
        region: data.region ?? null,
        currency: data.currency,
        won_amount: data.amount,
        won_at: ts(data.wonAt),
        created_at: ts(data.createdAt),
        account_id: data.accountId ?? null,
        contact_id: data.contactId ?? null,
      })),
    );
  }

  async lost(m: EntityManager, rows: readonly { data: EventData<'opportunity.lost'>; entry: HistoryEntry }[]): Promise<void> {
    await upsertRows(
      m,
      `INSERT INTO opportunity_facts (opportunity_id, history, lost_at, rep_id)
       SELECT x.opportunity_id, jsonb_build_array(x.entry), x.lost_at, x.rep_id FROM jsonb_to_recordset($1::jsonb) AS x(opportunity_id uuid, entry jsonb, lost_at timestamptz, rep_id uuid)
       ON CONFLICT (opportunity_id) DO UPDATE SET history = opportunity_facts.history || EXCLUDED.history, lost_at = EXCLUDED.lost_at,
         rep_id = COALESCE(opportunity_facts.rep_id, EXCLUDED.rep_id)`,
      rows.map(({ data, entry }) => ({ opportunity_id: data.opportunityId, entry, lost_at: ts(data.lostAt), rep_id: data.repId })),
    );
  }

  /** The opportunities of these leads (their source is a dimension of them). */
  async idsOfLeads(m: EntityManager, leadIds: readonly string[]): Promise<string[]> {
    if (!leadIds.length) return [];
    const rows = await select<{ opportunity_id: string }>(m, 'SELECT opportunity_id FROM opportunity_facts WHERE lead_id = ANY($1::uuid[])', [leadIds]);
    return rows.map((r) => r.opportunity_id);
  }

  loadForProjection(m: EntityManager, ids: readonly string[]): Promise<OpportunityProjectionRow[]> {
    return select<OpportunityProjectionRow>(
      m,
      `SELECT o.*, o.expected_close_date::text AS close_date, l.source AS lead_source, r.team AS rep_team
         FROM opportunity_facts o LEFT JOIN lead_facts l ON l.lead_id = o.lead_id LEFT JOIN reps r ON r.rep_id = o.rep_id
        WHERE o.opportunity_id = ANY($1::uuid[]) ORDER BY o.opportunity_id`,
      [ids],
    );
  }

  async saveStates(m: EntityManager, states: readonly OpportunityState[]): Promise<void> {
    await m.query(
      `UPDATE opportunity_facts f SET stage = x.stage, status = x.status, win_probability = x.p,
         expected_amount = COALESCE(x.amount, f.expected_amount), expected_close_date = COALESCE(x."closeDate", f.expected_close_date)
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, stage text, status text, p numeric, amount numeric, "closeDate" date) WHERE f.opportunity_id = x.id`,
      [JSON.stringify(states)],
    );
  }

  /** The intervals are rewritten from the history as a whole: it may have gained an entry anywhere in time. */
  async replaceIntervals(m: EntityManager, ids: readonly string[], rows: readonly StageIntervalRow[]): Promise<void> {
    await m.query('DELETE FROM opportunity_stage_intervals WHERE opportunity_id = ANY($1::uuid[])', [ids]);
    if (!rows.length) return;
    await m.query(
      `INSERT INTO opportunity_stage_intervals (opportunity_id, seq, stage, status, win_probability, currency, amount, weighted_amount,
         valid_from, valid_to, region, product_line, source, rep_id, team)
       SELECT x.opportunity_id, x.seq, x.stage, x.status, x.p, x.currency, x.amount, x.weighted, x.valid_from, x.valid_to,
              x.region, x.product_line, x.source, x.rep_id, x.team
         FROM jsonb_to_recordset($1::jsonb) AS x(opportunity_id uuid, seq int, stage text, status text, p numeric, currency text, amount numeric,
           weighted numeric, valid_from timestamptz, valid_to timestamptz, region text, product_line text, source text, rep_id text, team text)`,
      [JSON.stringify(rows)],
    );
  }
}
