import type { EventEnvelope } from '@crm/contracts';

/**
 * What a pure `decide` function returns: the changes to store and the events to publish with them. The
 * repository saves the changes and appends the events to the outbox in one transaction.
 */
export interface Decision<Changes> {
  changes: Changes;
  events: EventEnvelope[];
}

/** A decision that changes nothing and publishes nothing (a redelivered or moot command). */
export const nothingToDo = <Changes>(changes: Changes): Decision<Changes> => ({ changes, events: [] });
