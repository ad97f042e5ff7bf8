export {
  clientAddress,
  CORRELATION_ID_HEADER,
  currentRequest,
  runWithRequest,
  setCurrentUser,
  correlationStorage,
  currentCausationId,
  currentCorrelationId,
  currentSpan,
  isSaneCorrelationId,
  runWithCorrelation,
  type CorrelationContext,
} from './correlation/correlation-context';
export { createJsonLogger, JsonLogger, type JsonLoggerOptions } from './logging/json-logger.service';
export { MetricsRegistry } from './metrics/metrics.registry';
export { DATABASE_CHECK_NAME, ReadinessRegistry, type ReadinessCheck } from './health/readiness.registry';
export { ObservabilityModule } from './observability.module';
export { DEFAULT_READINESS_TIMEOUT_MS, type ObservabilityOptions } from './observability.options';
export { PUBLIC_ROUTE_KEY, PublicRoute } from './public-route.decorator';
export { activeTracer, parentContext, startSpan, startTracing, stopTracing, traceCarrierOf, tracingEnabled, type TraceCarrier } from './tracing/tracing';
