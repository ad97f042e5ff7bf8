import type { RecordKind } from '../catalogue/catalogue';
import type { Trigger } from '../fanout/fanout.domain';

/** The envelope fields the service reads from any consumed event. */
export interface SourceEvent {
  id: string;
  type: string;
  time: string;
  data: object;
}

/** How a record is named in a notification: the company, and the person when there is one. */
export function labelOf(customer: { name: string; company?: string }): string {
  return customer.company && customer.company !== customer.name ? `${customer.company} · ${customer.name}` : customer.name;
}

/**
 * Whether an event should tell anyone: not a historical import, and not older than `maxAgeHours` when it
 * arrives, so a replay of the retained topics (a new consumer group, a reset offset) updates the copies
 * without sending years of stale alerts.
 */
export function isLive(event: SourceEvent, now: Date, maxAgeHours: number): boolean {
  if ((event.data as { historical?: boolean }).historical === true) return false;
  return now.getTime() - Date.parse(event.time) <= maxAgeHours * 3_600_000;
}

/** The trigger an event makes, about the record it names: the event type without the `crm.` prefix. */
export function triggerOf(event: SourceEvent, record: { kind: RecordKind; id: string }, extra: Pick<Trigger, 'previousOwnerId'> = {}): Trigger {
  return {
    eventId: event.id,
    eventType: event.type.replace(/^crm\./, ''),
    data: event.data as Record<string, unknown>,
    occurredAt: new Date(event.time),
    record,
    ...extra,
  };
}
