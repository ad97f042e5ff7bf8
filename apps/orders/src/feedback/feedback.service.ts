import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import { DomainError } from '@crm/domain';
import type { AuthUser } from '@crm/http';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { feedbackChanges, ORDER_RECORD } from '../orders/order-audit';
import { OrdersRepository } from '../orders/orders.repository';
import { decideFeedback, type FeedbackCommand, type FeedbackState } from './feedback.domain';
import { FeedbackRepository, type FeedbackView } from './feedback.repository';

/** After-sales: the customer's feedback on a delivered order, once per order. */
@Injectable()
export class FeedbackService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrdersRepository,
    private readonly feedback: FeedbackRepository,
    private readonly audit: AuditTrail,
  ) {}

  async record(user: AuthUser, orderId: string, cmd: FeedbackCommand): Promise<FeedbackView> {
    await inTransaction(this.dataSource, (m) =>
      loadDecideSave(m, {
        load: (m) => this.load(m, user, orderId),
        notFound: () => DomainError.notFound('order', orderId),
        decide: (state) => decideFeedback(state, cmd, { by: user.sub, now: new Date(), newId: randomUUID }),
        save: async (m, _state, changes) => {
          await this.feedback.save(m, changes);
          await this.audit.record(m, { recordType: ORDER_RECORD, recordId: orderId, action: 'feedback_received', changes: feedbackChanges(changes.feedback) });
        },
      }),
    );
    return this.of(user, orderId);
  }

  async of(user: AuthUser, orderId: string): Promise<FeedbackView> {
    if (!(await this.orders.isVisible(user, orderId))) throw DomainError.notFound('order', orderId);
    return this.feedback.view(orderId);
  }

  /** The order locked (feedback is recorded once, whoever races), with its request and feedback. */
  private async load(m: EntityManager, user: AuthUser, orderId: string): Promise<FeedbackState | undefined> {
    const order = await this.orders.lockVisible(m, user, orderId);
    return order && { order, version: order.version, ...(await this.feedback.of(m, orderId)) };
  }
}
