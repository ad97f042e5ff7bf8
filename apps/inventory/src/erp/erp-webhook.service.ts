import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { claimWebhookEvent, ProblemException } from '@crm/http';
import { appendToOutbox, newEvent } from '@crm/messaging';
import { itemNotFound } from '../items/items.service';
import { InventoryMetrics } from '../stock/inventory-metrics';
import { OrderStockService } from '../stock/order-stock.service';
import { appendMovements, ensureLevelRows, ensureWarehouse, lockLevels, writeLevel } from '../stock/stock-levels.sql';
import type { ErpStockEventDto, ErpStockEventResultDto } from './erp-webhook.dto';

export const ERP_WEBHOOK_SOURCE = 'inventory-erp';

/** Applies stock changes the ERP pushes, once per ERP event id, in one transaction with their events. */
@Injectable()
export class ErpWebhookService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: InventoryMetrics,
    private readonly orderStock: OrderStockService,
  ) {}

  async apply(dto: ErpStockEventDto): Promise<ErpStockEventResultDto> {
    if (dto.type === 'receipt' && dto.quantity < 1) {
      throw new ProblemException({
        status: HttpStatus.BAD_REQUEST,
        code: 'VALIDATION_FAILED',
        detail: 'The request has 1 invalid field.',
        errors: [{ field: 'quantity', constraint: 'min', message: 'quantity of a receipt must be at least 1' }],
      });
    }
    const onHand = await this.dataSource.transaction(async (manager) => {
      if (!(await claimWebhookEvent(manager, ERP_WEBHOOK_SOURCE, dto.eventId))) return null;
      const [item] = await manager.query('SELECT sku FROM items WHERE sku = $1', [dto.sku]);
      if (!item) throw itemNotFound(dto.sku);
      await ensureWarehouse(manager, dto.warehouseId);
      await ensureLevelRows(manager, [{ sku: dto.sku, warehouseId: dto.warehouseId }]);
      const [level] = await lockLevels(manager, [dto.sku], dto.warehouseId);
      const next = level.onHand + dto.quantity;
      if (next < 0) {
        // The mirror is behind the ERP; the next sync brings the level, a negative one is never stored.
        throw new ProblemException({
          status: HttpStatus.CONFLICT,
          code: 'NEGATIVE_STOCK',
          detail: `The adjustment would take ${dto.sku} in ${dto.warehouseId} from ${level.onHand} to ${next}.`,
        });
      }
      const low = await writeLevel(manager, level, next);
      await appendMovements(manager, [
        { sku: dto.sku, warehouseId: dto.warehouseId, delta: dto.quantity, reason: dto.type, note: dto.note ?? `ERP event ${dto.eventId}`, by: 'erp' },
      ]);
      const events = [];
      if (dto.type === 'receipt') {
        events.push(
          newEvent('stock.received', {
            subject: dto.sku,
            data: { sku: dto.sku, warehouseId: dto.warehouseId, quantity: dto.quantity, onHand: next, at: new Date().toISOString() },
          }),
        );
      }
      if (low) events.push(low);
      if (events.length) await appendToOutbox(manager, events);
      if (low) this.metrics.lowStockAlerts.inc();
      return next;
    });
    if (onHand === null) return { eventId: dto.eventId, duplicate: true };
    const servedBackorders = dto.type === 'receipt' ? await this.orderStock.serveBackorders([dto.sku]) : [];
    return { eventId: dto.eventId, duplicate: false, onHand, servedBackorders };
  }
}
