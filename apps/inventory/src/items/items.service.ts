import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import type { Page } from '@crm/http';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { itemChanges } from '../audit/inventory-audit';
import { decideUpsert, itemFields, itemNotFound, type Item } from './items.domain';
import type { ItemDto, ItemWithStockDto, ListItemsQueryDto, UpsertItemDto } from './items.dto';
import { ItemsRepository } from './items.repository';

export const toItemDto = (item: Item): ItemDto => ({
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
  constructor(
    private readonly dataSource: DataSource,
    private readonly items: ItemsRepository,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Creates or replaces an item and publishes item.upserted; a PUT that changes nothing is answered
   * with the current item and publishes nothing. With If-Match only that version is replaced.
   */
  upsert(sku: string, dto: UpsertItemDto, expectedVersion?: number): Promise<{ item: ItemDto; created: boolean }> {
    const cmd = { ...dto, now: new Date() };
    return inTransaction(this.dataSource, (m) =>
      loadDecideSave(m, {
        load: (tx) => this.items.claim(tx, sku, itemFields(dto)),
        notFound: () => itemNotFound(sku),
        expectedVersion,
        decide: (state) => decideUpsert(state, cmd),
        save: async (tx, state, { update }) => {
          const item = update ? await this.items.save(tx, update) : state.item;
          const [action, changes] = state.created ? ['created', itemChanges(null, item)] : ['updated', itemChanges(state.item, item)];
          await this.audit.record(tx, { recordType: 'item', recordId: sku, action, changes });
          return { item: toItemDto(item), created: state.created };
        },
      }),
    );
  }

  async list(query: ListItemsQueryDto): Promise<Page<ItemDto>> {
    const page = await this.items.list(query);
    return { items: page.items.map(toItemDto), nextCursor: page.nextCursor };
  }

  async get(sku: string): Promise<ItemWithStockDto> {
    const found = await this.items.withStock(sku);
    if (!found) throw itemNotFound(sku);
    const stock = found.stock.map((s) => ({ ...s, low: s.onHand <= found.item.reorderPoint }));
    return { ...toItemDto(found.item), stock, totalOnHand: stock.reduce((n, s) => n + s.onHand, 0) };
  }
}
