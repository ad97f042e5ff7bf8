import { Inject, Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope, EventOf } from '@crm/contracts';
import { appendToOutbox, newEvent } from '@crm/messaging';
import { ERP_CONNECTOR, type ErpConnector } from '../erp/erp-connector';
import { allocateOrder, sumLinesBySku, type Shortage, type StockLine, type WarehouseStock } from './allocation.domain';
import { InventoryMetrics } from './inventory-metrics';
import { appendMovements, ensureWarehouse, indexLevels, levelKey, lockLevels, writeLevel } from './stock-levels.sql';

export interface DeductionRequest {
  orderId: string;
  lines: readonly StockLine[];
  /** The order.confirmed event (ledger reference, ERP idempotency key). */
  eventId: string;
  by: string;
}

export type DeductionResult =
  | { outcome: 'deducted'; warehouseId: string; lines: StockLine[] }
  | { outcome: 'insufficient'; shortages: Shortage[] }
  /** The order was deducted before (maybe released since): a re-sent confirmation changes nothing. */
  | { outcome: 'already_allocated' };

export interface ReleaseRequest {
  orderId: string;
  eventId: string;
  by: string;
}

export type ReleaseResult = { outcome: 'released'; warehouseId: string; lines: StockLine[] } | { outcome: 'nothing_to_release' };

// Two-key advisory locks live in their own space; the first key names what the second one counts.
const ORDER_LOCK_CLASS = 0x1ea7;

interface AllocationRow {
  warehouse_id: string;
  lines: StockLine[];
  status: 'deducted' | 'released';
}

/**
 * Deducts and releases stock for orders, all or nothing. Every method runs in the caller's transaction
 * (the inbox transaction for events) and writes levels, ledger, allocation and outbox there, so either
 * all of it commits with the inbox row or none of it does.
 */
@Injectable()
export class OrderStockService {
  constructor(
    private readonly metrics: InventoryMetrics,
    @Optional() @Inject(ERP_CONNECTOR) private readonly erp: ErpConnector | null = null,
  ) {}

  onOrderConfirmed(event: EventOf<'order.confirmed'>, manager: EntityManager): Promise<DeductionResult> {
    const { orderId, lines, by } = event.data;
    return this.deduct(manager, { orderId, lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })), eventId: event.id, by });
  }

  onOrderCancelled(event: EventOf<'order.cancelled'>, manager: EntityManager): Promise<ReleaseResult> {
    return this.release(manager, { orderId: event.data.orderId, eventId: event.id, by: event.data.by });
  }

  async deduct(manager: EntityManager, request: DeductionRequest): Promise<DeductionResult> {
    const lines = sumLinesBySku(request.lines);
    // Serialises two deliveries for one order (a re-confirmation, a second replica): the allocation row decides.
    await this.lockOrder(manager, request.orderId);
    const [existing] = await manager.query('SELECT status FROM order_allocations WHERE order_id = $1', [request.orderId]);
    if (existing) return { outcome: 'already_allocated' };
    return this.erp ? this.deductInErp(manager, request, lines) : this.deductInLedger(manager, request, lines);
  }

  async release(manager: EntityManager, request: ReleaseRequest): Promise<ReleaseResult> {
    await this.lockOrder(manager, request.orderId);
    const [allocation]: AllocationRow[] = await manager.query(
      'SELECT warehouse_id, lines, status FROM order_allocations WHERE order_id = $1 FOR UPDATE',
      [request.orderId],
    );
    // Cancelled before anything was deducted (on hold), or released already: nothing to put back.
    if (allocation?.status !== 'deducted') return { outcome: 'nothing_to_release' };
    const warehouseId = allocation.warehouse_id;
    const lines = sumLinesBySku(allocation.lines);
    await this.erp?.release({ orderId: request.orderId, warehouseId, lines, idempotencyKey: request.eventId });

    const levels = indexLevels(await lockLevels(manager, lines.map((l) => l.sku), warehouseId));
    const events: EventEnvelope[] = [];
    for (const line of lines) {
      const level = levels.get(levelKey(line.sku, warehouseId));
      // In the built-in ledger the row exists (it was deducted from); an ERP mirror may not know the SKU.
      if (!level) continue;
      const low = await writeLevel(manager, level, level.onHand + line.quantity);
      if (low) events.push(low);
    }
    await appendMovements(
      manager,
      lines.map((l) => ({ sku: l.sku, warehouseId, delta: l.quantity, reason: 'order_release', orderId: request.orderId, eventId: request.eventId, by: request.by })),
    );
    await manager.query(`UPDATE order_allocations SET status = 'released', updated_at = now() WHERE order_id = $1`, [request.orderId]);
    events.unshift(
      newEvent('stock.released', { subject: request.orderId, data: { orderId: request.orderId, warehouseId, lines, at: new Date().toISOString() } }),
    );
    await appendToOutbox(manager, events);
    return { outcome: 'released', warehouseId, lines };
  }

  private async deductInLedger(manager: EntityManager, request: DeductionRequest, lines: StockLine[]): Promise<DeductionResult> {
    const locked = await lockLevels(manager, lines.map((l) => l.sku));
    const warehouses: { id: string }[] = await manager.query('SELECT id FROM warehouses ORDER BY priority, id');
    const stock: WarehouseStock[] = warehouses.map((w) => ({
      warehouseId: w.id,
      onHand: new Map(locked.filter((l) => l.warehouseId === w.id).map((l) => [l.sku, l.onHand])),
    }));
    const decision = allocateOrder(lines, stock);
    if (decision.kind === 'insufficient') return this.refuse(manager, request, decision.shortages, 'builtin');

    const levels = indexLevels(locked);
    const events: EventEnvelope[] = [];
    for (const line of decision.lines) {
      const level = levels.get(levelKey(line.sku, decision.warehouseId))!;
      const low = await writeLevel(manager, level, level.onHand - line.quantity);
      if (low) events.push(low);
    }
    return this.recordDeduction(manager, request, decision.warehouseId, decision.lines, events, 'builtin');
  }

  /** The ERP decides; the local levels are only a mirror, brought in line here and by the scheduled sync. */
  private async deductInErp(manager: EntityManager, request: DeductionRequest, lines: StockLine[]): Promise<DeductionResult> {
    const answer = await this.erp!.deduct({ orderId: request.orderId, lines, idempotencyKey: request.eventId });
    if (answer.outcome === 'insufficient') return this.refuse(manager, request, answer.shortages, 'erp');

    await ensureWarehouse(manager, answer.warehouseId);
    const levels = indexLevels(await lockLevels(manager, lines.map((l) => l.sku), answer.warehouseId));
    const events: EventEnvelope[] = [];
    for (const line of lines) {
      const level = levels.get(levelKey(line.sku, answer.warehouseId));
      if (!level) continue;
      const low = await writeLevel(manager, level, Math.max(0, level.onHand - line.quantity));
      if (low) events.push(low);
    }
    return this.recordDeduction(manager, request, answer.warehouseId, lines, events, 'erp');
  }

  private async recordDeduction(
    manager: EntityManager, request: DeductionRequest, warehouseId: string, lines: StockLine[], lowEvents: EventEnvelope[], ledger: 'builtin' | 'erp',
  ): Promise<DeductionResult> {
    const { orderId, eventId, by } = request;
    await appendMovements(manager, lines.map((l) => ({ sku: l.sku, warehouseId, delta: -l.quantity, reason: 'order_deduction', orderId, eventId, by })));
    await manager.query(
      `INSERT INTO order_allocations (order_id, warehouse_id, lines, status, event_id) VALUES ($1, $2, $3::jsonb, 'deducted', $4)`,
      [orderId, warehouseId, JSON.stringify(lines), eventId],
    );
    const deducted = newEvent('stock.deducted', { subject: orderId, data: { orderId, warehouseId, lines, at: new Date().toISOString() } });
    await appendToOutbox(manager, [deducted, ...lowEvents]);
    this.metrics.recordDeduction('deducted', ledger);
    if (lowEvents.length) this.metrics.lowStockAlerts.inc(lowEvents.length);
    return { outcome: 'deducted', warehouseId, lines };
  }

  private async refuse(manager: EntityManager, request: DeductionRequest, shortages: Shortage[], ledger: 'builtin' | 'erp'): Promise<DeductionResult> {
    await appendToOutbox(manager, [
      newEvent('stock.insufficient', { subject: request.orderId, data: { orderId: request.orderId, shortages, at: new Date().toISOString() } }),
    ]);
    this.metrics.recordDeduction('insufficient', ledger);
    return { outcome: 'insufficient', shortages };
  }

  private async lockOrder(manager: EntityManager, orderId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ORDER_LOCK_CLASS, orderId]);
  }
}
