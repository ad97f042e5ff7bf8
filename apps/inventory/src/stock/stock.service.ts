import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import type { Page } from '@crm/http';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { stockAction, stockChanges, stockLevelId } from '../audit/inventory-audit';
import { ERP_CONNECTOR, type ErpConnector } from '../erp/erp-connector';
import { itemNotFound } from '../items/items.domain';
import { InventoryMetrics } from './inventory-metrics';
import { OrderStockService } from './order-stock.service';
import { decideReceipt, stockManagedByErp } from './stock-level.domain';
import { StockRepository } from './stock.repository';
import type { ListMovementsQueryDto, ListStockQueryDto, ReceiveStockDto, StockLevelDto, StockMovementDto, StockReceiptDto } from './stock.dto';

@Injectable()
export class StockService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stock: StockRepository,
    private readonly metrics: InventoryMetrics,
    private readonly orderStock: OrderStockService,
    private readonly audit: AuditTrail,
    @Optional() @Inject(ERP_CONNECTOR) private readonly erp: ErpConnector | null = null,
  ) {}

  /** Goods in: level up, ledger row, stock.received; a level lifted above its reorder point re-arms stock.low. */
  async receive(dto: ReceiveStockDto, by: string): Promise<StockReceiptDto> {
    // The ERP owns the stock then; a local receipt would be overwritten by the next sync.
    if (this.erp) throw stockManagedByErp();
    const cmd = { sku: dto.sku, warehouseId: dto.warehouseId, quantity: dto.quantity, note: dto.note ?? null, by, now: new Date() };
    const { movementId, onHand, lowAlerts } = await inTransaction(this.dataSource, (m) =>
      loadDecideSave(m, {
        load: (tx) => this.stock.loadReceiptTarget(tx, dto.sku, dto.warehouseId),
        notFound: () => itemNotFound(dto.sku),
        decide: (target) => decideReceipt(target, cmd),
        save: async (tx, target, changes) => {
          const movementId = await this.stock.saveReceipt(tx, changes);
          await this.audit.record(tx, {
            recordType: 'stock_level',
            recordId: stockLevelId(dto.sku, dto.warehouseId),
            action: stockAction(changes.movement.reason),
            changes: stockChanges(target.level!, changes.level, changes.movement),
          });
          return { movementId, onHand: changes.level.onHand, lowAlerts: changes.lowAlerts };
        },
      }),
    );
    if (lowAlerts) this.metrics.lowStockAlerts.inc(lowAlerts);
    // Orders waiting for this SKU are served at once (the periodic sweep is the safety net).
    const servedBackorders = await this.orderStock.serveBackorders([dto.sku]);
    return { movementId, sku: dto.sku, warehouseId: dto.warehouseId, quantity: dto.quantity, onHand, servedBackorders };
  }

  async levels(query: ListStockQueryDto): Promise<Page<StockLevelDto>> {
    const page = await this.stock.levels(query);
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
    const page = await this.stock.movements(query);
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
