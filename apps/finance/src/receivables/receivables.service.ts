import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { HttpProblemCode, ProblemException, paginate, restrictToScope, type AuthUser, type Page } from '@crm/http';
import { appendToOutbox, newEvent } from '@crm/messaging';
import { formatAmount } from '@crm/money';
import { FinanceMetrics } from './finance-metrics';
import { CreditNoteEntity, PaymentEntity, ReceivableEntity } from './receivable.entities';
import { creditNoteView, paymentView, receivableView } from './receivable.views';
import type { ListReceivablesQueryDto, ReceivableDetailView, ReceivableView, RecordPaymentDto, RecordedPaymentView } from './receivables.dto';
import { OWING_STATUSES, applyPayment, utcDate } from './receivables.domain';

// A clock a little ahead of ours is not a payment from the future.
const CLOCK_SKEW_MS = 5 * 60_000;

const notFound = (what: string) => new ProblemException({ status: HttpStatus.NOT_FOUND, code: HttpProblemCode.NotFound, detail: `${what} was not found.` });
const badField = (field: string, constraint: string, message: string) =>
  new ProblemException({ status: HttpStatus.BAD_REQUEST, code: HttpProblemCode.ValidationFailed, detail: 'The request has 1 invalid field.', errors: [{ field, constraint, message }] });

@Injectable()
export class ReceivablesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metrics: FinanceMetrics,
  ) {}

  async list(query: ListReceivablesQueryDto, user: AuthUser): Promise<Page<ReceivableView>> {
    const qb = this.visible(this.dataSource.getRepository(ReceivableEntity).createQueryBuilder('r'), user);
    if (query.status) qb.andWhere('r.status = :status', { status: query.status });
    if (query.orderId) qb.andWhere('r.orderId = :orderId', { orderId: query.orderId });
    if (query.dueBefore) qb.andWhere('r.dueDate < :dueBefore', { dueBefore: query.dueBefore });
    if (query.overdue) {
      const overdue = 'r.status IN (:...owing) AND r.dueDate < :today';
      qb.andWhere(query.overdue === 'true' ? overdue : `NOT (${overdue})`, { owing: OWING_STATUSES, today: utcDate(new Date()) });
    }
    const page = await paginate(qb, { sort: { column: 'r.createdAt', direction: 'DESC' }, tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
    const now = new Date();
    return { items: page.items.map((r) => receivableView(r, now)), nextCursor: page.nextCursor };
  }

  async get(id: string, user: AuthUser): Promise<ReceivableDetailView> {
    return this.detail(await this.findVisible({ id }, user), 'Receivable');
  }

  async getByOrder(orderId: string, user: AuthUser): Promise<ReceivableDetailView> {
    return this.detail(await this.findVisible({ orderId }, user), 'The receivable of this order');
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
    beforeApply?: (manager: EntityManager) => Promise<void>,
  ): Promise<RecordedPaymentView> {
    const receivedAt = dto.receivedAt ? new Date(dto.receivedAt) : new Date();
    if (receivedAt.getTime() > Date.now() + CLOCK_SKEW_MS) throw badField('receivedAt', 'notInFuture', 'receivedAt must not be in the future');

    const result = await this.dataSource.transaction(async (manager) => {
      await beforeApply?.(manager);
      const receivable = await this.visible(manager.getRepository(ReceivableEntity).createQueryBuilder('r'), user)
        .andWhere('r.id = :id', { id: receivableId })
        .setLock('pessimistic_write')
        .getOne();
      if (!receivable) throw notFound('Receivable');
      if (dto.currency !== receivable.currency) {
        throw badField('currency', 'matchesReceivableCurrency', `currency must be ${receivable.currency}, the currency of the receivable`);
      }
      const outcome = applyPayment(receivable, dto.amount);
      if (!outcome.ok) {
        if (outcome.reason === 'voided') {
          throw new ProblemException({ status: HttpStatus.CONFLICT, code: 'RECEIVABLE_VOIDED', detail: 'The receivable was voided; it takes no payments.' });
        }
        if (outcome.reason === 'overpayment') {
          throw new ProblemException({
            status: HttpStatus.CONFLICT,
            code: 'OVERPAYMENT',
            detail: `The payment of ${formatAmount(dto.amount)} ${receivable.currency} exceeds the outstanding ${outcome.outstanding} ${receivable.currency}.`,
          });
        }
        throw badField('amount', 'isPositiveAmount', 'amount must be greater than 0');
      }
      if (dto.reference && (await this.referenceTaken(manager, receivableId, dto.reference))) {
        throw new ProblemException({
          status: HttpStatus.CONFLICT,
          code: 'DUPLICATE_PAYMENT_REFERENCE',
          detail: 'A payment with this reference was already recorded for this receivable.',
        });
      }

      const now = new Date();
      const payment = manager.create(PaymentEntity, {
        id: randomUUID(),
        receivableId,
        amount: formatAmount(dto.amount),
        currency: receivable.currency,
        method: dto.method ?? null,
        reference: dto.reference ?? null,
        receivedAt,
        createdBy: user.sub,
        createdAt: now,
      });
      await manager.insert(PaymentEntity, payment);
      Object.assign(receivable, { paid: outcome.paid, status: outcome.status, version: receivable.version + 1, updatedAt: now });
      await manager.update(ReceivableEntity, { id: receivableId }, { paid: outcome.paid, status: outcome.status, version: receivable.version, updatedAt: now });
      await appendToOutbox(manager, [
        newEvent('payment.received', {
          subject: receivableId,
          data: {
            paymentId: payment.id,
            receivableId,
            orderId: receivable.orderId,
            amount: payment.amount,
            currency: payment.currency,
            outstanding: outcome.outstanding,
            method: payment.method ?? undefined,
            receivedAt: receivedAt.toISOString(),
          },
        }),
      ]);
      return { payment: paymentView(payment), receivable: receivableView(receivable) };
    });
    this.metrics.paymentsAmount.inc({ currency: result.payment.currency }, Number(result.payment.amount));
    return result;
  }

  private async referenceTaken(manager: EntityManager, receivableId: string, reference: string): Promise<boolean> {
    return (await manager.getRepository(PaymentEntity).countBy({ receivableId, reference })) > 0;
  }

  private async findVisible(where: { id: string } | { orderId: string }, user: AuthUser): Promise<ReceivableEntity | null> {
    const qb = this.visible(this.dataSource.getRepository(ReceivableEntity).createQueryBuilder('r'), user);
    return 'id' in where ? qb.andWhere('r.id = :id', where).getOne() : qb.andWhere('r.orderId = :orderId', where).getOne();
  }

  private async detail(receivable: ReceivableEntity | null, what: string): Promise<ReceivableDetailView> {
    if (!receivable) throw notFound(what);
    const [payments, creditNotes] = await Promise.all([
      this.dataSource.getRepository(PaymentEntity).find({ where: { receivableId: receivable.id }, order: { receivedAt: 'ASC', id: 'ASC' } }),
      this.dataSource.getRepository(CreditNoteEntity).find({ where: { receivableId: receivable.id }, order: { createdAt: 'ASC', id: 'ASC' } }),
    ]);
    return { ...receivableView(receivable), payments: payments.map(paymentView), creditNotes: creditNotes.map(creditNoteView) };
  }

  /** Reps see the receivables of their own orders, managers their team's, admin and integration all. */
  private visible(qb: SelectQueryBuilder<ReceivableEntity>, user: AuthUser): SelectQueryBuilder<ReceivableEntity> {
    return restrictToScope(qb, user, { rep: 'r.repId', team: 'r.team' });
  }

}
