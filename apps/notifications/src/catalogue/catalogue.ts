/**
 * What the service knows how to say. Each notification type has a template per locale (templates/) and a
 * record it is about; which events produce it, for whom and over which channels is data (notification_rules).
 */
export const CHANNELS = ['in_app', 'email', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const RECORD_KINDS = ['lead', 'opportunity', 'order', 'receivable', 'webhook_endpoint'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/**
 * Who a rule sends to, resolved against the event and the service's copies (recipients, record_access):
 * - owner: the record's rep now (a re-assigned lead's new owner);
 * - previous_owner: the rep a lead moved away from (told that it moved, never shown the lead again);
 * - manager: the owner's manager (rep.upserted's managerId);
 * - finance: every active recipient with the finance role;
 * - product_team: the members of the team that owns the record's product line (product_routes);
 * - endpoint_owner: the user who owns a webhook endpoint (or its team's managers).
 */
export const AUDIENCES = ['owner', 'previous_owner', 'manager', 'finance', 'product_team', 'endpoint_owner'] as const;
export type Audience = (typeof AUDIENCES)[number];

export interface NotificationTypeSpec {
  record: RecordKind;
  /** Shipped default; an admin may change it (notification_types). A critical type cannot be turned off. */
  critical: boolean;
  /** Unacknowledged for this long, the alert goes to the owner's manager, once; null: never escalates. */
  escalateAfterMinutes: number | null;
}

export const NOTIFICATION_TYPES = {
  lead_assigned: { record: 'lead', critical: false, escalateAfterMinutes: null },
  lead_reassigned_away: { record: 'lead', critical: false, escalateAfterMinutes: null },
  first_follow_up_due_soon: { record: 'lead', critical: true, escalateAfterMinutes: null },
  next_action_due: { record: 'lead', critical: false, escalateAfterMinutes: null },
  next_action_overdue: { record: 'lead', critical: false, escalateAfterMinutes: 24 * 60 },
  stage_overdue: { record: 'opportunity', critical: false, escalateAfterMinutes: 24 * 60 },
  stock_shortage: { record: 'order', critical: true, escalateAfterMinutes: 4 * 60 },
  order_late: { record: 'order', critical: true, escalateAfterMinutes: 8 * 60 },
  quality_problem: { record: 'order', critical: true, escalateAfterMinutes: 4 * 60 },
  customer_complaint: { record: 'order', critical: true, escalateAfterMinutes: 4 * 60 },
  receivable_overdue: { record: 'receivable', critical: false, escalateAfterMinutes: 3 * 24 * 60 },
  escalated: { record: 'lead', critical: true, escalateAfterMinutes: null },
  webhook_endpoint_disabled: { record: 'webhook_endpoint', critical: true, escalateAfterMinutes: null },
  // A record handed over to its new owner with the reason (ADR 0022); a lead's hand-over says lead_assigned.
  opportunity_handed_over: { record: 'opportunity', critical: false, escalateAfterMinutes: null },
  order_handed_over: { record: 'order', critical: false, escalateAfterMinutes: null },
} as const satisfies Record<string, NotificationTypeSpec>;

export type NotificationType = keyof typeof NOTIFICATION_TYPES;
export const NOTIFICATION_TYPE_NAMES = Object.keys(NOTIFICATION_TYPES) as NotificationType[];
export const isNotificationType = (v: string): v is NotificationType => v in NOTIFICATION_TYPES;
