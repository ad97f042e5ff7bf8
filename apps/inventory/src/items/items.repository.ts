import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { paginate, type Page } from '@crm/http';
import { ItemEntity } from './item.entity';
import type { ItemFields, ItemState, Item } from './items.domain';
import type { ListItemsQueryDto } from './items.dto';

@Injectable()
export class ItemsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The item a PUT replaces, locked; when there is none, it is created here with `fields` (insert first, so two
   * PUTs creating one SKU at once cannot both create it: the second finds the first's row and replaces it).
   */
  async claim(m: EntityManager, sku: string, fields: ItemFields): Promise<ItemState> {
    const inserted: unknown[] = await m.query(
      `INSERT INTO items (sku, name, product_line, reorder_point, active) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (sku) DO NOTHING RETURNING sku`,
      [sku, fields.name, fields.productLine, fields.reorderPoint, fields.active],
    );
    const repo = m.getRepository(ItemEntity);
    if (inserted.length) return { version: 0, item: await repo.findOneByOrFail({ sku }), created: true };
    const item = await repo.createQueryBuilder('item').setLock('pessimistic_write').where('item.sku = :sku', { sku }).getOneOrFail();
    return { version: item.version, item, created: false };
  }

  /** Stores a replaced item; returns the row as stored. */
  async save(m: EntityManager, item: Item): Promise<ItemEntity> {
    await m.query(`UPDATE items SET name = $2, product_line = $3, reorder_point = $4, active = $5, version = $6, updated_at = $7 WHERE sku = $1`, [
      item.sku,
      item.name,
      item.productLine,
      item.reorderPoint,
      item.active,
      item.version,
      item.updatedAt,
    ]);
    return m.getRepository(ItemEntity).findOneByOrFail({ sku: item.sku });
  }

  list(query: ListItemsQueryDto): Promise<Page<ItemEntity>> {
    const qb = this.dataSource.getRepository(ItemEntity).createQueryBuilder('item');
    if (query.productLine !== undefined) qb.andWhere('item.productLine = :productLine', { productLine: query.productLine });
    if (query.active !== undefined) qb.andWhere('item.active = :active', { active: query.active });
    return paginate(qb, { sort: { column: 'sku', direction: 'ASC' }, tieBreaker: 'sku', limit: query.limit, cursor: query.cursor });
  }

  /** An item with its stock per warehouse, by warehouse priority; null when there is no such item. */
  async withStock(sku: string): Promise<{ item: ItemEntity; stock: { warehouseId: string; onHand: number }[] } | null> {
    const item = await this.dataSource.getRepository(ItemEntity).findOneBy({ sku });
    if (!item) return null;
    const rows: { warehouse_id: string; on_hand: number }[] = await this.dataSource.query(
      `SELECT l.warehouse_id, l.on_hand FROM stock_levels l JOIN warehouses w ON w.id = l.warehouse_id
        WHERE l.sku = $1 ORDER BY w.priority, w.id`,
      [sku],
    );
    return { item, stock: rows.map((r) => ({ warehouseId: r.warehouse_id, onHand: r.on_hand })) };
  }
}
