import { randomUUID } from 'node:crypto';
import { createEvent } from '@crm/contracts';

/** Other services' events as they publish them, for the timeline's integration tests; `at` is the business time. */
// The customers service resolves a converted lead itself: this customer matches the tests' contact (email) and account (domain).
export const customer = { name: 'Wang Fang', company: 'Timeline Pumps', email: 'wang@tl-pumps.example' };
const line = (total: string) => ({ lineId: randomUUID(), sku: 'PUMP-1', productName: 'Pump', quantity: 1, unitPrice: total, discount: '0', lineTotal: total });

export const leadEvents = {
  captured: (leadId: string, at: string) =>
    createEvent('lead.captured', { subject: leadId, data: { leadId, source: 'web_form', contact: customer, message: 'Need pumps', capturedAt: at } }),
  assigned: (leadId: string, repId: string, team: string, at: string) =>
    createEvent('lead.assigned', { subject: leadId, data: { leadId, repId, team, rule: 'region', assignedAt: at, firstFollowUpDueAt: at } }),
  followedUp: (leadId: string, repId: string, at: string, content: string) =>
    createEvent('lead.followed_up', {
      subject: leadId,
      data: {
        leadId,
        followUpId: randomUUID(),
        repId,
        channel: 'call',
        at,
        content,
        customerFeedback: 'Interested',
        nextAction: 'Send a quote',
        nextActionDueAt: at,
      },
    }),
  qualified: (leadId: string, at: string) => createEvent('lead.qualified', { subject: leadId, data: { leadId, by: 'someone', qualifiedAt: at } }),
  converted: (leadId: string, repId: string, team: string, at: string) =>
    createEvent('lead.converted', { subject: leadId, data: { leadId, repId, team, customer, productNeeds: [], capturedAt: at, convertedAt: at } }),
  resolved: (leadId: string, contactId: string, accountId: string | null, at: string) =>
    createEvent('contact.lead_resolved', {
      subject: contactId,
      data: { leadId, contactId, accountId, contactCreated: false, accountCreated: false, resolvedAt: at },
    }),
};

export interface Deal {
  opportunityId: string;
  leadId?: string | null;
  repId: string;
  team: string;
  accountId?: string;
  contactId?: string;
}

export const opportunityEvents = {
  created: (d: Deal, amount: string, currency: string, at: string) =>
    createEvent('opportunity.created', {
      subject: d.opportunityId,
      data: { ...d, leadId: d.leadId ?? null, customer, expectedAmount: amount, currency, expectedCloseDate: '2025-12-31', stage: 'proposal', createdAt: at },
    }),
  termsChanged: (d: Deal, amount: string, currency: string, at: string) =>
    createEvent('opportunity.terms_changed', {
      subject: d.opportunityId,
      data: {
        opportunityId: d.opportunityId,
        repId: d.repId,
        expectedAmount: amount,
        currency,
        expectedCloseDate: '2025-12-31',
        lines: [],
        changed: ['expectedAmount'],
        by: d.repId,
        changedAt: at,
      },
    }),
  won: (d: Deal, amount: string, currency: string, at: string) =>
    createEvent('opportunity.won', {
      subject: d.opportunityId,
      data: {
        ...d,
        leadId: d.leadId ?? null,
        customer,
        currency,
        amount,
        lines: [{ sku: 'PUMP-1', productName: 'Pump', quantity: 1, unitPrice: amount }],
        createdAt: at,
        wonAt: at,
      },
    }),
  lost: (d: Deal, at: string) =>
    createEvent('opportunity.lost', {
      subject: d.opportunityId,
      data: { opportunityId: d.opportunityId, repId: d.repId, stage: 'proposal', reason: 'price', lostAt: at },
    }),
};

export interface Order {
  orderId: string;
  opportunityId?: string | null;
  repId: string;
  team: string;
  accountId?: string;
  contactId?: string;
}
const terms = (o: Order, total: string, currency: string) => ({
  ...o,
  opportunityId: o.opportunityId ?? null,
  customer,
  currency,
  lines: [line(total)],
  total,
  paymentTerms: 'NET30',
});

export const orderEvents = {
  drafted: (o: Order, total: string, currency: string, at: string) =>
    createEvent('order.drafted', { subject: o.orderId, data: { ...terms(o, total, currency), by: o.repId, draftedAt: at } }),
  draftUpdated: (o: Order, total: string, currency: string, at: string) =>
    createEvent('order.draft_updated', {
      subject: o.orderId,
      data: { ...terms(o, total, currency), changed: ['lines'], note: 'two more pumps', by: o.repId, updatedAt: at },
    }),
  confirmed: (o: Order, total: string, currency: string, at: string) =>
    createEvent('order.confirmed', { subject: o.orderId, data: { ...terms(o, total, currency), by: o.repId, autoConfirmed: false, confirmedAt: at } }),
  shipped: (orderId: string, at: string) =>
    createEvent('order.shipped', { subject: orderId, data: { orderId, carrier: 'SF Express', trackingNumber: 'SF123', shippedAt: at } }),
  cancelled: (orderId: string, at: string) =>
    createEvent('order.cancelled', {
      subject: orderId,
      data: { orderId, previousStatus: 'confirmed', reason: 'changed mind', by: 'someone', cancelledAt: at },
    }),
  feedback: (orderId: string, repId: string, rating: number, at: string) =>
    createEvent('order.feedback_received', {
      subject: orderId,
      data: { orderId, feedbackId: randomUUID(), repId, rating, category: 'service', comment: 'ok', complaint: false, receivedAt: at },
    }),
};

export const financeEvents = {
  created: (receivableId: string, orderId: string, amount: string, currency: string, at: string) =>
    createEvent('receivable.created', {
      subject: receivableId,
      data: { receivableId, orderId, amount, currency, paymentTerms: 'NET30', dueDate: '2025-12-31', createdAt: at },
    }),
  paid: (receivableId: string, orderId: string, amount: string, outstanding: string, currency: string, at: string) =>
    createEvent('payment.received', {
      subject: receivableId,
      data: { paymentId: randomUUID(), receivableId, orderId, amount, currency, outstanding, receivedAt: at },
    }),
  voided: (receivableId: string, orderId: string, at: string) =>
    createEvent('receivable.voided', { subject: receivableId, data: { receivableId, orderId, reason: 'order cancelled', creditedAmount: '0', voidedAt: at } }),
};

export const mergeEvents = {
  accountMerged: (mergeId: string, survivorId: string, mergedId: string) =>
    createEvent('account.merged', { subject: survivorId, data: { mergeId, survivorId, mergedId, by: 'admin', at: new Date().toISOString() } }),
  accountUndone: (mergeId: string, survivorId: string, restoredId: string) =>
    createEvent('account.merge_undone', { subject: survivorId, data: { mergeId, survivorId, restoredId, by: 'admin', at: new Date().toISOString() } }),
  contactMerged: (mergeId: string, survivorId: string, mergedId: string) =>
    createEvent('contact.merged', { subject: survivorId, data: { mergeId, survivorId, mergedId, by: 'admin', at: new Date().toISOString() } }),
  contactUndone: (mergeId: string, survivorId: string, restoredId: string) =>
    createEvent('contact.merge_undone', { subject: survivorId, data: { mergeId, survivorId, restoredId, by: 'admin', at: new Date().toISOString() } }),
};
