import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventData } from '@crm/contracts';
import { KEEP_CUSTOMER, select, ts, type OpportunityFactRow } from './fact-rows';
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

/** opportunity_facts (with each one's stage history and terms) and opportunity_stage_intervals. */
@Injectable()
export class OpportunityFactsRepository {
  async created(m: EntityManager, data: EventData<'opportunity.created'>, entry: HistoryEntry, terms: TermsEntry): Promise<void> {
    await m.query(
      `INSERT INTO opportunity_facts (opportunity_id, history, terms, deal_known, lead_id, rep_id, team, region, product_line, currency,
         expected_amount, expected_close_date, created_at, account_id, contact_id)
       VALUES ($1, jsonb_build_array($2::jsonb), jsonb_build_array($12::jsonb), true, $3, $4, $5, $6, $7, $8, $9, $10, $11, $13, $14)
       ON CONFLICT (opportunity_id) DO UPDATE SET history = opportunity_facts.history || $2::jsonb, terms = opportunity_facts.terms || $12::jsonb,
         deal_known = true, lead_id = EXCLUDED.lead_id,
         rep_id = EXCLUDED.rep_id, team = EXCLUDED.team, region = EXCLUDED.region, product_line = EXCLUDED.product_line, currency = EXCLUDED.currency,
         expected_amount = EXCLUDED.expected_amount, expected_close_date = EXCLUDED.expected_close_date, created_at = EXCLUDED.created_at,
         ${KEEP_CUSTOMER('opportunity_facts')}`,
      [
        data.opportunityId,
        JSON.stringify(entry),
        data.leadId,
        data.repId,
        data.team ?? null,
        data.region ?? null,
        data.productLine ?? null,
        data.currency,
        data.expectedAmount,
        data.expectedCloseDate,
        ts(data.createdAt),
        JSON.stringify(terms),
        data.accountId ?? null,
        data.contactId ?? null,
      ],
    );
  }

  /** New terms from their time on; the currency is the deal's, known from whichever event came first. */
  async termsChanged(m: EntityManager, data: EventData<'opportunity.terms_changed'>, terms: TermsEntry): Promise<void> {
    await m.query(
      `INSERT INTO opportunity_facts (opportunity_id, terms, rep_id, currency) VALUES ($1, jsonb_build_array($2::jsonb), $3, $4)
       ON CONFLICT (opportunity_id) DO UPDATE SET terms = opportunity_facts.terms || $2::jsonb,
         rep_id = COALESCE(opportunity_facts.rep_id, EXCLUDED.rep_id), currency = COALESCE(opportunity_facts.currency, EXCLUDED.currency)`,
      [data.opportunityId, JSON.stringify(terms), data.repId, data.currency],
    );
  }

  /**
   * A hand-over (ADR 0022) moves an open deal to its new owner: the open pipeline, the forecast and, since the
   * aggregates are derived from the current row, the deal's earlier contributions follow it. A closed deal is
   * never handed over; should one arrive after its close, it keeps whoever won or lost it.
   */
  async reassigned(m: EntityManager, data: EventData<'opportunity.reassigned'>): Promise<void> {
    await m.query('UPDATE opportunity_facts SET rep_id = $2, team = $3 WHERE opportunity_id = $1 AND won_at IS NULL AND lost_at IS NULL', [
      data.opportunityId,
      data.toRepId,
      data.team ?? null,
    ]);
  }

  async appendHistory(m: EntityManager, opportunityId: string, entry: HistoryEntry): Promise<void> {
    await m.query(
      `INSERT INTO opportunity_facts (opportunity_id, history) VALUES ($1, jsonb_build_array($2::jsonb))
       ON CONFLICT (opportunity_id) DO UPDATE SET history = opportunity_facts.history || $2::jsonb`,
      [opportunityId, JSON.stringify(entry)],
    );
  }

  async won(m: EntityManager, data: EventData<'opportunity.won'>, entry: HistoryEntry): Promise<void> {
    await m.query(
      `INSERT INTO opportunity_facts (opportunity_id, history, deal_known, lead_id, rep_id, team, region, currency, won_amount, won_at, created_at,
         account_id, contact_id)
       VALUES ($1, jsonb_build_array($2::jsonb), true, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (opportunity_id) DO UPDATE SET history = opportunity_facts.history || $2::jsonb, deal_known = true, lead_id = EXCLUDED.lead_id,
         rep_id = EXCLUDED.rep_id, team = COALESCE(EXCLUDED.team, opportunity_facts.team), region = COALESCE(EXCLUDED.region, opportunity_facts.region),
         currency = COALESCE(opportunity_facts.currency, EXCLUDED.currency), won_amount = EXCLUDED.won_amount, won_at = EXCLUDED.won_at,
         created_at = COALESCE(opportunity_facts.created_at, EXCLUDED.created_at), ${KEEP_CUSTOMER('opportunity_facts')}`,
      [
        data.opportunityId,
        JSON.stringify(entry),
        data.leadId,
        data.repId,
        data.team ?? null,
        data.region ?? null,
        data.currency,
        data.amount,
        ts(data.wonAt),
        ts(data.createdAt),
        data.accountId ?? null,
        data.contactId ?? null,
      ],
    );
  }

  async lost(m: EntityManager, data: EventData<'opportunity.lost'>, entry: HistoryEntry): Promise<void> {
    await m.query(
      `INSERT INTO opportunity_facts (opportunity_id, history, lost_at, rep_id) VALUES ($1, jsonb_build_array($2::jsonb), $3, $4)
       ON CONFLICT (opportunity_id) DO UPDATE SET history = opportunity_facts.history || $2::jsonb, lost_at = EXCLUDED.lost_at,
         rep_id = COALESCE(opportunity_facts.rep_id, EXCLUDED.rep_id)`,
      [data.opportunityId, JSON.stringify(entry), ts(data.lostAt), data.repId],
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
