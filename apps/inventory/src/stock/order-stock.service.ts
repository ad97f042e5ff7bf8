import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { DataSource, type EntityManager } from 'typeorm';
import type { EventOf } from '@crm/contracts';
import { DomainError, type Decision } from '@crm/domain';
import { ErpRejectedError } from '@crm/erp-client';
import type { EmitEvents } from '@crm/messaging';
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
import { decideErpRefusal, decideErpServeWaiting, erpServeRequest, type ErpRefused } from './erp-allocation.domain';
import { InventoryMetrics, type LedgerKind } from './inventory-metrics';
import { OrderStockRepository } from './order-stock.repository';

export type { DeductionResult, ReleaseResult } from './allocation.domain';

export interface DeductionRequest {
  orderId: string;
  lines: readonly StockLine[];
  /** The order.confirmed event (ledger reference, ERP idempotency key). */
  eventId: string;
  by: string;
  /** An operator's retry after an ERP refusal (ADR 0013): a compensated order is deducted again. */
  redo?: boolean;
}

export interface ReleaseRequest {
  orderId: string;
  eventId: string;
  by: string;
  /** The compensation of an ERP refusal (ADR 0013), not a cancellation. */
  compensate?: boolean;
}

type ErpDeductCommand = { orderId: string; lines: StockLine[]; eventId: string; by: string; now: Date; redo?: boolean };

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

  /** `emit`: where the answer's events go (the inbox chunk's one outbox write); absent, straight to the outbox. */
  onOrderConfirmed(m: EntityManager, event: EventOf<'order.confirmed'>, emit?: EmitEvents): Promise<DeductionResult> {
    const { orderId, lines, by } = event.data;
    return this.deduct(m, { orderId, lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })), eventId: event.id, by }, emit);
  }

  onOrderCancelled(m: EntityManager, event: EventOf<'order.cancelled'>, emit?: EmitEvents): Promise<ReleaseResult> {
    return this.release(m, { orderId: event.data.orderId, eventId: event.id, by: event.data.by }, emit);
  }

  /** The compensation of an ERP refusal: what the order took is put back, and it stops waiting for stock. */
  async onOrderOnHold(m: EntityManager, event: EventOf<'order.on_hold'>, emit?: EmitEvents): Promise<ReleaseResult | null> {
    if (event.data.kind !== 'erp_refused') return null; // a shortage hold is inventory's own answer
    return this.release(m, { orderId: event.data.orderId, eventId: event.id, by: 'system', compensate: true }, emit);
  }

  /** An operator's retry after an ERP refusal: deducts again, with the retry's event id as the ERP's key. */
  onErpRetryRequested(m: EntityManager, event: EventOf<'order.erp_retry_requested'>, emit?: EmitEvents): Promise<DeductionResult> {
    const { orderId, lines, by } = event.data;
    return this.deduct(m, { orderId, lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })), eventId: event.id, by, redo: true }, emit);
  }

  async deduct(m: EntityManager, request: DeductionRequest, emit?: EmitEvents): Promise<DeductionResult> {
    const cmd = { ...request, lines: sumLinesBySku(request.lines), now: new Date() };
    if (this.erp) return this.deductInErp(m, cmd, this.erp, emit);
    const changes = await this.step(
      m,
      cmd.orderId,
      levelsForDeduction(cmd.lines, cmd.redo),
      (order) => decideDeduction(order, { ...cmd, onShortage: 'answer' }),
      emit,
    );
    this.count(changes, 'builtin');
    return changes.result;
  }

  /**
   * The one path for "stock became available": serves waiting orders (all of them, or those needing one of
   * `skus`), oldest first, each all or nothing in its own transaction that locks like an event handler does
   * (order, then stock rows in SKU order), so it never deadlocks with one. An order that still cannot be
   * served keeps waiting without a new `stock.insufficient`. Called after a local receipt, an ERP sync or an
   * ERP webhook commits, and every few seconds (releases, crashes). With an ERP, the ERP decides each one.
   */
  async serveBackorders(skus?: string[], limit = 200): Promise<string[]> {
    const served: string[] = [];
    for (const orderId of await this.orders.waiting(skus, limit)) {
      const changes = await inTransaction(this.dataSource, (m) => (this.erp ? this.serveFromErp(m, orderId, this.erp) : this.serveFromLedger(m, orderId)));
      if (changes?.result.outcome !== 'deducted') continue; // served or cancelled meanwhile, still short, or refused
      this.count(changes as OrderStockChanges<DeductionResult>, this.erp ? 'erp' : 'builtin');
      served.push(orderId);
    }
    return served;
  }

  @Interval('inventory-backorders', 10_000)
  async sweepBackorders(): Promise<void> {
    await this.serveBackorders().catch((err: Error) => this.logger.error(`backorder sweep failed: ${err.message}`));
  }

  async release(m: EntityManager, request: ReleaseRequest, emit?: EmitEvents): Promise<ReleaseResult> {
    const cmd = { ...request, now: new Date() };
    if (this.erp) {
      // The ERP gives the stock back first, under the order's lock; the mirror follows below. A release the
      // ERP refuses (4xx) is dead-lettered with its reason: the stock is the ERP's to put back.
      const put = releasable(await this.orders.load(m, cmd.orderId, () => null));
      if (put) await this.erp.release({ orderId: cmd.orderId, ...put, idempotencyKey: cmd.eventId });
    }
    return (await this.step(m, cmd.orderId, levelsForRelease, (order) => decideRelease(order, cmd), emit)).result;
  }

  private serveFromLedger(m: EntityManager, orderId: string) {
    return this.step(m, orderId, levelsForWaiting, (order) => decideServeWaiting(order, new Date()));
  }

  /**
   * The mirror says whether the order fits (read, not locked: no stock row is held during the call); the ERP
   * is asked under the order's lock with this attempt's key, and its answer decides. A refusal holds the order.
   */
  private async serveFromErp(m: EntityManager, orderId: string, erp: ErpConnector) {
    const mirror = (order: Pick<OrderStock, 'allocation' | 'backorder'>) => {
      const scope = levelsForWaiting(order);
      return scope && { ...scope, readOnly: true };
    };
    const ask = erpServeRequest(await this.orders.load(m, orderId, mirror));
    if (!ask) return null;
    const now = new Date();
    const answer = await this.askErp(() => erp.deduct({ orderId, ...ask }));
    if ('refused' in answer) {
      const cmd = { orderId, eventId: ask.idempotencyKey, by: 'system', now, redo: true };
      return this.step(
        m,
        orderId,
        () => null,
        (order) => decideErpRefusal(order, cmd, answer.refused),
      );
    }
    return this.step(m, orderId, levelsForErpDeduction(ask.lines, answer, true), (order) => decideErpServeWaiting(order, answer, now));
  }

  /** The ERP decides; the local levels are only a mirror, brought in line here and by the scheduled sync. */
  private async deductInErp(m: EntityManager, cmd: ErpDeductCommand, erp: ErpConnector, emit?: EmitEvents) {
    // Asked once per order: the order's lock (taken here, held to commit) keeps a second delivery waiting.
    const already = alreadyDeducted(await this.orders.load(m, cmd.orderId, () => null), cmd.redo);
    if (already) return already;
    const answer = await this.askErp(() => erp.deduct({ orderId: cmd.orderId, lines: cmd.lines, idempotencyKey: cmd.eventId }));
    if ('refused' in answer)
      return (
        await this.step(
          m,
          cmd.orderId,
          () => null,
          (order) => decideErpRefusal(order, cmd, answer.refused),
          emit,
        )
      ).result;
    const changes = await this.step(
      m,
      cmd.orderId,
      levelsForErpDeduction(cmd.lines, answer, cmd.redo),
      (order) => decideErpDeduction(order, cmd, answer),
      emit,
    );
    this.count(changes, 'erp');
    return changes.result;
  }

  /** The ERP's answer, or its refusal (a 4xx) as a value: a refusal holds the order instead of dead-lettering the event. */
  private async askErp<T>(call: () => Promise<T>): Promise<T | { refused: ErpRefused }> {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ErpRejectedError)) throw err;
      this.logger.warn(`${err.message}: the order is held until an operator retries (ADR 0013)`);
      return { refused: { erpStatus: err.status, reason: err.message.slice(0, 2000) } };
    }
  }

  /** One command on an order's stock: lock and load it, decide, store the changes and their events. */
  private step<R>(
    m: EntityManager,
    orderId: string,
    levelsFor: (order: Pick<OrderStock, 'allocation' | 'backorder'>) => LevelScope | null,
    decide: (order: OrderStock) => Decision<OrderStockChanges<R>>,
    emit?: EmitEvents,
  ): Promise<OrderStockChanges<R>> {
    return loadDecideSave(m, {
      load: (tx) => this.orders.load(tx, orderId, levelsFor),
      notFound: () => DomainError.notFound('order', orderId),
      decide,
      emit,
      save: async (tx, order, changes) => {
        await this.orders.save(tx, order, changes);
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
