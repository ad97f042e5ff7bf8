import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import type { EventOf } from '@crm/contracts';
import { loadDecideSave } from '@crm/persistence';
import { FINANCE_ERP_CONNECTOR, type FinanceErpConnector } from '../erp/finance-erp.connector';
import { FinanceMetrics } from './finance-metrics';
import { decideOpen, decideVoid, notFound } from './receivable-commands.domain';
import { ReceivablesRepository } from './receivables.repository';

/**
 * The event side of receivables: opened on order.confirmed, voided (and credited) on order.cancelled. Each runs
 * in the inbox transaction (`m`): the row, the ERP push and the event commit or fail together.
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

  async open(m: EntityManager, event: EventOf<'order.confirmed'>): Promise<void> {
    const order = event.data;
    const opened = await loadDecideSave(m, {
      load: (tx) => this.receivables.lockByOrder(tx, order.orderId),
      notFound: () => notFound('The receivable of this order'),
      decide: (state) => decideOpen(state, { order, id: randomUUID(), now: new Date(), zone: this.calendar.zone }),
      save: async (tx, _state, { receivable: r }) => {
        if (!r) return false;
        await this.receivables.insert(tx, r);
        await this.erp.receivableCreated(
          {
            receivableId: r.id,
            orderId: r.orderId,
            customerName: r.customerName,
            amount: r.amount,
            currency: r.currency,
            paymentTerms: r.paymentTerms,
            dueDate: r.dueDate,
          },
          event.id,
        );
        return true;
      },
    });
    if (opened) this.metrics.receivablesOpened.inc();
    else this.logger.log(`order ${order.orderId} already has a receivable; confirmation ${event.id} changes nothing`);
  }

  async cancel(m: EntityManager, event: EventOf<'order.cancelled'>): Promise<void> {
    const { orderId, reason } = event.data;
    await loadDecideSave(m, {
      load: (tx) => this.receivables.lockByOrder(tx, orderId),
      notFound: () => notFound('The receivable of this order'),
      decide: (state) => decideVoid(state, { orderId, reason, now: new Date(), creditNoteId: randomUUID() }),
      save: async (tx, _state, { voiding }) => {
        if (!voiding) return;
        await this.receivables.markVoided(tx, voiding);
        await this.erp.receivableVoided(voiding.voided, event.id);
      },
    });
  }
}
