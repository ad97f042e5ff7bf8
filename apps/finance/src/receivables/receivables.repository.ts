import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { paginate, restrictToScope, type AuthUser, type Page } from '@crm/http';
import { entityFromRow } from '@crm/persistence';
import type { OrderReceivable, PaymentChanges, PaymentTarget, Receivable, Voiding } from './receivable-commands.domain';
import { CreditNoteEntity, PaymentEntity, ReceivableEntity } from './receivable.entities';
import type { ListReceivablesQueryDto } from './receivables.dto';
import { OWING_STATUSES } from './receivables.domain';

/** Reps see the receivables of their own orders, managers their team's, admin and integration all. */
const visible = (qb: SelectQueryBuilder<ReceivableEntity>, user: AuthUser) => restrictToScope(qb, user, { rep: 'r.repId', team: 'r.team' });

@Injectable()
export class ReceivablesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The order's receivable, locked, if it has one. */
  async lockByOrder(m: EntityManager, orderId: string): Promise<OrderReceivable> {
    const [row]: Record<string, unknown>[] = await m.query('SELECT * FROM receivables WHERE order_id = $1 FOR UPDATE', [orderId]);
    const receivable = row ? entityFromRow(m, ReceivableEntity, row) : null;
    return { version: receivable?.version ?? 0, receivable };
  }

  /**
   * Stores a new receivable. The order's receivable was absent when its lock was asked for, so a row found now
   * was opened by a concurrent confirmation: the transaction is rolled back and the event retried (then it finds it).
   */
  async insert(m: EntityManager, r: Receivable): Promise<void> {
    const inserted: unknown[] = await m.query(
      `INSERT INTO receivables (id, order_id, rep_id, team, customer_name, amount, paid, currency, payment_terms, due_date,
                                status, version, created_at, updated_at, account_id, contact_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (order_id) DO NOTHING RETURNING id`,
      [
        r.id,
        r.orderId,
        r.repId,
        r.team,
        r.customerName,
        r.amount,
        r.paid,
        r.currency,
        r.paymentTerms,
        r.dueDate,
        r.status,
        r.version,
        r.createdAt,
        r.updatedAt,
        r.accountId,
        r.contactId,
      ],
    );
    if (!inserted.length) throw new Error(`order ${r.orderId} got a receivable concurrently; retrying`);
  }

  async markVoided(m: EntityManager, v: Voiding): Promise<void> {
    await m.query(`UPDATE receivables SET status = 'voided', version = version + 1, updated_at = $2 WHERE id = $1`, [v.receivableId, v.at]);
    if (v.creditNote) {
      await m.query('INSERT INTO credit_notes (id, receivable_id, amount, reason, created_at) VALUES ($1, $2, $3, $4, $5)', [
        v.creditNote.id,
        v.receivableId,
        v.creditNote.amount,
        v.creditNote.reason,
        v.at,
      ]);
    }
  }

  /** The receivable a payment is for, if the caller may see it, locked; and whether `reference` was used on it. */
  async lockForPayment(m: EntityManager, id: string, user: AuthUser, reference: string | undefined): Promise<PaymentTarget | undefined> {
    const receivable = await visible(m.getRepository(ReceivableEntity).createQueryBuilder('r'), user)
      .andWhere('r.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
    if (!receivable) return undefined;
    const referenceTaken = reference ? (await m.getRepository(PaymentEntity).countBy({ receivableId: id, reference })) > 0 : false;
    return { version: receivable.version, receivable, referenceTaken };
  }

  /** Stores the payment and the receivable's new balance; returns both as stored. */
  async savePayment(m: EntityManager, target: PaymentTarget, changes: PaymentChanges): Promise<{ payment: PaymentEntity; receivable: ReceivableEntity }> {
    const payment = m.create(PaymentEntity, changes.payment);
    await m.insert(PaymentEntity, payment);
    await m.update(ReceivableEntity, { id: target.receivable.id }, changes.receivable);
    return { payment, receivable: Object.assign(target.receivable as ReceivableEntity, changes.receivable) };
  }

  list(query: ListReceivablesQueryDto, user: AuthUser, today: string): Promise<Page<ReceivableEntity>> {
    const qb = visible(this.dataSource.getRepository(ReceivableEntity).createQueryBuilder('r'), user);
    if (query.status) qb.andWhere('r.status = :status', { status: query.status });
    if (query.orderId) qb.andWhere('r.orderId = :orderId', { orderId: query.orderId });
    if (query.accountId) qb.andWhere('r.accountId = :accountId', { accountId: query.accountId });
    if (query.dueBefore) qb.andWhere('r.dueDate < :dueBefore', { dueBefore: query.dueBefore });
    if (query.overdue) {
      const overdue = 'r.status IN (:...owing) AND r.dueDate < :today';
      qb.andWhere(query.overdue === 'true' ? overdue : `NOT (${overdue})`, { owing: OWING_STATUSES, today });
    }
    return paginate(qb, { sort: { column: 'r.createdAt', direction: 'DESC' }, tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
  }

  /** A receivable the caller may see, with its payments and credit notes, oldest first; null when none. */
  async findVisible(where: { id: string } | { orderId: string }, user: AuthUser) {
    const qb = visible(this.dataSource.getRepository(ReceivableEntity).createQueryBuilder('r'), user);
    const receivable = await ('id' in where ? qb.andWhere('r.id = :id', where) : qb.andWhere('r.orderId = :orderId', where)).getOne();
    if (!receivable) return null;
    const [payments, creditNotes] = await Promise.all([
      this.dataSource.getRepository(PaymentEntity).find({ where: { receivableId: receivable.id }, order: { receivedAt: 'ASC', id: 'ASC' } }),
      this.dataSource.getRepository(CreditNoteEntity).find({ where: { receivableId: receivable.id }, order: { createdAt: 'ASC', id: 'ASC' } }),
    ]);
    return { receivable, payments, creditNotes };
  }
}
