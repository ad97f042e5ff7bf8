import type { EventEnvelope, EventName, EventType } from '@crm/contracts';
import { customerProjections } from './customers.projection';
import { directoryProjections } from './directories.projection';
import { leadProjections } from './leads.projection';
import { opportunityProjections } from './opportunities.projection';
import { orderProjections } from './orders.projection';
import type { ProjectionBatch } from './projection-batch';
import type { Projections } from './projection-context';
import { receivableProjections } from './receivables.projection';

/** The one list of the events the read model is built from, and how each is applied. */
export const PROJECTIONS: Projections = {
  ...directoryProjections,
  ...leadProjections,
  ...opportunityProjections,
  ...orderProjections,
  ...receivableProjections,
  ...customerProjections,
};

/** The event types the consumer subscribes to (and the rebuild replays), from the list above. */
export const PROJECTED_EVENT_TYPES: readonly EventType[] = Object.keys(PROJECTIONS).map((name) => `crm.${name}` as EventType);

/** The handler of an event type (`crm.lead.captured`), if the read model uses it. */
export function projectionFor(type: string): ((event: EventEnvelope, batch: ProjectionBatch) => void) | undefined {
  if (!type.startsWith('crm.')) return undefined;
  const name = type.slice('crm.'.length);
  if (!Object.hasOwn(PROJECTIONS, name)) return undefined;
  return PROJECTIONS[name as EventName] as ((event: EventEnvelope, batch: ProjectionBatch) => void) | undefined;
}
