import { z } from 'zod';
import type { Topic } from './topics';

export type ServiceName = 'leads' | 'opportunities' | 'orders' | 'inventory' | 'finance' | 'analytics' | 'customers' | 'notifications';

/** One published event type at one data version: the single source of its TS type, validation and docs. */
export interface EventDefinition<N extends string = string, S extends z.ZodType = z.ZodType> {
  /** Short name, e.g. `order.confirmed`; the envelope `type` is `crm.` + name. */
  readonly name: N;
  readonly type: `crm.${N}`;
  readonly dataversion: number;
  readonly topic: Topic;
  /** The service that owns the aggregate and publishes this event. */
  readonly source: ServiceName;
  readonly summary: string;
  readonly data: S;
  /**
   * The fields that carry personal data, sealed on the topics with the record's key (docs/decisions/0024): dotted
   * paths into `data`. A path ending in `?` is an optional field, left out while sealed; an array travels empty;
   * any other field travels as "[sealed]" (and reads "[erased]" once the key is destroyed).
   */
  readonly personal?: readonly string[];
}

export function defineEvent<N extends string, S extends z.ZodType>(
  def: Omit<EventDefinition<N, S>, 'type' | 'dataversion'> & { dataversion?: number },
): EventDefinition<N, S> {
  return { ...def, type: `crm.${def.name}`, dataversion: def.dataversion ?? 1 };
}
