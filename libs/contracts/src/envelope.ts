import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { definitionOf, findDefinition, type EventData, type EventDataInput, type EventName } from './catalogue';
import { Id, Timestamp } from './primitives';

/** The CloudEvents version every event is written in. */
export const SPECVERSION = '1.0';
/** `data` is always JSON. */
export const DATA_CONTENT_TYPE = 'application/json';
/**
 * The Kafka `content-type` header of every event: CloudEvents structured mode, JSON event format
 * (Kafka protocol binding 3.3.1). The key is the subject; see docs/decisions/0014.
 */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=UTF-8';

/** W3C Trace Context `traceparent`, version 00 (lower-case hex; all-zero ids are invalid and ignored when read). */
export const TRACEPARENT_PATTERN = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The envelope every event travels in: a CloudEvent 1.0 in the JSON event format. `dataversion`,
 * `correlationid` and `causationid` are extension attributes (names lower-case letters and digits only);
 * `traceparent` and `tracestate` are the CloudEvents distributed-tracing extension (docs/decisions/0028).
 */
export const EnvelopeSchema = z.object({
  specversion: z.literal(SPECVERSION),
  id: Id,
  type: z.string().regex(/^crm\.[a-z_]+\.[a-z_]+$/),
  source: z.string().min(1).max(64),
  subject: z.string().min(1).max(200),
  time: Timestamp,
  datacontenttype: z.literal(DATA_CONTENT_TYPE),
  dataversion: z.number().int().positive(),
  correlationid: z.string().min(1).max(128),
  causationid: z.string().min(1).max(128).nullable(),
  data: z.unknown(),
  personalkey: z.string().min(1).max(200).optional().describe('the record whose key sealed the personal fields (docs/decisions/0024)'),
  personaldata: z.string().min(1).max(65_536).optional().describe('the personal fields, AES-256-GCM sealed, base64'),
  traceparent: z
    .string()
    .regex(TRACEPARENT_PATTERN)
    .optional()
    .describe('W3C trace context of the request or event that appended this one (docs/decisions/0028); absent on untraced and older events'),
  tracestate: z.string().min(1).max(512).optional().describe('W3C tracestate that goes with traceparent, when there is one'),
});

export interface EventEnvelope<D = unknown, T extends string = string> {
  specversion: typeof SPECVERSION;
  id: string;
  type: T;
  source: string;
  subject: string;
  time: string;
  datacontenttype: typeof DATA_CONTENT_TYPE;
  dataversion: number;
  correlationid: string;
  causationid: string | null;
  data: D;
  /** Set when `data` carries personal fields: the record whose key sealed them (docs/decisions/0024). */
  personalkey?: string;
  /** The sealed personal fields; absent once the record was erased before the event was written. */
  personaldata?: string;
  /** W3C trace context of the work that appended the event to the outbox, when traced (docs/decisions/0028). */
  traceparent?: string;
  tracestate?: string;
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
    specversion: SPECVERSION,
    id: randomUUID(),
    type: def.type as `crm.${N}`,
    source: def.source,
    subject: event.subject,
    time: new Date(event.time ?? Date.now()).toISOString(),
    datacontenttype: DATA_CONTENT_TYPE,
    dataversion: def.dataversion,
    correlationid: event.correlationId ?? randomUUID(),
    causationid: event.causationId ?? null,
    data: parsed.data as EventData<N>,
  };
}

/**
 * How an envelope is read. Topics are kept forever (docs/decisions/0006), and events published before
 * docs/decisions/0014 carry neither `specversion` nor `datacontenttype`: read without them, they are the
 * CloudEvents 1.0 JSON events they always were. Any other `specversion` is refused.
 */
const ReadEnvelopeSchema = EnvelopeSchema.extend({
  specversion: EnvelopeSchema.shape.specversion.default(SPECVERSION),
  datacontenttype: EnvelopeSchema.shape.datacontenttype.default(DATA_CONTENT_TYPE),
  // Trace context is a hint: a malformed one is dropped (the event starts a new trace), never a reason to refuse it.
  traceparent: EnvelopeSchema.shape.traceparent.catch(undefined),
  tracestate: EnvelopeSchema.shape.tracestate.catch(undefined),
});

/** Validates an envelope and its data against the catalogue; returns it with defaults applied. */
export function validateEvent(value: unknown): EventEnvelope {
  const envelope = ReadEnvelopeSchema.safeParse(value);
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
    // V8's message quotes the text around the fault, which may be a person's data: only the position is kept.
    const at = /position \d+/.exec((err as Error).message)?.[0];
    throw new ContractViolationError('unparseable', `message is not JSON${at ? ` (at ${at})` : ''}`);
  }
  return validateEvent(json);
}

export const isEvent = <N extends EventName>(event: EventEnvelope, name: N): event is EventOf<N> => event.type === `crm.${name}`;
