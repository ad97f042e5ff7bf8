import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { LogCapture } from '../../test/observability-test-app';
import { runWithCorrelation } from '../correlation/correlation-context';
import { createJsonLogger } from '../logging/json-logger.service';
import { activeTracer, parentContext, startSpan, startTracing, traceCarrierOf, tracingEnabled } from './tracing';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const parentId = '00f067aa0ba902b7';
const exporter = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test');

describe('tracing', () => {
  it('is off without an OTLP endpoint: no SDK is started and there is no tracer', () => {
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' })).toBe(false);
    expect(startTracing('orders', {})).toBe(false);
    expect(activeTracer()).toBeUndefined();
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' })).toBe(true);
  });

  it('continues a valid traceparent and writes its own span as the next one', () => {
    const span = startSpan(tracer, 'work', SpanKind.CONSUMER, { traceparent: `00-${traceId}-${parentId}-01`, tracestate: 'vendor=abc' }, {});
    span.end();
    expect(span.spanContext().traceId).toBe(traceId);
    const carrier = traceCarrierOf(span);
    expect(carrier).toEqual({ traceparent: `00-${traceId}-${span.spanContext().spanId}-01`, tracestate: 'vendor=abc' });
    expect(exporter.getFinishedSpans().at(-1)?.parentSpanContext?.spanId).toBe(parentId);
  });

  it.each([
    ['nothing', undefined],
    ['garbage', { traceparent: 'not-a-trace-context' }],
    ['all-zero ids', { traceparent: `00-${'0'.repeat(32)}-${'0'.repeat(16)}-01` }],
    ['a number', { traceparent: 42 as unknown as string }],
    ['an unknown version with bad hex', { traceparent: `ff-${traceId}-${parentId}-01` }],
  ])('starts a new root from %s', (_what, carrier) => {
    expect(parentContext(carrier)).toBe(ROOT_CONTEXT);
    const span = startSpan(tracer, 'work', SpanKind.SERVER, carrier, {});
    expect(span.spanContext().traceId).not.toBe(traceId);
    expect(trace.isSpanContextValid(span.spanContext())).toBe(true);
  });

  it('puts trace_id and span_id on every log line written inside a traced context, and none outside', () => {
    const out = new LogCapture();
    const logger = createJsonLogger('orders', { destination: out });
    const span = startSpan(tracer, 'work', SpanKind.SERVER, { traceparent: `00-${traceId}-${parentId}-01` }, {});
    runWithCorrelation('corr-1', () => logger.log('inside'), undefined, span);
    runWithCorrelation('corr-2', () => logger.log('untraced'));
    logger.log('outside');
    expect(out.lines[0]).toMatchObject({ msg: 'inside', correlationId: 'corr-1', trace_id: traceId, span_id: span.spanContext().spanId });
    expect(out.lines[1]).toEqual(expect.not.objectContaining({ trace_id: expect.anything() }));
    expect(out.lines[1]).toMatchObject({ correlationId: 'corr-2' });
    expect(out.lines[2]).toEqual(expect.not.objectContaining({ span_id: expect.anything() }));
  });
});
