// The timeline's rules: per event type, the entry it makes and what it changes on its customer record.
import type { EventData, EventName } from '@crm/contracts';
import { compareAmounts } from '@crm/money';
import type { EntryDraft, EntryRecordKind, Link, RecordPatch, TimelineFact } from './timeline.domain';

export type Rule<N extends EventName> = (d: EventData<N>) => TimelineFact;
type Rules = { [N in EventName]?: Rule<N> };

/** `undefined` when the event names its own account or contact: a link the record keeps over its parent's. */
const ownLink = (d: { accountId?: string; contactId?: string }): Link | undefined =>
  d.accountId || d.contactId ? { accountId: d.accountId ?? null, contactId: d.contactId ?? null } : undefined;

const entry = (kind: string, recordKind: EntryRecordKind, recordId: string, at: string, detail: Record<string, unknown>): EntryDraft => ({
  kind,
  recordKind,
  recordId,
  at,
  detail: Object.fromEntries(Object.entries(detail).filter(([, v]) => v !== undefined)),
});

const lead = (kind: string, leadId: string, at: string, detail: Record<string, unknown>, record: Omit<RecordPatch, 'recordKind' | 'recordId'> = {}) => ({
  entry: entry(kind, 'lead', leadId, at, detail),
  record: { recordKind: 'lead' as const, recordId: leadId, ...record },
});
const opportunity = (kind: string, id: string, at: string, detail: Record<string, unknown>, record: Omit<RecordPatch, 'recordKind' | 'recordId'> = {}) => ({
  entry: entry(kind, 'opportunity', id, at, detail),
  record: { recordKind: 'opportunity' as const, recordId: id, ...record },
});
const order = (kind: string, id: string, at: string, detail: Record<string, unknown>, record: Omit<RecordPatch, 'recordKind' | 'recordId'> = {}) => ({
  entry: entry(kind, 'order', id, at, detail),
  record: { recordKind: 'order' as const, recordId: id, ...record },
});
const receivable = (kind: string, id: string, at: string, detail: Record<string, unknown>, record: Omit<RecordPatch, 'recordKind' | 'recordId'> = {}) => ({
  entry: entry(kind, 'receivable', id, at, detail),
  record: { recordKind: 'receivable' as const, recordId: id, ...record },
});

// Each entry is stamped with the moment its data names (not the envelope's), so imported history sorts right.
export const RULES: Rules = {
  'lead.captured': (d) =>
    lead(
      'lead.captured',
      d.leadId,
      d.capturedAt,
      { source: d.source, campaign: d.campaign, contact: d.contact, message: d.message },
      { status: 'new', open: true },
    ),
  'lead.assigned': (d) =>
    lead('lead.assigned', d.leadId, d.assignedAt, { repId: d.repId, rule: d.rule, firstFollowUpDueAt: d.firstFollowUpDueAt }, { repId: d.repId, team: d.team }),
  'lead.reassigned': (d) =>
    lead(
      'lead.reassigned',
      d.leadId,
      d.reassignedAt,
      { fromRepId: d.fromRepId, toRepId: d.toRepId, reason: d.reason, note: d.note, handOverId: d.handOverId, by: d.by },
      { repId: d.toRepId },
    ),
  'lead.followed_up': (d) =>
    lead(
      'lead.followed_up',
      d.leadId,
      d.at,
      {
        followUpId: d.followUpId,
        repId: d.repId,
        channel: d.channel,
        content: d.content,
        customerFeedback: d.customerFeedback,
        nextAction: d.nextAction,
        nextActionDueAt: d.nextActionDueAt,
      },
      { followUpAt: d.at },
    ),
  'lead.qualified': (d) => lead('lead.qualified', d.leadId, d.qualifiedAt, { by: d.by, note: d.note }, { status: 'qualified' }),
  'lead.disqualified': (d) => lead('lead.disqualified', d.leadId, d.disqualifiedAt, { by: d.by, reason: d.reason }, { status: 'disqualified', open: false }),
  'lead.converted': (d) =>
    lead(
      'lead.converted',
      d.leadId,
      d.convertedAt,
      { customer: d.customer, expectedAmount: d.expectedAmount, currency: d.currency, productNeeds: d.productNeeds },
      { status: 'converted', open: false, repId: d.repId, team: d.team },
    ),
  'contact.lead_resolved': (d) => ({ record: { recordKind: 'lead', recordId: d.leadId, link: { accountId: d.accountId, contactId: d.contactId } } }),

  'opportunity.created': (d) =>
    opportunity(
      'opportunity.created',
      d.opportunityId,
      d.createdAt,
      { stage: d.stage, expectedAmount: d.expectedAmount, currency: d.currency, expectedCloseDate: d.expectedCloseDate, customer: d.customer },
      {
        parentId: d.leadId,
        link: ownLink(d),
        repId: d.repId,
        team: d.team,
        status: 'open',
        open: true,
        amount: d.expectedAmount,
        currency: d.currency,
      },
    ),
  'opportunity.stage_changed': (d) =>
    opportunity('opportunity.stage_changed', d.opportunityId, d.changedAt, { fromStage: d.fromStage, toStage: d.toStage, by: d.by }, { repId: d.repId }),
  'opportunity.strategy_recorded': (d) =>
    opportunity('opportunity.strategy_recorded', d.opportunityId, d.recordedAt, {
      strategyId: d.strategyId,
      by: d.by,
      recommendedProducts: d.recommendedProducts,
      pricing: d.pricing,
      promotions: d.promotions,
      discountPercent: d.discountPercent,
      note: d.note,
    }),
  'opportunity.terms_changed': (d) =>
    opportunity(
      'opportunity.terms_changed',
      d.opportunityId,
      d.changedAt,
      { expectedAmount: d.expectedAmount, currency: d.currency, expectedCloseDate: d.expectedCloseDate, changed: d.changed, by: d.by },
      { repId: d.repId, amount: d.expectedAmount, currency: d.currency },
    ),
  'opportunity.won': (d) =>
    opportunity(
      'opportunity.won',
      d.opportunityId,
      d.wonAt,
      { amount: d.amount, currency: d.currency, lines: d.lines.length },
      { parentId: d.leadId, link: ownLink(d), repId: d.repId, team: d.team, status: 'won', open: false, amount: d.amount, currency: d.currency },
    ),
  'opportunity.lost': (d) =>
    opportunity(
      'opportunity.lost',
      d.opportunityId,
      d.lostAt,
      { stage: d.stage, reason: d.reason, competitor: d.competitor },
      { repId: d.repId, status: 'lost', open: false },
    ),
  // A hand-over (ADR 0022): the record, its entries and (for an order) its receivables go to the new owner.
  'opportunity.reassigned': (d) =>
    opportunity(
      'opportunity.reassigned',
      d.opportunityId,
      d.reassignedAt,
      { fromRepId: d.fromRepId, toRepId: d.toRepId, reason: d.reason, handOverId: d.handOverId, by: d.by },
      { repId: d.toRepId, team: d.team ?? null },
    ),
  'opportunity.customer_linked': (d) => ({
    record: { recordKind: 'opportunity', recordId: d.opportunityId, link: { accountId: d.accountId, contactId: d.contactId } },
  }),

  'order.drafted': (d) =>
    order(
      'order.drafted',
      d.orderId,
      d.draftedAt,
      { total: d.total, currency: d.currency, customer: d.customer, opportunityId: d.opportunityId, lines: d.lines.length, by: d.by },
      { parentId: d.opportunityId, link: ownLink(d), repId: d.repId, team: d.team, status: 'draft', open: true, amount: d.total, currency: d.currency },
    ),
  'order.draft_updated': (d) =>
    order(
      'order.draft_updated',
      d.orderId,
      d.updatedAt,
      { total: d.total, currency: d.currency, changed: d.changed, note: d.note, by: d.by },
      { amount: d.total, currency: d.currency },
    ),
  'order.submitted': (d) => order('order.submitted', d.orderId, d.submittedAt, { by: d.by }, { status: 'submitted' }),
  'order.confirmed': (d) =>
    order(
      'order.confirmed',
      d.orderId,
      d.confirmedAt,
      { total: d.total, currency: d.currency, autoConfirmed: d.autoConfirmed, by: d.by },
      {
        parentId: d.opportunityId,
        link: ownLink(d),
        repId: d.repId,
        team: d.team,
        status: 'confirmed',
        amount: d.total,
        currency: d.currency,
        confirmedAt: d.confirmedAt,
      },
    ),
  'order.on_hold': (d) =>
    order('order.on_hold', d.orderId, d.at, { alert: true, reason: d.reason, holdKind: d.kind, shortages: d.shortages }, { status: 'on_hold' }),
  'order.delayed': (d) =>
    order('order.delayed', d.orderId, d.detectedAt, {
      alert: true,
      reason: d.reason,
      status: d.status,
      promisedDeliveryDate: d.promisedDeliveryDate,
      daysLate: d.daysLate,
      note: d.note,
    }),
  'order.shipped': (d) => order('order.shipped', d.orderId, d.shippedAt, { carrier: d.carrier, trackingNumber: d.trackingNumber }, { status: 'shipped' }),
  'order.delivered': (d) => order('order.delivered', d.orderId, d.deliveredAt, {}, { status: 'delivered' }),
  'order.completed': (d) => order('order.completed', d.orderId, d.completedAt, { total: d.total, currency: d.currency }, { status: 'completed', open: false }),
  'order.cancelled': (d) =>
    order('order.cancelled', d.orderId, d.cancelledAt, { previousStatus: d.previousStatus, reason: d.reason, by: d.by }, { status: 'cancelled', open: false }),
  'order.reassigned': (d) =>
    order(
      'order.reassigned',
      d.orderId,
      d.reassignedAt,
      { fromRepId: d.fromRepId, toRepId: d.toRepId, reason: d.reason, handOverId: d.handOverId, by: d.by, status: d.status },
      { repId: d.toRepId, team: d.team ?? null },
    ),
  'order.feedback_received': (d) =>
    order(
      'order.feedback_received',
      d.orderId,
      d.receivedAt,
      { feedbackId: d.feedbackId, rating: d.rating, category: d.category, comment: d.comment, complaint: d.complaint },
      { rating: d.rating },
    ),

  'receivable.created': (d) =>
    receivable(
      'receivable.created',
      d.receivableId,
      d.createdAt,
      { orderId: d.orderId, amount: d.amount, currency: d.currency, dueDate: d.dueDate, paymentTerms: d.paymentTerms },
      { parentId: d.orderId, status: 'open', open: true, amount: d.amount, currency: d.currency },
    ),
  'payment.received': (d) =>
    receivable(
      'payment.received',
      d.receivableId,
      d.receivedAt,
      { paymentId: d.paymentId, orderId: d.orderId, amount: d.amount, currency: d.currency, outstanding: d.outstanding, method: d.method },
      { parentId: d.orderId, paid: d.amount, ...(compareAmounts(d.outstanding, '0') <= 0 ? { status: 'paid', open: false } : { status: 'partly_paid' }) },
    ),
  'receivable.overdue': (d) =>
    receivable(
      'receivable.overdue',
      d.receivableId,
      d.detectedAt,
      { alert: true, orderId: d.orderId, outstanding: d.outstanding, currency: d.currency, dueDate: d.dueDate, daysOverdue: d.daysOverdue },
      { parentId: d.orderId, status: 'overdue' },
    ),
  'receivable.voided': (d) =>
    receivable(
      'receivable.voided',
      d.receivableId,
      d.voidedAt,
      { orderId: d.orderId, reason: d.reason, creditedAmount: d.creditedAmount },
      { parentId: d.orderId, status: 'voided', open: false },
    ),

  'account.created': (d) => ({
    entry: {
      ...entry('account.created', 'account', d.accountId, d.at, { name: d.name, by: d.by }),
      own: { accountId: d.accountId, contactId: null, repId: d.ownerRepId, team: d.team },
    },
  }),
  'contact.created': (d) => ({
    entry: {
      ...entry('contact.created', 'contact', d.contactId, d.at, { name: d.name, title: d.title, accountIds: d.accountIds, by: d.by }),
      // A person at several accounts shows on the first one's timeline; the contact's own timeline always.
      own: { accountId: d.accountIds[0] ?? null, contactId: d.contactId, repId: null, team: null },
    },
  }),
};
