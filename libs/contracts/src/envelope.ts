import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { definitionOf, findDefinition, type EventData, type EventDataInput, type EventName } from './catalogue';
import { Id, Timestamp } from './primitives';

/** The envelope every event travels in, with CloudEvents attribute names. */
export const EnvelopeSchema = z.object({
  id: Id,
  type: z.string().regex(/^crm\.[a-z_]+\.[a-z_]+$/),
  source: z.string().min(1).max(64),
  subject: z.string().min(1).max(200),
  time: Timestamp,
  dataversion: z.number().int().positive(),
  correlationid: z.string().min(1).max(128),
  causationid: z.string().min(1).max(128).nullable(),
  data: z.unknown(),
});

export interface EventEnvelope<D = unknown, T extends string = string> {
  id: string;
  type: T;
  source: string;
  subject: string;
  time: string;
  dataversion: number;
  correlationid: string;
  causationid: string | null;
  data: D;
}

/** An envelope whose data is known to match the schema of its type. */
export type EventOf<N extends EventName> = EventEnvelope<EventData<N>, `crm.${N}`>;

export type ContractViolationReason = 'unparseable' | 'envelope' | 'unknown_type' | 'data';

export class ContractViolationError extends Error {
  constructor(
    readonly reason: ContractViolationReason,
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(issues.length ? `${message}: ${issues.join('; ')}` : message);
    this.name = 'ContractViolationError';
  }
}

const describeIssues = (error: z.ZodError): string[] => error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);

export interface NewEvent<N extends EventName> {
  subject: string;
  data: EventDataInput<N>;
  correlationId?: string;
  /** The id of the event or command that caused this one. */
  causationId?: string | null;
  /** When it happened, if not now: a historical import keeps the original occurrence time. */
  time?: Date | string;
}

/** Builds a validated envelope; invalid data throws here, so nothing invalid reaches the outbox. */
export function createEvent<N extends EventName>(name: N, event: NewEvent<N>): EventOf<N> {
  const def = definitionOf(name);
  const parsed = def.data.safeParse(event.data);
  if (!parsed.success) {
    throw new ContractViolationError('data', `invalid ${def.type} data`, describeIssues(parsed.error));
  }
  return {
    id: randomUUID(),
    type: def.type as `crm.${N}`,
    source: def.source,
    subject: event.subject,
    time: new Date(event.time ?? Date.now()).toISOString(),
    dataversion: def.dataversion,
    correlationid: event.correlationId ?? randomUUID(),
    causationid: event.causationId ?? null,
    data: parsed.data as EventData<N>,
  };
}

/** Validates an envelope and its data against the catalogue; returns it with defaults applied. */
export function validateEvent(value: unknown): EventEnvelope {
  const envelope = EnvelopeSchema.safeParse(value);
  if (!envelope.success) {
    throw new ContractViolationError('envelope', 'invalid event envelope', describeIssues(envelope.error));
  }
  const { type, dataversion } = envelope.data;
  const def = findDefinition(type, dataversion);
  if (!def) throw new ContractViolationError('unknown_type', `unknown event type ${type} v${dataversion}`);
  const data = def.data.safeParse(envelope.data.data);
  if (!data.success) {
    throw new ContractViolationError('data', `invalid ${type} v${dataversion} data`, describeIssues(data.error));
  }
  return { ...envelope.data, data: data.data };
}

/** Parses raw Kafka message bytes into a validated envelope. */
export function decodeEvent(raw: Buffer | string | null): EventEnvelope {
  if (raw === null) throw new ContractViolationError('unparseable', 'message has no value');
  let json: unknown;
  try {
    json = JSON.parse(raw.toString());
  } catch (err) {
    throw new ContractViolationError('unparseable', `message is not JSON (${(err as Error).message})`);
  }
  return validateEvent(json);
}

export const isEvent = <N extends EventName>(event: EventEnvelope, name: N): event is EventOf<N> => event.type === `crm.${name}`;
