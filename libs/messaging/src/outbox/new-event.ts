import { createEvent, type EventName, type EventOf, type NewEvent } from '@crm/contracts';
import { currentCausationId, currentCorrelationId } from '@crm/observability';

/**
 * createEvent for service code: the event carries the correlation id of the request or event
 * being handled, and that event's id as its causation, so one customer journey can be followed
 * across services and logs.
 */
export function newEvent<N extends EventName>(name: N, event: NewEvent<N>): EventOf<N> {
  return createEvent(name, { correlationId: currentCorrelationId(), causationId: currentCausationId() ?? null, ...event });
}
