import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { KafkaMessage } from 'kafkajs';
import { createEvent } from '@crm/contracts';
import { activeTracer, runWithCorrelation, startSpan, startTracing, stopTracing } from '@crm/observability';
import type { OutgoingMessage } from '../kafka/event-publisher';
import type { OutboxRow } from '../outbox/relay-sql';
import { consumerSpan, publishTraced, withTraceContext } from './messaging-spans';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const envelopeParent = `00-${traceId}-00f067aa0ba902b7-01`;
const orderId = '8f6a3c1e-2b4d-4e5f-9a7b-1c2d3e4f5a6b';
const allocated = () => createEvent('order.allocated', { subject: orderId, data: { orderId, at: '2026-11-27T10:00:00Z' } });
const message = (headers: KafkaMessage['headers'] = {}): KafkaMessage =>
  ({ key: Buffer.from(orderId), value: null, offset: '7', headers, timestamp: '0', attributes: 0 }) as KafkaMessage;

describe('messaging spans', () => {
  const exporter = new InMemorySpanExporter();
  beforeAll(() => startTracing('orders', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }, new SimpleSpanProcessor(exporter)));
  afterAll(() => stopTracing());
  beforeEach(() => exporter.reset());

  it('stamps appended events with the current span, keeps a trace context an event already has, and leaves untraced work alone', () => {
    const span = startSpan(activeTracer()!, 'request', SpanKind.SERVER, undefined, {});
    const [stamped, kept] = runWithCorrelation('c', () => withTraceContext([allocated(), { ...allocated(), traceparent: envelopeParent }]), undefined, span);
    expect(stamped.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
    expect(kept.traceparent).toBe(envelopeParent);
    const untraced = [allocated()];
    expect(runWithCorrelation('c', () => withTraceContext(untraced))).toBe(untraced);
  });

  it('sends each relayed event in a producer span under its envelope context, and puts that span in the Kafka headers', async () => {
    const sent: OutgoingMessage[] = [];
    const row: OutboxRow = {
      seq: '1',
      topic: 'crm.orders.v1',
      message_key: orderId,
      event_type: 'crm.order.allocated',
      event_id: 'e1',
      payload: '{}',
      traceparent: envelopeParent,
    };
    await publishTraced({ publish: async (m) => void sent.push(...m) }, [row, { ...row, event_id: 'e2', traceparent: null }], (r) => ({
      topic: r.topic,
      key: r.message_key,
      value: r.payload,
    }));
    const [traced, root] = exporter.getFinishedSpans();
    expect(traced).toMatchObject({ name: 'send crm.orders.v1', kind: SpanKind.PRODUCER, parentSpanContext: expect.objectContaining({ traceId }) });
    expect(traced.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.destination.name': 'crm.orders.v1', 'messaging.message.id': 'e1' });
    expect(sent[0].headers?.traceparent).toBe(`00-${traceId}-${traced.spanContext().spanId}-01`);
    expect(root.parentSpanContext).toBeUndefined();
  });

  it('continues the Kafka header first, the envelope without one, and starts a new root from garbage in either', () => {
    const event = { ...allocated(), traceparent: envelopeParent };
    const headerParent = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`;
    expect(consumerSpan('t', 0, message({ traceparent: Buffer.from(headerParent) }), event, 'g')!.spanContext().traceId).toBe('a'.repeat(32));
    expect(consumerSpan('t', 0, message({ traceparent: 'garbage' }), event, 'g')!.spanContext().traceId).toBe(traceId);
    const root = consumerSpan('t', 0, message({ traceparent: 'garbage' }), { ...allocated(), traceparent: 'nonsense' }, 'g')!;
    root.end();
    expect(exporter.getFinishedSpans().at(-1)).toMatchObject({ kind: SpanKind.CONSUMER, parentSpanContext: undefined });
    expect(exporter.getFinishedSpans().at(-1)?.attributes).toMatchObject({ 'messaging.consumer.group.name': 'g', 'messaging.kafka.offset': 7 });
  });
});
