import { HttpStatus, Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { paginate, ProblemException, type Page } from '@crm/http';
import { appendToOutbox, newEvent } from '@crm/messaging';
import { ERP_CONNECTOR, type ErpConnector } from '../erp/erp-connector';
import { itemNotFound } from '../items/items.service';
import { InventoryMetrics } from './inventory-metrics';
import { OrderStockService } from './order-stock.service';
import { appendMovements, ensureLevelRows, lockLevels, writeLevel } from './stock-levels.sql';
import { StockLevelEntity, StockMovementEntity } from './stock.entities';
import type { ListMovementsQueryDto, ListStockQueryDto, ReceiveStockDto, StockLevelDto, StockMovementDto, StockReceiptDto } from './stock.dto';

@Injectable()
export class StockService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: InventoryMetrics,
    private readonly orderStock: OrderStockService,
    @Optional() @Inject(ERP_CONNECTOR) private readonly erp: ErpConnector | null = null,
  ) {}

  /** Goods in: level up, ledger row, stock.received; a level lifted above its reorder point re-arms stock.low. */
  async receive(dto: ReceiveStockDto, by: string): Promise<StockReceiptDto> {
    if (this.erp) {
      // The ERP owns the stock then; a local receipt would be overwritten by the next sync.
      throw new ProblemException({ status: HttpStatus.CONFLICT, code: 'STOCK_MANAGED_BY_ERP', detail: 'Stock is managed by the ERP: book receipts there.' });
    }
    const receipt = await this.dataSource.transaction(async (manager) => {
      const [item] = await manager.query('SELECT sku FROM items WHERE sku = $1', [dto.sku]);
      if (!item) throw itemNotFound(dto.sku);
      const [warehouse] = await manager.query('SELECT id FROM warehouses WHERE id = $1', [dto.warehouseId]);
      if (!warehouse) {
        throw new ProblemException({ status: HttpStatus.NOT_FOUND, code: 'WAREHOUSE_NOT_FOUND', detail: `There is no warehouse ${dto.warehouseId}.` });
      }
      await ensureLevelRows(manager, [{ sku: dto.sku, warehouseId: dto.warehouseId }]);
      const [level] = await lockLevels(manager, [dto.sku], dto.warehouseId);
      const low = await writeLevel(manager, level, level.onHand + dto.quantity);
      const [movementId] = await appendMovements(manager, [
        { sku: dto.sku, warehouseId: dto.warehouseId, delta: dto.quantity, reason: 'receipt', note: dto.note ?? null, by },
      ]);
      const received = newEvent('stock.received', {
        subject: dto.sku,
        data: { sku: dto.sku, warehouseId: dto.warehouseId, quantity: dto.quantity, onHand: level.onHand, at: new Date().toISOString() },
      });
      await appendToOutbox(manager, low ? [received, low] : [received]);
      if (low) this.metrics.lowStockAlerts.inc();
      return { movementId, sku: dto.sku, warehouseId: dto.warehouseId, quantity: dto.quantity, onHand: level.onHand };
    });
    // Orders waiting for this SKU are served at once (the periodic sweep is the safety net).
    const servedBackorders = await this.orderStock.serveBackorders([dto.sku]);
    return { ...receipt, servedBackorders };
  }

  async levels(query: ListStockQueryDto): Promise<Page<StockLevelDto>> {
    const qb = this.dataSource.getRepository(StockLevelEntity).createQueryBuilder('level').innerJoinAndSelect('level.item', 'item');
    if (query.sku !== undefined) qb.andWhere('level.sku = :sku', { sku: query.sku });
    if (query.warehouseId !== undefined) qb.andWhere('level.warehouseId = :warehouseId', { warehouseId: query.warehouseId });
    if (query.belowReorderPoint !== undefined) {
      qb.andWhere(query.belowReorderPoint ? 'level.onHand <= item.reorderPoint' : 'level.onHand > item.reorderPoint');
    }
    // (sku, warehouse_id) is the key, so it makes a total keyset order.
    const page = await paginate(qb, { sort: { column: 'level.sku', direction: 'ASC' }, tieBreaker: 'warehouseId', limit: query.limit, cursor: query.cursor });
    return {
      items: page.items.map((l) => ({
        sku: l.sku,
        warehouseId: l.warehouseId,
        onHand: l.onHand,
        reorderPoint: l.item!.reorderPoint,
        low: l.onHand <= l.item!.reorderPoint,
        updatedAt: l.updatedAt.toISOString(),
      })),
      nextCursor: page.nextCursor,
    };
  }

  async movements(query: ListMovementsQueryDto): Promise<Page<StockMovementDto>> {
    const qb = this.dataSource.getRepository(StockMovementEntity).createQueryBuilder('movement');
    if (query.sku !== undefined) qb.andWhere('movement.sku = :sku', { sku: query.sku });
    if (query.orderId !== undefined) qb.andWhere('movement.orderId = :orderId', { orderId: query.orderId });
    const page = await paginate(qb, { sort: { column: 'id', direction: 'DESC' }, tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
    return {
      items: page.items.map((m) => ({
        id: String(m.id),
        sku: m.sku,
        warehouseId: m.warehouseId,
        delta: m.delta,
        reason: m.reason,
        orderId: m.orderId,
        eventId: m.eventId,
        note: m.note,
        by: m.by,
        createdAt: m.createdAt.toISOString(),
      })),
      nextCursor: page.nextCursor,
    };
  }
}
