import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventOf } from '@crm/contracts';

/**
 * The orders service's own copies of the catalogue (from inventory's `item.upserted`) and of the reps
 * (from leads' `rep.upserted`): enough to refuse an unknown SKU and to file an order under its rep's team.
 * A late, older update never overwrites a newer one.
 */
@Injectable()
export class DirectoryService {
  async upsertItem(manager: EntityManager, { data }: EventOf<'item.upserted'>): Promise<void> {
    await manager.query(
      `INSERT INTO catalogue_items (sku, name, product_line, active, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, product_line = EXCLUDED.product_line,
         active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
       WHERE catalogue_items.updated_at <= EXCLUDED.updated_at`,
      [data.sku, data.name, data.productLine ?? null, data.active, data.updatedAt],
    );
  }

  async upsertRep(manager: EntityManager, { data }: EventOf<'rep.upserted'>): Promise<void> {
    await manager.query(
      `INSERT INTO reps (rep_id, name, team, active, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (rep_id) DO UPDATE SET name = EXCLUDED.name, team = EXCLUDED.team,
         active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
       WHERE reps.updated_at <= EXCLUDED.updated_at`,
      [data.repId, data.name, data.team ?? null, data.active, data.updatedAt],
    );
  }

  /** The SKUs among `skus` that the catalogue does not know or has retired. */
  async unsellableSkus(manager: EntityManager, skus: string[]): Promise<Set<string>> {
    const rows: { sku: string }[] = await manager.query('SELECT sku FROM catalogue_items WHERE sku = ANY($1) AND active', [skus]);
    const known = new Set(rows.map((r) => r.sku));
    return new Set(skus.filter((s) => !known.has(s)));
  }

  async teamOf(manager: EntityManager, repId: string): Promise<string | null | undefined> {
    const [row] = await manager.query('SELECT team FROM reps WHERE rep_id = $1', [repId]);
    return row ? row.team : undefined;
  }
}
