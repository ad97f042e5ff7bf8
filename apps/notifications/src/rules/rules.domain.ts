import { z } from 'zod';
import { EVENT_CATALOGUE } from '@crm/contracts';
import { DomainError, type DomainFieldIssue } from '@crm/domain';
import { NOTIFICATION_TYPES, type Audience, type Channel, type NotificationType, type RecordKind } from '../catalogue/catalogue';

/**
 * The triggers this service raises itself, with the fields of their `data` a rule may match on (the
 * reminder scan, the escalation scan and the webhook dispatcher put these there).
 */
export const OWN_TRIGGERS: Readonly<Record<string, readonly string[]>> = {
  'reminder.next_action_due': ['leadId', 'nextAction', 'dueAt'],
  'reminder.next_action_overdue': ['leadId', 'nextAction', 'dueAt'],
  'escalation.due': ['notificationId', 'originalType', 'ownerId'],
  'webhook.disabled': ['endpointId', 'ownerUserId', 'ownerTeam', 'url', 'reason'],
};

export type MatchValue = string | number | boolean;

export interface RuleInput {
  eventType: string;
  match: Record<string, MatchValue>;
  type: NotificationType;
  audiences: Audience[];
  channels: Channel[];
  enabled: boolean;
}

export interface StoredRule extends RuleInput {
  id: string;
  version: number;
  updatedAt: Date;
}

/** Rule ids are short slugs (`quality-problem`): they appear in URLs and logs. */
export const RULE_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Every field of an event's data per published data version; a field is matchable if any version has it. */
function publishedShapes(eventType: string): Record<string, z.ZodType>[] {
  const shapesOf = (schema: z.ZodType): Record<string, z.ZodType>[] => {
    if (schema instanceof z.ZodObject) return [schema.shape as Record<string, z.ZodType>];
    if (schema instanceof z.ZodUnion) return (schema.options as z.ZodType[]).flatMap(shapesOf);
    return [];
  };
  return EVENT_CATALOGUE.filter((d) => d.name === eventType).flatMap((d) => shapesOf(d.data));
}

/** The event types a rule may name: every published one and the service's own triggers. */
export const knownEventTypes = (): string[] => [...new Set([...EVENT_CATALOGUE.map((d) => d.name), ...Object.keys(OWN_TRIGGERS)])].sort();

/**
 * What is wrong with a rule's `match` for its event: a field the event's data does not have, or (for a
 * published event) a value the field can never take, e.g. `reason: 'late'` where the schema says
 * `past_promised_date | quality_problem`. Such a rule would silently never fire.
 */
export function matchIssues(eventType: string, match: Record<string, MatchValue>): DomainFieldIssue[] {
  const own = OWN_TRIGGERS[eventType];
  const shapes = own ? [] : publishedShapes(eventType);
  const issues: DomainFieldIssue[] = [];
  for (const [field, value] of Object.entries(match)) {
    const field$ = `match.${field}`;
    if (own) {
      if (!own.includes(field)) issues.push({ field: field$, message: `${eventType} has no field ${field}`, constraint: 'eventField' });
      continue;
    }
    const schemas = shapes.filter((s) => Object.hasOwn(s, field)).map((s) => s[field]);
    if (schemas.length === 0) issues.push({ field: field$, message: `${eventType} has no field ${field}`, constraint: 'eventField' });
    else if (!schemas.some((s) => s.safeParse(value).success)) {
      issues.push({ field: field$, message: `${JSON.stringify(value)} is never a value of ${eventType}'s ${field}`, constraint: 'eventFieldValue' });
    }
  }
  return issues;
}

/** Checks a rule an admin puts; throws a 400 with every field that is wrong. */
export function validateRule(id: string, input: RuleInput): RuleInput {
  const issues: DomainFieldIssue[] = [];
  if (!RULE_ID.test(id)) issues.push({ field: 'id', message: 'id must be 1-64 lower-case letters, digits, - or _', constraint: 'ruleId' });
  const published = EVENT_CATALOGUE.some((d) => d.name === input.eventType);
  if (!published && !OWN_TRIGGERS[input.eventType]) {
    issues.push({
      field: 'eventType',
      message: `eventType must be a published event type or one of ${Object.keys(OWN_TRIGGERS).join(', ')}`,
      constraint: 'eventType',
    });
  } else {
    issues.push(...matchIssues(input.eventType, input.match));
  }
  if (issues.length) throw DomainError.invalidFields(issues);
  return input;
}

export interface TypeSettings {
  type: NotificationType;
  critical: boolean;
  escalateAfterMinutes: number | null;
  version: number;
}

/** An admin's edit of a type: only what is sent changes. */
export function decideTypeEdit(current: TypeSettings, edit: { critical?: boolean; escalateAfterMinutes?: number | null }): Omit<TypeSettings, 'version'> {
  return {
    type: current.type,
    critical: edit.critical ?? current.critical,
    escalateAfterMinutes: edit.escalateAfterMinutes === undefined ? current.escalateAfterMinutes : edit.escalateAfterMinutes,
  };
}

/** A type as the API shows it: its settings and the kind of record it is about (from the catalogue). */
export const typeView = (t: TypeSettings): TypeSettings & { record: RecordKind } => ({ ...t, record: NOTIFICATION_TYPES[t.type].record });
