import { CHANNELS, NOTIFICATION_TYPES, type Audience, type Channel, type NotificationType, type RecordKind } from '../catalogue/catalogue';
import type { Params } from '../templates/templates';

/** Something that may become notifications: a consumed event or one of this service's own triggers. */
export interface Trigger {
  eventId: string;
  eventType: string;
  data: Record<string, unknown>;
  occurredAt: Date;
  record: { kind: RecordKind; id: string };
  /** A lead's owner before a re-assignment (the previous_owner audience). */
  previousOwnerId?: string;
  /** Extra template values the trigger knows (an escalation's original title, an endpoint's URL). */
  params?: Params;
}

export interface Rule {
  id: string;
  eventType: string;
  match: Record<string, unknown>;
  type: NotificationType;
  audiences: Audience[];
  channels: Channel[];
}

/** What this service knows of a record: who owns it, its team, its name and product lines. */
export interface RecordAccess {
  ownerId: string | null;
  team: string | null;
  label: string | null;
  productLines: string[];
}

export interface Recipient {
  userId: string;
  email: string | null;
  roles: string[];
  team: string | null;
  managerId: string | null;
  active: boolean;
}

export const ruleMatches = (rule: Rule, data: Record<string, unknown>) => Object.entries(rule.match).every(([field, want]) => data[field] === want);

/**
 * Whether telling this recipient about the record reveals nothing they may not see: the owner sees their own
 * record, the manager their report's, finance the money, a product team the complaints routed to it. The
 * previous owner is only told that a lead moved (its params carry no name), and an endpoint owner only about
 * their endpoint.
 */
export function mayBeTold(
  audience: Audience,
  recipient: Recipient,
  access: RecordAccess,
  ctx: { productTeams: string[]; ownerManagerId: string | null },
): boolean {
  if (!recipient.active) return false;
  switch (audience) {
    case 'owner':
      return access.ownerId === recipient.userId;
    case 'previous_owner':
      return access.ownerId !== recipient.userId;
    case 'manager':
      // The owner's own manager, or (no manager on record) a manager of the record's team.
      return ctx.ownerManagerId ? ctx.ownerManagerId === recipient.userId : recipient.roles.includes('sales_manager') && recipient.team === access.team;
    case 'finance':
      return recipient.roles.includes('finance');
    case 'product_team':
      return recipient.roles.includes('product_team') && recipient.team !== null && ctx.productTeams.includes(recipient.team);
    case 'endpoint_owner':
      return true;
  }
}

/** The template values: the event's data, the record's name, what the trigger adds; nothing named for a previous owner. */
export function paramsFor(audience: Audience, trigger: Trigger, access: RecordAccess): Params {
  if (audience === 'previous_owner') return { reason: trigger.data.reason };
  return { ...trigger.data, label: access.label ?? trigger.record.id, ...trigger.params };
}

/**
 * The channels a notification goes out on: the rule's, minus those the user turned off, unless the type is
 * critical. `off` holds the user's "off" choices for this type.
 */
export function channelsFor(rule: Rule, critical: boolean, off: ReadonlySet<Channel>): Channel[] {
  return CHANNELS.filter((c) => rule.channels.includes(c) && (critical || !off.has(c)));
}

/** When an unacknowledged alert goes to the manager: only the owner's alerts escalate, and only types with a window. */
export function escalatesAt(audience: Audience, windowMinutes: number | null, createdAt: Date): Date | null {
  if (audience !== 'owner' || windowMinutes === null) return null;
  return new Date(createdAt.getTime() + windowMinutes * 60_000);
}

export const defaultCritical = (type: NotificationType) => NOTIFICATION_TYPES[type].critical;
