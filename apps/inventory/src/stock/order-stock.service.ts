import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { DataSource, type EntityManager } from 'typeorm';
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
  private readonly logger = new Logger(OrderStockService.name);

  constructor(
    private readonly dataSource: DataSource,
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
    return this.erp ? this.deductInErp(manager, request, lines) : this.deductInLedger(manager, request, lines, 'answer');
  }

  /**
   * Serves waiting orders (all of them, or those needing one of `skus`), oldest first, each all or nothing in
   * its own transaction that locks like an event handler does (order, then stock rows in SKU order), so it
   * never deadlocks with one. An order that still cannot be served keeps waiting without a new
   * `stock.insufficient`. Called after a receipt commits and every few seconds (releases, crashes).
   */
  async serveBackorders(skus?: string[], limit = 200): Promise<string[]> {
    if (this.erp) return []; // the ERP decides there, and keeps its own backorders
    const waiting: { order_id: string }[] = await this.dataSource.query(
      'SELECT order_id FROM backorders WHERE ($1::text[] IS NULL OR skus && $1::text[]) ORDER BY created_at, order_id LIMIT $2',
      [skus ?? null, limit],
    );
    const served: string[] = [];
    for (const { order_id: orderId } of waiting) {
      const deducted = await this.dataSource.transaction(async (manager) => {
        await this.lockOrder(manager, orderId);
        const [order]: { lines: StockLine[]; event_id: string; by: string }[] = await manager.query(
          'SELECT lines, event_id, by FROM backorders WHERE order_id = $1',
          [orderId],
        );
        if (!order) return false; // served or cancelled meanwhile
        const request = { orderId, lines: order.lines, eventId: order.event_id, by: order.by };
        return (await this.deductInLedger(manager, request, sumLinesBySku(order.lines), 'wait')).outcome === 'deducted';
      });
      if (deducted) served.push(orderId);
    }
    return served;
  }

  @Interval('inventory-backorders', 10_000)
  async sweepBackorders(): Promise<void> {
    await this.serveBackorders().catch((err: Error) => this.logger.error(`backorder sweep failed: ${err.message}`));
  }

  async release(manager: EntityManager, request: ReleaseRequest): Promise<ReleaseResult> {
    await this.lockOrder(manager, request.orderId);
    // A cancelled order stops waiting for stock.
    await manager.query('DELETE FROM backorders WHERE order_id = $1', [request.orderId]);
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

  /** `onShortage`: answer a new confirmation with stock.insufficient (and queue it), or let a backorder keep waiting. */
  private async deductInLedger(manager: EntityManager, request: DeductionRequest, lines: StockLine[], onShortage: 'answer' | 'wait'): Promise<DeductionResult> {
    const locked = await lockLevels(manager, lines.map((l) => l.sku));
    const warehouses: { id: string }[] = await manager.query('SELECT id FROM warehouses ORDER BY priority, id');
    const stock: WarehouseStock[] = warehouses.map((w) => ({
      warehouseId: w.id,
      onHand: new Map(locked.filter((l) => l.warehouseId === w.id).map((l) => [l.sku, l.onHand])),
    }));
    const decision = allocateOrder(lines, stock);
    if (decision.kind === 'insufficient') {
      if (onShortage === 'wait') return { outcome: 'insufficient', shortages: decision.shortages };
      await manager.query(
        `INSERT INTO backorders (order_id, lines, skus, event_id, by) VALUES ($1, $2::jsonb, $3::text[], $4, $5) ON CONFLICT (order_id) DO NOTHING`,
        [request.orderId, JSON.stringify(lines), lines.map((l) => l.sku), request.eventId, request.by],
      );
      return this.refuse(manager, request, decision.shortages, 'builtin');
    }

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
    await manager.query('DELETE FROM backorders WHERE order_id = $1', [orderId]);
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
