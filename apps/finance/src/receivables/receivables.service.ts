import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import type { AuthUser, Page } from '@crm/http';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { FinanceMetrics } from './finance-metrics';
import { decidePayment, notFound, paymentReceivedAt } from './receivable-commands.domain';
import { creditNoteView, paymentView, receivableView } from './receivable.views';
import type { ListReceivablesQueryDto, ReceivableDetailView, ReceivableView, RecordPaymentDto, RecordedPaymentView } from './receivables.dto';
import { ReceivablesRepository } from './receivables.repository';

@Injectable()
export class ReceivablesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly receivables: ReceivablesRepository,
    private readonly metrics: FinanceMetrics,
    private readonly calendar: BusinessCalendar,
  ) {}

  async list(query: ListReceivablesQueryDto, user: AuthUser): Promise<Page<ReceivableView>> {
    const now = new Date();
    const page = await this.receivables.list(query, user, this.calendar.today(now));
    return { items: page.items.map((r) => receivableView(r, now, this.calendar.zone)), nextCursor: page.nextCursor };
  }

  get(id: string, user: AuthUser): Promise<ReceivableDetailView> {
    return this.detail({ id }, user, 'Receivable');
  }

  getByOrder(orderId: string, user: AuthUser): Promise<ReceivableDetailView> {
    return this.detail({ orderId }, user, 'The receivable of this order');
  }

  /**
   * Records a payment. The receivable row is locked for the whole transaction, so concurrent payments are
   * applied one after another against the outstanding amount and can never overpay together.
   */
  async recordPayment(
    receivableId: string,
    dto: RecordPaymentDto,
    user: AuthUser,
    // Runs first in the payment's transaction (the ERP webhook claims its event id there); may throw to abort.
    beforeApply?: (m: EntityManager) => Promise<void>,
  ): Promise<RecordedPaymentView> {
    const now = new Date();
    const cmd = { ...dto, paymentId: randomUUID(), receivedAt: paymentReceivedAt(dto.receivedAt, now), by: user.sub, now };
    const result = await inTransaction(this.dataSource, (m) =>
      loadDecideSave(m, {
        load: async (tx) => {
          await beforeApply?.(tx);
          return this.receivables.lockForPayment(tx, receivableId, user, dto.reference);
        },
        notFound: () => notFound('Receivable'),
        decide: (target) => decidePayment(target, cmd),
        save: async (tx, target, changes) => {
          const { payment, receivable } = await this.receivables.savePayment(tx, target, changes);
          return { payment: paymentView(payment), receivable: receivableView(receivable, new Date(), this.calendar.zone) };
        },
      }),
    );
    this.metrics.paymentsAmount.inc({ currency: result.payment.currency }, Number(result.payment.amount));
    return result;
  }

  private async detail(where: { id: string } | { orderId: string }, user: AuthUser, what: string): Promise<ReceivableDetailView> {
    const found = await this.receivables.findVisible(where, user);
    if (!found) throw notFound(what);
    return {
      ...receivableView(found.receivable, new Date(), this.calendar.zone),
      payments: found.payments.map(paymentView),
      creditNotes: found.creditNotes.map(creditNoteView),
    };
  }
}
