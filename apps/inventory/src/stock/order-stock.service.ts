import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { DataSource, type EntityManager } from 'typeorm';
import type { EventOf } from '@crm/contracts';
import { DomainError, type Decision } from '@crm/domain';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { ERP_CONNECTOR, type ErpConnector } from '../erp/erp-connector';
import {
  alreadyDeducted,
  decideDeduction,
  decideErpDeduction,
  decideRelease,
  decideServeWaiting,
  levelsForDeduction,
  levelsForErpDeduction,
  levelsForRelease,
  levelsForWaiting,
  releasable,
  sumLinesBySku,
  type DeductionResult,
  type LevelScope,
  type OrderStock,
  type OrderStockChanges,
  type ReleaseResult,
  type StockLine,
} from './allocation.domain';
import { InventoryMetrics, type LedgerKind } from './inventory-metrics';
import { OrderStockRepository } from './order-stock.repository';

export type { DeductionResult, ReleaseResult } from './allocation.domain';

export interface DeductionRequest {
  orderId: string;
  lines: readonly StockLine[];
  /** The order.confirmed event (ledger reference, ERP idempotency key). */
  eventId: string;
  by: string;
}

export interface ReleaseRequest {
  orderId: string;
  eventId: string;
  by: string;
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
    private readonly orders: OrderStockRepository,
    private readonly metrics: InventoryMetrics,
    @Optional() @Inject(ERP_CONNECTOR) private readonly erp: ErpConnector | null = null,
  ) {}

  onOrderConfirmed(m: EntityManager, event: EventOf<'order.confirmed'>): Promise<DeductionResult> {
    const { orderId, lines, by } = event.data;
    return this.deduct(m, { orderId, lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })), eventId: event.id, by });
  }

  onOrderCancelled(m: EntityManager, event: EventOf<'order.cancelled'>): Promise<ReleaseResult> {
    return this.release(m, { orderId: event.data.orderId, eventId: event.id, by: event.data.by });
  }

  async deduct(m: EntityManager, request: DeductionRequest): Promise<DeductionResult> {
    const cmd = { ...request, lines: sumLinesBySku(request.lines), now: new Date() };
    if (this.erp) return this.deductInErp(m, cmd, this.erp);
    const changes = await this.step(m, cmd.orderId, levelsForDeduction(cmd.lines), (order) => decideDeduction(order, { ...cmd, onShortage: 'answer' }));
    this.count(changes, 'builtin');
    return changes.result;
  }

  /**
   * Serves waiting orders (all of them, or those needing one of `skus`), oldest first, each all or nothing in
   * its own transaction that locks like an event handler does (order, then stock rows in SKU order), so it
   * never deadlocks with one. An order that still cannot be served keeps waiting without a new
   * `stock.insufficient`. Called after a receipt commits and every few seconds (releases, crashes).
   */
  async serveBackorders(skus?: string[], limit = 200): Promise<string[]> {
    if (this.erp) return []; // the ERP decides there, and keeps its own backorders
    const served: string[] = [];
    for (const orderId of await this.orders.waiting(skus, limit)) {
      const changes = await inTransaction(this.dataSource, (m) => this.step(m, orderId, levelsForWaiting, (order) => decideServeWaiting(order, new Date())));
      if (changes.result.outcome !== 'deducted') continue; // served or cancelled meanwhile, or still short
      this.count(changes as OrderStockChanges<DeductionResult>, 'builtin');
      served.push(orderId);
    }
    return served;
  }

  @Interval('inventory-backorders', 10_000)
  async sweepBackorders(): Promise<void> {
    await this.serveBackorders().catch((err: Error) => this.logger.error(`backorder sweep failed: ${err.message}`));
  }

  async release(m: EntityManager, request: ReleaseRequest): Promise<ReleaseResult> {
    const cmd = { ...request, now: new Date() };
    if (this.erp) {
      // The ERP gives the stock back first, under the order's lock; the mirror follows below.
      const put = releasable(await this.orders.load(m, cmd.orderId, () => null));
      if (put) await this.erp.release({ orderId: cmd.orderId, ...put, idempotencyKey: cmd.eventId });
    }
    return (await this.step(m, cmd.orderId, levelsForRelease, (order) => decideRelease(order, cmd))).result;
  }

  /** The ERP decides; the local levels are only a mirror, brought in line here and by the scheduled sync. */
  private async deductInErp(m: EntityManager, cmd: { orderId: string; lines: StockLine[]; eventId: string; by: string; now: Date }, erp: ErpConnector) {
    // Asked once per order: the order's lock (taken here, held to commit) keeps a second delivery waiting.
    const already = alreadyDeducted(await this.orders.load(m, cmd.orderId, () => null));
    if (already) return already;
    const answer = await erp.deduct({ orderId: cmd.orderId, lines: cmd.lines, idempotencyKey: cmd.eventId });
    const changes = await this.step(m, cmd.orderId, levelsForErpDeduction(cmd.lines, answer), (order) => decideErpDeduction(order, cmd, answer));
    this.count(changes, 'erp');
    return changes.result;
  }

  /** One command on an order's stock: lock and load it, decide, store the changes and their events. */
  private step<R>(
    m: EntityManager,
    orderId: string,
    levelsFor: (order: Pick<OrderStock, 'allocation' | 'backorder'>) => LevelScope | null,
    decide: (order: OrderStock) => Decision<OrderStockChanges<R>>,
  ): Promise<OrderStockChanges<R>> {
    return loadDecideSave(m, {
      load: (tx) => this.orders.load(tx, orderId, levelsFor),
      notFound: () => DomainError.notFound('order', orderId),
      decide,
      save: async (tx, _order, changes) => {
        await this.orders.save(tx, orderId, changes);
        return changes;
      },
    });
  }

  private count(changes: OrderStockChanges<DeductionResult>, ledger: LedgerKind): void {
    const { outcome } = changes.result;
    if (outcome === 'deducted' || outcome === 'insufficient') this.metrics.recordDeduction(outcome, ledger);
    if (changes.lowAlerts) this.metrics.lowStockAlerts.inc(changes.lowAlerts);
  }
}
