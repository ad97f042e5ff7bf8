import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { assertVersion, paginate, ProblemException, type Page } from '@crm/http';
import { appendToOutbox, newEvent } from '@crm/messaging';
import { ItemEntity } from './item.entity';
import type { ItemDto, ItemWithStockDto, ListItemsQueryDto, UpsertItemDto } from './items.dto';

export const itemNotFound = (sku: string) =>
  new ProblemException({ status: HttpStatus.NOT_FOUND, code: 'ITEM_NOT_FOUND', detail: `There is no item with SKU ${sku}.` });

export const toItemDto = (item: ItemEntity): ItemDto => ({
  sku: item.sku,
  name: item.name,
  productLine: item.productLine,
  reorderPoint: item.reorderPoint,
  active: item.active,
  version: item.version,
  createdAt: item.createdAt.toISOString(),
  updatedAt: item.updatedAt.toISOString(),
});

@Injectable()
export class ItemsService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Creates or replaces an item and publishes item.upserted; a PUT that changes nothing is answered
   * with the current item and publishes nothing. With If-Match only that version is replaced.
   */
  upsert(sku: string, dto: UpsertItemDto, expectedVersion?: number): Promise<{ item: ItemDto; created: boolean }> {
    const wanted = { name: dto.name, productLine: dto.productLine ?? null, reorderPoint: dto.reorderPoint ?? 0, active: dto.active ?? true };
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(ItemEntity);
      const inserted: unknown[] = await manager.query(
        `INSERT INTO items (sku, name, product_line, reorder_point, active) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (sku) DO NOTHING RETURNING sku`,
        [sku, wanted.name, wanted.productLine, wanted.reorderPoint, wanted.active],
      );
      if (inserted.length) {
        // If-Match names a version of something that exists; on a create there is none to match.
        if (expectedVersion !== undefined) assertVersion(0, expectedVersion);
        const item = await repo.findOneByOrFail({ sku });
        await this.publish(manager, item);
        return { item: toItemDto(item), created: true };
      }
      const current = await repo.createQueryBuilder('item').setLock('pessimistic_write').where('item.sku = :sku', { sku }).getOneOrFail();
      if (expectedVersion !== undefined) assertVersion(current.version, expectedVersion);
      const unchanged = (Object.keys(wanted) as (keyof typeof wanted)[]).every((k) => current[k] === wanted[k]);
      if (unchanged) return { item: toItemDto(current), created: false };
      await manager.query(
        `UPDATE items SET name = $2, product_line = $3, reorder_point = $4, active = $5, version = version + 1, updated_at = now() WHERE sku = $1`,
        [sku, wanted.name, wanted.productLine, wanted.reorderPoint, wanted.active],
      );
      const item = await repo.findOneByOrFail({ sku });
      await this.publish(manager, item);
      return { item: toItemDto(item), created: false };
    });
  }

  async list(query: ListItemsQueryDto): Promise<Page<ItemDto>> {
    const qb = this.dataSource.getRepository(ItemEntity).createQueryBuilder('item');
    if (query.productLine !== undefined) qb.andWhere('item.productLine = :productLine', { productLine: query.productLine });
    if (query.active !== undefined) qb.andWhere('item.active = :active', { active: query.active });
    const page = await paginate(qb, { sort: { column: 'sku', direction: 'ASC' }, tieBreaker: 'sku', limit: query.limit, cursor: query.cursor });
    return { items: page.items.map(toItemDto), nextCursor: page.nextCursor };
  }

  async get(sku: string): Promise<ItemWithStockDto> {
    const item = await this.dataSource.getRepository(ItemEntity).findOneBy({ sku });
    if (!item) throw itemNotFound(sku);
    const rows: { warehouse_id: string; on_hand: number }[] = await this.dataSource.query(
      `SELECT l.warehouse_id, l.on_hand FROM stock_levels l JOIN warehouses w ON w.id = l.warehouse_id
        WHERE l.sku = $1 ORDER BY w.priority, w.id`,
      [sku],
    );
    const stock = rows.map((r) => ({ warehouseId: r.warehouse_id, onHand: r.on_hand, low: r.on_hand <= item.reorderPoint }));
    return { ...toItemDto(item), stock, totalOnHand: stock.reduce((n, s) => n + s.onHand, 0) };
  }

  private async publish(manager: EntityManager, item: ItemEntity): Promise<void> {
    await appendToOutbox(manager, [
      newEvent('item.upserted', {
        subject: item.sku,
        data: { sku: item.sku, name: item.name, productLine: item.productLine ?? undefined, active: item.active, updatedAt: item.updatedAt.toISOString() },
      }),
    ]);
  }
}

