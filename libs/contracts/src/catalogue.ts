import type { z } from 'zod';
import type { EventDefinition } from './event-definition';
import * as customer from './events/customer.events';
import * as finance from './events/finance.events';
import * as lead from './events/lead.events';
import * as opportunity from './events/opportunity.events';
import * as order from './events/order.events';
import * as stock from './events/stock.events';

const isDefinition = (v: unknown): v is EventDefinition => typeof v === 'object' && v !== null && 'type' in v && 'data' in v && 'topic' in v;

/** Every event type the system publishes, at every data version still accepted. */
export const EVENT_CATALOGUE: readonly EventDefinition[] = [lead, opportunity, order, stock, finance, customer]
  .flatMap((mod) => Object.values(mod))
  .filter(isDefinition);

type Defs =
  | (typeof lead)[keyof typeof lead]
  | (typeof opportunity)[keyof typeof opportunity]
  | (typeof order)[keyof typeof order]
  | (typeof stock)[keyof typeof stock]
  | (typeof finance)[keyof typeof finance]
  | (typeof customer)[keyof typeof customer];
type AnyDef = Extract<Defs, EventDefinition>;

export type EventName = AnyDef['name'];
export type EventType = AnyDef['type'];
/** The data of an event, as consumers see it after validation (defaults applied). */
export type EventData<N extends EventName> = z.output<Extract<AnyDef, { name: N }>['data']>;
/** The data a producer passes in (fields with defaults may be left out). */
export type EventDataInput<N extends EventName> = z.input<Extract<AnyDef, { name: N }>['data']>;

const byKey = new Map(EVENT_CATALOGUE.map((d) => [`${d.type}@${d.dataversion}`, d]));
const latestByName = new Map<string, EventDefinition>();
for (const d of EVENT_CATALOGUE) {
  const seen = latestByName.get(d.name);
  if (!seen || seen.dataversion < d.dataversion) latestByName.set(d.name, d);
}

export const findDefinition = (type: string, dataversion: number): EventDefinition | undefined => byKey.get(`${type}@${dataversion}`);

export function definitionOf(name: EventName): EventDefinition {
  const def = latestByName.get(name);
  if (!def) throw new Error(`unknown event ${name}`);
  return def;
}
