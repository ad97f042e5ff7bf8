import { decideFeedback, type FeedbackState } from './feedback.domain';

const orderId = '8f6a3c1e-2b4d-4e5f-9a7b-1c2d3e4f5a6b';
const repId = '1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9';
const feedbackId = '00000000-0000-4000-8000-000000000001';
const now = new Date('2026-11-27T09:00:00Z');
const opened = new Date('2026-11-20T09:00:00Z');
const state = (overrides: Partial<FeedbackState> = {}): FeedbackState => ({
  order: { id: orderId, status: 'completed', repId },
  version: 7,
  request: { orderId, status: 'open', openedAt: opened, answeredAt: null },
  feedback: null,
  ...overrides,
});
const ctx = { by: 'rep-1', now, newId: () => feedbackId };

describe('decideFeedback', () => {
  it('records the feedback, answers the open request and publishes order.feedback_received', () => {
    const { changes, events } = decideFeedback(state(), { rating: 2, category: 'delivery', comment: 'box was dented', complaint: true }, ctx);
    expect(changes).toEqual({
      feedback: { id: feedbackId, orderId, rating: 2, category: 'delivery', comment: 'box was dented', complaint: true, by: 'rep-1', receivedAt: now },
      request: { orderId, status: 'answered', openedAt: opened, answeredAt: now },
    });
    expect(events.map((e) => [e.type, e.subject, e.data])).toEqual([
      [
        'crm.order.feedback_received',
        orderId,
        { orderId, feedbackId, repId, rating: 2, category: 'delivery', comment: 'box was dented', complaint: true, receivedAt: now.toISOString() },
      ],
    ]);
  });

  it('takes feedback on a delivered order that has no request yet, answering a new one', () => {
    const { changes } = decideFeedback(state({ order: { id: orderId, status: 'delivered', repId }, request: null }), { rating: 5, category: 'service' }, ctx);
    expect(changes.request).toEqual({ orderId, status: 'answered', openedAt: now, answeredAt: now });
    expect(changes.feedback).toMatchObject({ comment: null, complaint: false });
  });

  it('refuses before delivery, and a second feedback', () => {
    expect(() => decideFeedback(state({ order: { id: orderId, status: 'shipped', repId } }), { rating: 5, category: 'service' }, ctx)).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'FEEDBACK_NOT_OPEN', detail: 'Feedback is taken once the order is delivered; this one is shipped.' }),
    );
    const recorded = decideFeedback(state(), { rating: 4, category: 'service' }, ctx).changes.feedback;
    expect(() => decideFeedback(state({ feedback: recorded }), { rating: 4, category: 'service' }, ctx)).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'FEEDBACK_ALREADY_RECORDED', detail: `Order ${orderId} already has feedback.` }),
    );
  });
});
