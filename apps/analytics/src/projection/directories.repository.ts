import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventData } from '@crm/contracts';
import { select, ts, type ItemRow, type RepRow } from './fact-rows';

/** A directory row's classification before and after an upsert (`after` missing: the stored version was newer). */
export interface Restated<T> {
  before?: T;
  after?: T;
}

/** The directories copied from events: reps (rep.upserted) and items (item.upserted). */
@Injectable()
export class DirectoriesRepository {
  async upsertRep(m: EntityManager, data: EventData<'rep.upserted'>): Promise<Restated<Pick<RepRow, 'team'>>> {
    const [before] = await select<Pick<RepRow, 'team'>>(m, 'SELECT team FROM reps WHERE rep_id = $1 FOR UPDATE', [data.repId]);
    const [after] = await select<Pick<RepRow, 'team'>>(
      m,
      `INSERT INTO reps (rep_id, name, team, active, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (rep_id) DO UPDATE SET name = EXCLUDED.name, team = EXCLUDED.team, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
       WHERE reps.updated_at <= EXCLUDED.updated_at RETURNING team`,
      [data.repId, data.name, data.team ?? null, data.active, ts(data.updatedAt)],
    );
    return { before, after };
  }

  /** The facts of a rep whose own events named no team: they take the rep's. */
  async factsOnRepTeam(m: EntityManager, repId: string): Promise<{ leads: string[]; opportunities: string[]; orders: string[] }> {
    const leads = await select<{ lead_id: string }>(m, 'SELECT lead_id FROM lead_facts WHERE rep_id = $1 AND team IS NULL', [repId]);
    const opportunities = await select<{ opportunity_id: string }>(m, 'SELECT opportunity_id FROM opportunity_facts WHERE rep_id = $1 AND team IS NULL', [
      repId,
    ]);
    const orders = await select<{ order_id: string }>(m, 'SELECT order_id FROM order_facts WHERE rep_id = $1 AND team IS NULL', [repId]);
    return { leads: leads.map((r) => r.lead_id), opportunities: opportunities.map((r) => r.opportunity_id), orders: orders.map((r) => r.order_id) };
  }

  async upsertItem(m: EntityManager, data: EventData<'item.upserted'>): Promise<Restated<Pick<ItemRow, 'product_line'>>> {
    const [before] = await select<Pick<ItemRow, 'product_line'>>(m, 'SELECT product_line FROM items WHERE sku = $1 FOR UPDATE', [data.sku]);
    const [after] = await select<Pick<ItemRow, 'product_line'>>(
      m,
      `INSERT INTO items (sku, name, product_line, active, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, product_line = EXCLUDED.product_line, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
       WHERE items.updated_at <= EXCLUDED.updated_at RETURNING product_line`,
      [data.sku, data.name, data.productLine ?? null, data.active, ts(data.updatedAt)],
    );
    return { before, after };
  }

  async ordersWithSku(m: EntityManager, sku: string): Promise<string[]> {
    const rows = await select<{ order_id: string }>(m, 'SELECT DISTINCT order_id FROM order_line_facts WHERE sku = $1', [sku]);
    return rows.map((r) => r.order_id);
  }
}
