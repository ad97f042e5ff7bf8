import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Feedback, FeedbackRequest } from './feedback.domain';
import { FeedbackEntity, FeedbackRequestEntity } from './feedback.entities';

/** What `GET /orders/:id/feedback` shows. */
export interface FeedbackView {
  orderId: string;
  request: Pick<FeedbackRequest, 'status' | 'openedAt' | 'answeredAt'> | null;
  feedback: Omit<Feedback, 'orderId'> | null;
}

/** An order's feedback request and feedback (one each at most). */
@Injectable()
export class FeedbackRepository {
  constructor(private readonly dataSource: DataSource) {}

  async of(m: EntityManager, orderId: string): Promise<{ request: FeedbackRequest | null; feedback: Feedback | null }> {
    const [request, feedback] = await Promise.all([
      m.findOne(FeedbackRequestEntity, { where: { orderId } }),
      m.findOne(FeedbackEntity, { where: { orderId } }),
    ]);
    return { request, feedback };
  }

  async view(orderId: string): Promise<FeedbackView> {
    const { request, feedback } = await this.of(this.dataSource.manager, orderId);
    return {
      orderId,
      request: request && { status: request.status, openedAt: request.openedAt, answeredAt: request.answeredAt },
      feedback: feedback && {
        id: feedback.id,
        rating: feedback.rating,
        category: feedback.category,
        comment: feedback.comment,
        complaint: feedback.complaint,
        by: feedback.by,
        receivedAt: feedback.receivedAt,
      },
    };
  }

  /** Opens the request unless the order has one already (a redelivered completion). */
  async openRequest(m: EntityManager, request: FeedbackRequest): Promise<void> {
    await m.createQueryBuilder().insert().into(FeedbackRequestEntity).values(request).orIgnore().execute();
  }

  async save(m: EntityManager, changes: { feedback: Feedback; request: FeedbackRequest }): Promise<void> {
    await m.insert(FeedbackEntity, changes.feedback);
    await m.upsert(FeedbackRequestEntity, changes.request, ['orderId']);
  }
}
