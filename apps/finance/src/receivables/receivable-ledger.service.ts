import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventOf } from '@crm/contracts';
import { NonRetryableError, appendToOutbox, newEvent } from '@crm/messaging';
import { formatAmount } from '@crm/money';
import { FINANCE_ERP_CONNECTOR, type FinanceErpConnector } from '../erp/finance-erp.connector';
import { FinanceMetrics } from './finance-metrics';
import { cancellationOf, dueDateFor, orderTotalMismatch, statusFor, type ReceivableStatus } from './receivables.domain';

/** The event side of receivables: opened on order.confirmed, voided (and credited) on order.cancelled. */
@Injectable()
export class ReceivableLedgerService {
  private readonly logger = new Logger(ReceivableLedgerService.name);

  constructor(
    @Inject(FINANCE_ERP_CONNECTOR) private readonly erp: FinanceErpConnector,
    private readonly metrics: FinanceMetrics,
  ) {}

  /** Runs in the inbox transaction (`manager`): row, ERP push and receivable.created commit or fail together. */
  async open(event: EventOf<'order.confirmed'>, manager: EntityManager): Promise<void> {
    const order = event.data;
    const mismatch = orderTotalMismatch(order.lines, order.total);
    if (mismatch) throw new NonRetryableError(`order ${order.orderId} cannot be invoiced: ${mismatch}`);

    const id = randomUUID();
    const amount = formatAmount(order.total);
    const dueDate = dueDateFor(order.paymentTerms, order.confirmedAt);
    const now = new Date();
    // A confirmation re-sent under a new event id finds the order's receivable and changes nothing.
    const inserted: unknown[] = await manager.query(
      `INSERT INTO receivables (id, order_id, rep_id, team, customer_name, amount, paid, currency, payment_terms, due_date,
                                status, version, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9, $10, 1, $11, $11)
       ON CONFLICT (order_id) DO NOTHING RETURNING id`,
      [id, order.orderId, order.repId, order.team ?? null, order.customer.name, amount, order.currency, order.paymentTerms,
        dueDate, statusFor(amount, '0'), now],
    );
    if (!inserted.length) {
      this.logger.log(`order ${order.orderId} already has a receivable; confirmation ${event.id} changes nothing`);
      return;
    }

    await this.erp.receivableCreated(
      { receivableId: id, orderId: order.orderId, customerName: order.customer.name, amount, currency: order.currency, paymentTerms: order.paymentTerms, dueDate },
      event.id,
    );
    await appendToOutbox(manager, [
      newEvent('receivable.created', {
        subject: id,
        data: { receivableId: id, orderId: order.orderId, amount, currency: order.currency, paymentTerms: order.paymentTerms, dueDate, createdAt: now.toISOString() },
      }),
    ]);
    this.metrics.receivablesOpened.inc();
  }

  async cancel(event: EventOf<'order.cancelled'>, manager: EntityManager): Promise<void> {
    const { orderId, reason } = event.data;
    const [row]: { id: string; amount: string; paid: string; status: ReceivableStatus }[] = await manager.query(
      'SELECT id, amount::text, paid::text, status FROM receivables WHERE order_id = $1 FOR UPDATE',
      [orderId],
    );
    // Cancelled before it was confirmed: there is nothing to void.
    if (!row) return;
    const outcome = cancellationOf(row);
    if (outcome.kind === 'nothing') return;

    const now = new Date();
    await manager.query(
      `UPDATE receivables SET status = 'voided', version = version + 1, updated_at = $2 WHERE id = $1`,
      [row.id, now],
    );
    if (outcome.creditNote) {
      await manager.query('INSERT INTO credit_notes (id, receivable_id, amount, reason, created_at) VALUES ($1, $2, $3, $4, $5)', [
        randomUUID(), row.id, outcome.creditNote, reason, now,
      ]);
    }
    const voided = { receivableId: row.id, orderId, creditedAmount: outcome.creditedAmount, reason, voidedAt: now.toISOString() };
    await this.erp.receivableVoided(voided, event.id);
    await appendToOutbox(manager, [newEvent('receivable.voided', { subject: row.id, data: voided })]);
  }
}
