import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import type { EventOf } from '@crm/contracts';
import { ErpRejectedError } from '@crm/erp-client';
import { appendToOutbox, type EmitEvents } from '@crm/messaging';
import { loadDecideSave } from '@crm/persistence';
import { FINANCE_ERP_CONNECTOR, type FinanceErpConnector } from '../erp/finance-erp.connector';
import { FinanceMetrics } from './finance-metrics';
import { decideOpen, decideVoid, notFound, type OrderToInvoice } from './receivable-commands.domain';
import { decideOpenRefused, erpReceivableOf, type ErpRefused } from './receivable-erp.domain';
import { ReceivablesRepository } from './receivables.repository';

/**
 * The event side of receivables: opened on order.confirmed (or an operator's retry after an ERP refusal), voided
 * (and credited) on order.cancelled. Each runs in the inbox transaction (`m`): the row, the ERP push and the
 * event commit or fail together.
 */
@Injectable()
export class ReceivableLedgerService {
  private readonly logger = new Logger(ReceivableLedgerService.name);

  constructor(
    private readonly receivables: ReceivablesRepository,
    @Inject(FINANCE_ERP_CONNECTOR) private readonly erp: FinanceErpConnector,
    private readonly metrics: FinanceMetrics,
    private readonly calendar: BusinessCalendar,
  ) {}

  /** `emit`: where the events go (the inbox chunk's one outbox write); absent, straight to the outbox. */
  open(m: EntityManager, event: EventOf<'order.confirmed'>, emit?: EmitEvents): Promise<void> {
    return this.openFor(m, event.data, event.id, emit);
  }

  /**
   * An operator's retry after an ERP refusal (ADR 0013): opens the receivable if the order has none, pushed with
   * the retry's event id as the ERP's key (the refused key would only replay the refusal); due from the retry.
   */
  retry(m: EntityManager, event: EventOf<'order.erp_retry_requested'>, emit?: EmitEvents): Promise<void> {
    return this.openFor(m, { ...event.data, confirmedAt: event.data.requestedAt }, event.id, emit);
  }

  /**
   * Decides, then pushes a new receivable to the ERP before storing it: a refusal (4xx) stores none and
   * publishes `receivable.refused` instead, so orders holds the order rather than the event dying in the DLQ.
   */
  private async openFor(m: EntityManager, order: OrderToInvoice, eventId: string, emit?: EmitEvents): Promise<void> {
    const now = new Date();
    let decision = decideOpen(await this.receivables.lockByOrder(m, order.orderId), { order, id: randomUUID(), now, zone: this.calendar.zone });
    const receivable = decision.changes.receivable;
    if (!receivable) {
      this.logger.log(`order ${order.orderId} already has a receivable; event ${eventId} changes nothing`);
      return;
    }
    const refused = await this.refusal(() => this.erp.receivableCreated(erpReceivableOf(receivable), eventId));
    if (refused) decision = decideOpenRefused(order.orderId, refused, now);
    else await this.receivables.insert(m, receivable);
    await (emit ? emit(decision.events) : appendToOutbox(m, decision.events));
    if (!refused) this.metrics.receivablesOpened.inc();
  }

  async cancel(m: EntityManager, event: EventOf<'order.cancelled'>, emit?: EmitEvents): Promise<void> {
    const { orderId, reason } = event.data;
    await loadDecideSave(m, {
      load: (tx) => this.receivables.lockByOrder(tx, orderId),
      notFound: () => notFound('The receivable of this order'),
      decide: (state) => decideVoid(state, { orderId, reason, now: new Date(), creditNoteId: randomUUID() }),
      emit,
      save: async (tx, _state, { voiding }) => {
        if (!voiding) return;
        await this.receivables.markVoided(tx, voiding);
        await this.erp.receivableVoided(voiding.voided, event.id);
      },
    });
  }

  /** The ERP's refusal (a 4xx) as a value; anything else (the ERP unavailable) is thrown and the event waits. */
  private async refusal(push: () => Promise<void>): Promise<ErpRefused | null> {
    try {
      await push();
      return null;
    } catch (err) {
      if (!(err instanceof ErpRejectedError)) throw err;
      this.logger.warn(`${err.message}: the order is held until an operator retries (ADR 0013)`);
      return { erpStatus: err.status, reason: err.message.slice(0, 2000) };
    }
  }
}
