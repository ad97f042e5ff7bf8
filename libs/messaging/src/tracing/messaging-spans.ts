import { SpanKind, SpanStatusCode, ROOT_CONTEXT, type Span } from '@opentelemetry/api';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { EventEnvelope } from '@crm/contracts';
import { activeTracer, currentSpan, parentContext, runWithCorrelation, startSpan, traceCarrierOf, type TraceCarrier } from '@crm/observability';
import type { EventPublisher, OutgoingMessage } from '../kafka/event-publisher';
import type { OutboxRow } from '../outbox/relay-sql';

// Semantic-convention attribute names of messaging spans (still "development" in the conventions, so spelled
// out here rather than imported from their incubating entry point, as the conventions' package advises).
const MESSAGING = {
  system: 'messaging.system',
  destination: 'messaging.destination.name',
  partition: 'messaging.destination.partition.id',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  messageId: 'messaging.message.id',
  group: 'messaging.consumer.group.name',
  key: 'messaging.kafka.message.key',
  offset: 'messaging.kafka.offset',
} as const;

/**
 * The events, each with the trace context of the work that appends them (an HTTP request or the consumed event
 * being handled), unless they carry one already; as given when nothing is traced.
 */
export function withTraceContext<E extends EventEnvelope>(events: readonly E[]): readonly E[] {
  const span = currentSpan();
  if (!span) return events;
  const carrier = traceCarrierOf(span);
  return events.map((event) => (event.traceparent ? event : { ...event, ...carrier }));
}

/**
 * Publishes the relay's messages, each in a producer span (child of the trace context its envelope carries, a new
 * root without one) whose context goes in the message's `traceparent` header, so its consumers continue it.
 */
export function publishTraced(publisher: EventPublisher, rows: readonly OutboxRow[], toMessage: (row: OutboxRow) => OutgoingMessage): Promise<void> {
  const tracer = activeTracer();
  if (!tracer) return publisher.publish(rows.map(toMessage));
  const spans: Span[] = [];
  const messages = rows.map((row) => {
    const message = toMessage(row);
    const carrier = { traceparent: row.traceparent ?? undefined, tracestate: row.tracestate ?? undefined };
    const span = startSpan(tracer, `send ${message.topic}`, SpanKind.PRODUCER, carrier, {
      [MESSAGING.system]: 'kafka',
      [MESSAGING.destination]: message.topic,
      [MESSAGING.operationType]: 'send',
      [MESSAGING.operationName]: 'send',
      [MESSAGING.messageId]: row.event_id,
      [MESSAGING.key]: row.message_key,
    });
    spans.push(span);
    return { ...message, headers: { ...message.headers, ...traceCarrierOf(span) } };
  });
  const sent = publisher.publish(messages);
  sent.then(
    () => spans.forEach((span) => span.end()),
    (err: Error) => spans.forEach((span) => endWithError(span, err)),
  );
  return sent;
}

const headerValue = (headers: IHeaders | undefined, name: string) => {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
};

/**
 * A consumer span for one handled event, when tracing is on: child of the producer span named by the message's
 * `traceparent` header, else of the envelope's trace context (an event published by hand or before the relay
 * traced), else a new root. Whatever those hold, a malformed one is ignored.
 */
export function consumerSpan(topic: string, partition: number, message: KafkaMessage, event: EventEnvelope, groupId: string): Span | undefined {
  const tracer = activeTracer();
  if (!tracer) return undefined;
  const fromHeader = parentContext({ traceparent: headerValue(message.headers, 'traceparent'), tracestate: headerValue(message.headers, 'tracestate') });
  const parent = fromHeader !== ROOT_CONTEXT ? fromHeader : parentContext(event as TraceCarrier);
  return startSpan(tracer, `process ${topic}`, SpanKind.CONSUMER, parent, {
    [MESSAGING.system]: 'kafka',
    [MESSAGING.destination]: topic,
    [MESSAGING.partition]: String(partition),
    [MESSAGING.operationType]: 'process',
    [MESSAGING.operationName]: 'process',
    [MESSAGING.messageId]: event.id,
    [MESSAGING.group]: groupId,
    [MESSAGING.offset]: Number(message.offset),
    ...(message.key && { [MESSAGING.key]: message.key.toString() }),
  });
}

/**
 * Ends a span that failed, naming the error's type only: a message may quote a person's data, and spans leave
 * the service unredacted (the log line of the failure has the redacted message).
 */
export function endWithError(span: Span | undefined, err: unknown): void {
  if (!span) return;
  const type = err instanceof Error ? err.name : typeof err;
  span.setAttribute('error.type', type);
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
  span.end();
}

/** Runs a handler in its event's correlation context and consumer span (if any), and ends the span as it ends. */
export async function handleInSpan<T>(span: Span | undefined, event: EventEnvelope, handle: () => Promise<T>): Promise<T> {
  try {
    const result = await runWithCorrelation(event.correlationid, handle, event.id, span);
    span?.end();
    return result;
  } catch (err) {
    endWithError(span, err);
    throw err;
  }
}
