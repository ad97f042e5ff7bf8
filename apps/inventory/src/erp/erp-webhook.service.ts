import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { stockAction, stockChanges, stockLevelId } from '../audit/inventory-audit';
import { itemNotFound } from '../items/items.domain';
import { InventoryMetrics } from '../stock/inventory-metrics';
import { OrderStockService } from '../stock/order-stock.service';
import { checkErpStockEvent, decideErpStockEvent } from './erp-stock.domain';
import { ErpStockRepository } from './erp-stock.repository';
import type { ErpStockEventDto, ErpStockEventResultDto } from './erp-webhook.dto';

/** Applies stock changes the ERP pushes, once per ERP event id, in one transaction with their events. */
@Injectable()
export class ErpWebhookService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stock: ErpStockRepository,
    private readonly metrics: InventoryMetrics,
    private readonly orderStock: OrderStockService,
    private readonly audit: AuditTrail,
  ) {}

  async apply(dto: ErpStockEventDto): Promise<ErpStockEventResultDto> {
    checkErpStockEvent(dto);
    const applied = await inTransaction(this.dataSource, async (m) => {
      if (!(await this.stock.claimEvent(m, dto.eventId))) return null;
      return loadDecideSave(m, {
        load: (tx) => this.stock.loadTarget(tx, dto.sku, dto.warehouseId),
        notFound: () => itemNotFound(dto.sku),
        decide: (target) => decideErpStockEvent(target, { ...dto, now: new Date() }),
        save: async (tx, target, changes) => {
          await this.stock.save(tx, changes);
          // The ERP signs the request; no user token names who.
          const [level, movement] = [changes.levels[0], changes.movements[0]];
          await this.audit.record(tx, {
            recordType: 'stock_level',
            recordId: stockLevelId(dto.sku, dto.warehouseId),
            action: stockAction(movement.reason),
            changes: stockChanges(target.level!, level, movement),
            actor: 'erp',
          });
          return changes;
        },
      });
    });
    if (!applied) return { eventId: dto.eventId, duplicate: true };
    this.metrics.lowStockAlerts.inc(applied.lowAlerts);
    // More stock (a receipt or an upward count) may serve waiting orders, with or without an ERP behind it.
    const servedBackorders = dto.quantity > 0 ? await this.orderStock.serveBackorders([dto.sku]) : [];
    return { eventId: dto.eventId, duplicate: false, onHand: applied.levels[0].onHand, servedBackorders };
  }
}
