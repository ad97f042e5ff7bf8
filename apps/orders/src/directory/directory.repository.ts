import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import type { CatalogueItem, Rep } from './directory.domain';
import { CatalogueItemEntity, RepEntity } from './directory.entities';

/** The catalogue and reps copies. */
@Injectable()
export class DirectoryRepository {
  item(m: EntityManager, sku: string): Promise<CatalogueItemEntity | null> {
    return m.findOne(CatalogueItemEntity, { where: { sku } });
  }

  rep(m: EntityManager, repId: string): Promise<RepEntity | null> {
    return m.findOne(RepEntity, { where: { repId } });
  }

  // The WHERE repeats the newer-wins rule for two first copies racing past the read.
  async saveItem(m: EntityManager, item: CatalogueItem): Promise<void> {
    await m.query(
      `INSERT INTO catalogue_items (sku, name, product_line, active, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, product_line = EXCLUDED.product_line,
         active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
       WHERE catalogue_items.updated_at <= EXCLUDED.updated_at`,
      [item.sku, item.name, item.productLine, item.active, item.updatedAt],
    );
  }

  async saveRep(m: EntityManager, rep: Rep): Promise<void> {
    await m.query(
      `INSERT INTO reps (rep_id, name, team, active, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (rep_id) DO UPDATE SET name = EXCLUDED.name, team = EXCLUDED.team,
         active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
       WHERE reps.updated_at <= EXCLUDED.updated_at`,
      [rep.repId, rep.name, rep.team, rep.active, rep.updatedAt],
    );
  }

  /** The active items among `skus`. */
  async sellable(m: EntityManager, skus: readonly string[]): Promise<Set<string>> {
    if (!skus.length) return new Set();
    const rows = await m.find(CatalogueItemEntity, { select: { sku: true }, where: { sku: In([...skus]), active: true } });
    return new Set(rows.map((r) => r.sku));
  }
}
