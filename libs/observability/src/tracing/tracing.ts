import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  isSpanContextValid,
  ROOT_CONTEXT,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanKind,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** The W3C trace context as it travels: in an HTTP header, a Kafka header or an event envelope. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/**
 * The service's tracer, or none. No context manager is registered: the span being worked in rides in the
 * correlation context (one AsyncLocalStorage per request, as before), and every span names its parent.
 */
let tracer: Tracer | undefined;
let provider: BasicTracerProvider | undefined;
const propagator = new W3CTraceContextPropagator();

/** Whether the environment asks for traces: an OTLP endpoint for all signals or for traces alone. */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim());
}

/**
 * Starts the SDK when an OTLP endpoint is set, and does nothing (no SDK, no exporter) otherwise. The exporter,
 * the batch processor (OTEL_BSP_*) and the sampler (OTEL_TRACES_SAMPLER/_ARG, parent-based by default) read
 * their standard variables themselves; OTEL_SERVICE_NAME defaults to the service's name. `processor` replaces the
 * OTLP export (tests keep spans in memory).
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env, processor?: SpanProcessor): boolean {
  if (tracer || !tracingEnabled(env)) return Boolean(tracer);
  provider = new BasicTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME?.trim() || serviceName })),
    spanProcessors: [processor ?? new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  tracer = provider.getTracer('crm');
  return true;
}

/** Exports what is buffered and stops the SDK; a no-op when tracing is off. */
export async function stopTracing(): Promise<void> {
  const stopping = provider;
  tracer = provider = undefined;
  await stopping?.shutdown();
}

/** The tracer when tracing is on: callers skip all span work when it is undefined. */
export function activeTracer(): Tracer | undefined {
  return tracer;
}

/**
 * The context a carrier names as parent, or the root when it names none or nonsense: a malformed traceparent
 * (any caller may send one) starts a new trace, it never fails the request or the event.
 */
export function parentContext(carrier: TraceCarrier | undefined): Context {
  if (!carrier || typeof carrier.traceparent !== 'string') return ROOT_CONTEXT;
  try {
    const extracted = propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
    const spanContext = trace.getSpanContext(extracted);
    return spanContext && isSpanContextValid(spanContext) ? extracted : ROOT_CONTEXT;
  } catch {
    return ROOT_CONTEXT;
  }
}

/** Starts a span under the carrier's context (a new root without one). */
export function startSpan(t: Tracer, name: string, kind: SpanKind, parent: TraceCarrier | Context | undefined, attributes: Attributes): Span {
  const context = parent && 'getValue' in parent ? (parent as Context) : parentContext(parent as TraceCarrier | undefined);
  return t.startSpan(name, { kind, attributes }, context);
}

/** The W3C headers that make `span` the parent of whatever receives them. */
export function traceCarrierOf(span: Span): TraceCarrier {
  const carrier: TraceCarrier = {};
  propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
  return carrier;
}
