import type { Audience, Channel, NotificationType } from './catalogue';

export interface RuleSpec {
  id: string;
  /** A published event type, or one of this service's own triggers (`reminder.*`, `escalation.due`, `webhook.disabled`). */
  eventType: string;
  /** Equality on fields of the event's data; all must hold. */
  match: Record<string, string | number | boolean>;
  type: NotificationType;
  audiences: Audience[];
  channels: Channel[];
}

const ALL: Channel[] = ['in_app', 'email', 'webhook'];

/**
 * The shipped rules (seeded by the first migration; later changes ship as new migrations, and admins edit them
 * through `/api/v1/notification-rules`). docs: apps/notifications/README.md#rules.
 */
export const DEFAULT_RULES: readonly RuleSpec[] = [
  { id: 'lead-assigned', eventType: 'lead.assigned', match: {}, type: 'lead_assigned', audiences: ['owner'], channels: ALL },
  { id: 'lead-reassigned-to', eventType: 'lead.reassigned', match: {}, type: 'lead_assigned', audiences: ['owner'], channels: ALL },
  {
    id: 'lead-reassigned-away',
    eventType: 'lead.reassigned',
    match: {},
    type: 'lead_reassigned_away',
    audiences: ['previous_owner'],
    channels: ['in_app', 'email'],
  },
  {
    id: 'first-follow-up-due-soon',
    eventType: 'lead.first_follow_up_due_soon',
    match: {},
    type: 'first_follow_up_due_soon',
    audiences: ['owner'],
    channels: ALL,
  },
  { id: 'next-action-due', eventType: 'reminder.next_action_due', match: {}, type: 'next_action_due', audiences: ['owner'], channels: ALL },
  { id: 'next-action-overdue', eventType: 'reminder.next_action_overdue', match: {}, type: 'next_action_overdue', audiences: ['owner'], channels: ALL },
  { id: 'stage-overdue', eventType: 'opportunity.stage_overdue', match: {}, type: 'stage_overdue', audiences: ['owner'], channels: ALL },
  { id: 'stock-shortage', eventType: 'order.on_hold', match: { kind: 'stock_shortage' }, type: 'stock_shortage', audiences: ['owner'], channels: ALL },
  { id: 'order-late', eventType: 'order.delayed', match: { reason: 'past_promised_date' }, type: 'order_late', audiences: ['owner'], channels: ALL },
  {
    id: 'quality-problem',
    eventType: 'order.delayed',
    match: { reason: 'quality_problem' },
    type: 'quality_problem',
    audiences: ['owner', 'product_team'],
    channels: ALL,
  },
  {
    id: 'customer-complaint',
    eventType: 'order.feedback_received',
    match: { complaint: true },
    type: 'customer_complaint',
    audiences: ['owner', 'product_team'],
    channels: ALL,
  },
  { id: 'receivable-overdue', eventType: 'receivable.overdue', match: {}, type: 'receivable_overdue', audiences: ['owner', 'finance'], channels: ALL },
  { id: 'escalation', eventType: 'escalation.due', match: {}, type: 'escalated', audiences: ['manager'], channels: ALL },
  {
    id: 'webhook-disabled',
    eventType: 'webhook.disabled',
    match: {},
    type: 'webhook_endpoint_disabled',
    audiences: ['endpoint_owner'],
    channels: ['in_app', 'email'],
  },
  // Added by migration 1765756800004 (ADR 0022): the new owner of a handed-over record is told, with the reason.
  { id: 'opportunity-handed-over', eventType: 'opportunity.reassigned', match: {}, type: 'opportunity_handed_over', audiences: ['owner'], channels: ALL },
  { id: 'order-handed-over', eventType: 'order.reassigned', match: {}, type: 'order_handed_over', audiences: ['owner'], channels: ALL },
];
