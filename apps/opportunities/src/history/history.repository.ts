import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OpportunityHistoryPlan } from './history.domain';

/** The SQL of the historical import: one opportunity with its lines and stage history, stored whole or not at all. */
@Injectable()
export class OpportunityHistoryRepository {
  /** Leads (of these ids) that already have an opportunity, with its id. */
  async opportunitiesOfLeads(m: EntityManager, leadIds: readonly string[]): Promise<Map<string, string>> {
    if (!leadIds.length) return new Map();
    const rows: { id: string; lead_id: string }[] = await m.query('SELECT id, lead_id FROM opportunities WHERE lead_id = ANY($1::uuid[])', [leadIds]);
    return new Map(rows.map((r) => [r.lead_id, r.id]));
  }

  /** Stores it; false (nothing stored) when its id, or an opportunity of its lead, is here already. */
  async insert(m: EntityManager, { row: o, lines, history }: OpportunityHistoryPlan): Promise<boolean> {
    const inserted: unknown[] = await m.query(
      `INSERT INTO opportunities (id, lead_id, pipeline_id, stage, stage_entered_at, status, rep_id, team, customer, account_key, region, product_line,
                                  expected_amount, currency, expected_close_date, won_amount, payment_terms, lost_reason, competitor, closed_at,
                                  created_by, created_at, account_id, contact_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        o.id,
        o.leadId,
        o.pipelineId,
        o.stage,
        o.stageEnteredAt,
        o.status,
        o.repId,
        o.team,
        JSON.stringify(o.customer),
        o.accountKey,
        o.region,
        o.productLine,
        o.expectedAmount,
        o.currency,
        o.expectedCloseDate,
        o.wonAmount,
        o.paymentTerms,
        o.lostReason,
        o.competitor,
        o.closedAt,
        o.createdBy,
        o.createdAt,
        o.accountId,
        o.contactId,
      ],
    );
    if (!inserted.length) return false;
    for (const [position, l] of lines.entries()) {
      await m.query(
        'INSERT INTO opportunity_lines (id, opportunity_id, position, sku, product_name, quantity, unit_price, discount) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7)',
        [o.id, position, l.sku, l.productName, l.quantity, l.unitPrice, l.discount],
      );
    }
    for (const h of history) {
      await m.query('INSERT INTO stage_history (opportunity_id, from_stage, to_stage, by, at) VALUES ($1, $2, $3, $4, $5)', [
        o.id,
        h.fromStage,
        h.toStage,
        h.by,
        h.at,
      ]);
    }
    return true;
  }
}
