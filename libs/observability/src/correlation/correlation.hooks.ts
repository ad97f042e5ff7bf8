import { randomUUID } from 'node:crypto';
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { startSpan } from '../tracing/tracing';
import { clientAddress, CORRELATION_ID_HEADER, correlationStorage, isSaneCorrelationId, type CorrelationContext } from './correlation-context';

const CONTEXT = Symbol('correlationContext');
// Probes and scrapes every few seconds per replica would bury the traces of real work.
const UNTRACED_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);
type WithContext = FastifyRequest & { [CONTEXT]?: CorrelationContext };

/**
 * Every request runs with a correlation id (the caller's, if sane, else a new one), echoed in the response.
 * The id is entered in `onRequest`, but a body is read from socket events that run outside it, so the
 * context is kept on the request and entered again in `preValidation`, where guards and the handler start.
 * Only then: a request without a body reaches `preValidation` still inside it, and an AsyncResource per
 * request (the async_hooks init callbacks it fires) would cost every request for the few that need it.
 *
 * With a tracer, the same context also carries the request's server span (continuing the caller's
 * `traceparent`), ended when the response is sent; without one, nothing here differs from no tracing at all.
 */
export function installCorrelationHooks(fastify: FastifyInstance, tracer?: Tracer): void {
  fastify.addHook('onRequest', (req: WithContext, reply, done) => {
    const incoming = req.headers[CORRELATION_ID_HEADER];
    // An unusable id is replaced rather than rejected: tracing must never fail a request.
    const correlationId = isSaneCorrelationId(incoming) ? incoming : randomUUID();
    reply.header(CORRELATION_ID_HEADER, correlationId);
    const agent = req.headers['user-agent'];
    const context: CorrelationContext = {
      correlationId,
      clientIp: clientAddress(req.socket?.remoteAddress, req.headers['x-forwarded-for']),
      userAgent: agent?.slice(0, 512),
      ...(tracer && !UNTRACED_ROUTES.has(req.routeOptions.url ?? '') && { span: serverSpan(tracer, req) }),
    };
    req[CONTEXT] = context;
    correlationStorage.run(context, done);
  });
  fastify.addHook('preValidation', (req: WithContext, _reply, done) => {
    const context = req[CONTEXT];
    if (!context || correlationStorage.getStore() === context) done();
    else correlationStorage.run(context, done);
  });
  if (!tracer) return;
  fastify.addHook('onResponse', (req: WithContext, reply, done) => {
    const span = req[CONTEXT]?.span;
    if (span) {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}

function serverSpan(tracer: Tracer, req: FastifyRequest) {
  const route = req.routeOptions.url;
  const traceparent = req.headers.traceparent;
  const tracestate = req.headers.tracestate;
  // The path without its query (search terms may be personal data); the route template names the span.
  const path = req.url.split('?', 1)[0];
  return startSpan(
    tracer,
    route ? `${req.method} ${route}` : req.method,
    SpanKind.SERVER,
    { traceparent: typeof traceparent === 'string' ? traceparent : undefined, tracestate: typeof tracestate === 'string' ? tracestate : undefined },
    { [ATTR_HTTP_REQUEST_METHOD]: req.method, [ATTR_URL_PATH]: path.slice(0, 512), ...(route && { [ATTR_HTTP_ROUTE]: route }) },
  );
}
