import { DomainError, type Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import type { OrderStatus } from '../orders/order-workflow.domain';

export const FEEDBACK_CATEGORIES = ['quality', 'delivery', 'service', 'product', 'other'] as const;
export type FeedbackCategory = (typeof FEEDBACK_CATEGORIES)[number];

/** Opened when the order completes; answered when the customer's feedback is recorded. */
export interface FeedbackRequest {
  orderId: string;
  status: 'open' | 'answered';
  openedAt: Date;
  answeredAt: Date | null;
}

export interface Feedback {
  id: string;
  orderId: string;
  rating: number;
  category: FeedbackCategory;
  comment: string | null;
  complaint: boolean;
  by: string;
  receivedAt: Date;
}

/** An order's after-sales state, loaded with the order locked. */
export interface FeedbackState {
  order: { id: string; status: OrderStatus; repId: string };
  version: number;
  request: FeedbackRequest | null;
  feedback: Feedback | null;
}

export interface FeedbackCommand {
  rating: number;
  category: FeedbackCategory;
  comment?: string;
  complaint?: boolean;
}

export const openFeedbackRequest = (orderId: string, now: Date): FeedbackRequest => ({ orderId, status: 'open', openedAt: now, answeredAt: null });

/**
 * Feedback is taken once per order, once it is delivered; recording it answers the request (opening one
 * when the order was not completed yet) and publishes `order.feedback_received`.
 */
export function decideFeedback(
  state: FeedbackState,
  cmd: FeedbackCommand,
  { by, now, newId }: { by: string; now: Date; newId: () => string },
): Decision<{ feedback: Feedback; request: FeedbackRequest }> {
  const { order } = state;
  if (order.status !== 'delivered' && order.status !== 'completed') {
    throw DomainError.conflict('FEEDBACK_NOT_OPEN', `Feedback is taken once the order is delivered; this one is ${order.status}.`);
  }
  if (state.feedback) throw DomainError.conflict('FEEDBACK_ALREADY_RECORDED', `Order ${order.id} already has feedback.`);
  const feedback: Feedback = {
    id: newId(),
    orderId: order.id,
    rating: cmd.rating,
    category: cmd.category,
    comment: cmd.comment ?? null,
    complaint: cmd.complaint ?? false,
    by,
    receivedAt: now,
  };
  const request: FeedbackRequest = { ...(state.request ?? openFeedbackRequest(order.id, now)), status: 'answered', answeredAt: now };
  const received = newEvent('order.feedback_received', {
    subject: order.id,
    data: {
      orderId: order.id,
      feedbackId: feedback.id,
      repId: order.repId,
      rating: cmd.rating,
      category: cmd.category,
      comment: cmd.comment,
      complaint: feedback.complaint,
      receivedAt: now.toISOString(),
    },
  });
  return { changes: { feedback, request }, events: [received] };
}
