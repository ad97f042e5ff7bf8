import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import { BusinessCalendar } from '@crm/calendar';
import { ErpRejectedError } from '@crm/erp-client';
import type { AuthUser, Page } from '@crm/http';
import { formatAmount } from '@crm/money';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { paymentChanges, receivablePaidChanges } from '../audit/finance-audit';
import { FINANCE_ERP_CONNECTOR, type FinanceErpConnector } from '../erp/finance-erp.connector';
import { FinanceMetrics } from './finance-metrics';
import { decidePayment, notFound, paymentReceivedAt } from './receivable-commands.domain';
import { erpPaymentOf, paymentRefusedByErp } from './receivable-erp.domain';
import { creditNoteView, paymentView, receivableView } from './receivable.views';
import type { ListReceivablesQueryDto, ReceivableDetailView, ReceivableView, RecordPaymentDto, RecordedPaymentView } from './receivables.dto';
import { ReceivablesRepository } from './receivables.repository';

@Injectable()
export class ReceivablesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly receivables: ReceivablesRepository,
    private readonly metrics: FinanceMetrics,
    @Inject(FINANCE_ERP_CONNECTOR) private readonly erp: FinanceErpConnector,
    private readonly calendar: BusinessCalendar,
    private readonly audit: AuditTrail,
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
   * applied one after another against the outstanding amount and can never overpay together. A payment made
   * here is pushed to the ERP in the same transaction (keyed by the payment id): a refusal stores nothing and
   * answers 409 ERP_REFUSED_PAYMENT with the ERP's reason, an unavailable ERP 503. One the ERP reported
   * itself (`fromErp`, its webhook) is not sent back.
   */
  async recordPayment(
    receivableId: string,
    dto: RecordPaymentDto,
    user: AuthUser,
    // Runs first in the payment's transaction (the ERP webhook claims its event id there); may throw to abort.
    beforeApply?: (m: EntityManager) => Promise<void>,
    fromErp = false,
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
          const before = { paid: formatAmount(target.receivable.paid), status: target.receivable.status };
          const { payment, receivable } = await this.receivables.savePayment(tx, target, changes);
          // The ERP's webhook carries no user token: the payment is the ERP's (user.sub).
          const who = { actor: user.sub, keyRecordId: receivable.id };
          await this.audit.record(tx, { ...who, recordType: 'payment', recordId: payment.id, action: 'created', changes: paymentChanges(payment) });
          const paid = receivablePaidChanges(before, receivable);
          await this.audit.record(tx, { ...who, recordType: 'receivable', recordId: receivable.id, action: 'payment_recorded', changes: paid });
          if (!fromErp) await this.pushPayment(erpPaymentOf(payment, receivable));
          return { payment: paymentView(payment), receivable: receivableView(receivable, new Date(), this.calendar.zone) };
        },
      }),
    );
    this.metrics.paymentsAmount.inc({ currency: result.payment.currency }, Number(result.payment.amount));
    return result;
  }

  private async pushPayment(payment: ReturnType<typeof erpPaymentOf>): Promise<void> {
    try {
      await this.erp.paymentRecorded(payment, payment.paymentId);
    } catch (err) {
      if (err instanceof ErpRejectedError) throw paymentRefusedByErp({ erpStatus: err.status, reason: err.message });
      throw err;
    }
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
