import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import Fastify, { type FastifyInstance } from 'fastify';
import { currentSpan } from '../correlation/correlation-context';
import { installCorrelationHooks } from '../correlation/correlation.hooks';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const callerSpan = '00f067aa0ba902b7';

// Over a real socket on 127.0.0.1: Fastify's inject loads an ESM-only module Jest cannot require on Node 20.
async function call(app: FastifyInstance, method: string, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`http://127.0.0.1:${(app.server.address() as { port: number }).port}${path}`, { method, headers });
  return { statusCode: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('HTTP server spans', () => {
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test');
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify();
    installCorrelationHooks(app, tracer);
    // The handler sees the request's span, as a service's code (its outbox appends, its logs) would.
    app.post('/api/v1/orders/:id/confirm', async () => ({ traceId: currentSpan()?.spanContext().traceId }));
    app.get('/boom', async (_req, reply) => reply.code(503).send({}));
    app.get('/health/live', async () => ({ status: 'ok' }));
    await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => app.close());
  beforeEach(() => exporter.reset());

  it("continues the caller's traceparent: one server span per request, named by its route, ended with the status", async () => {
    const res = await call(app, 'POST', '/api/v1/orders/o-1/confirm?q=secret', { traceparent: `00-${traceId}-${callerSpan}-01` });
    expect(res.body).toEqual({ traceId });
    const [span] = exporter.getFinishedSpans();
    expect(span).toMatchObject({
      name: 'POST /api/v1/orders/:id/confirm',
      kind: SpanKind.SERVER,
      parentSpanContext: expect.objectContaining({ spanId: callerSpan }),
    });
    expect(span.attributes).toEqual({
      'http.request.method': 'POST',
      'http.route': '/api/v1/orders/:id/confirm',
      'url.path': '/api/v1/orders/o-1/confirm',
      'http.response.status_code': 200,
    });
  });

  it.each(['garbage', `00-${'0'.repeat(32)}-${callerSpan}-01`, `00-${traceId}-${callerSpan}`])(
    'starts a new trace from the header %s, and serves the request',
    async (traceparent) => {
      const res = await call(app, 'POST', '/api/v1/orders/o-1/confirm', { traceparent, tracestate: '=,=' });
      expect(res.statusCode).toBe(200);
      expect(res.body.traceId).not.toBe(traceId);
      expect(exporter.getFinishedSpans()[0].parentSpanContext).toBeUndefined();
    },
  );

  it('traces no probe or scrape', async () => {
    await call(app, 'GET', '/health/live');
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('marks a 5xx response as an error', async () => {
    await call(app, 'GET', '/boom');
    expect(exporter.getFinishedSpans()[0].status.code).toBe(SpanStatusCode.ERROR);
  });

  it('without a tracer, the request has no span', async () => {
    const plain = Fastify();
    installCorrelationHooks(plain);
    plain.get('/x', async () => ({ traced: currentSpan() !== undefined }));
    await plain.listen({ host: '127.0.0.1', port: 0 });
    expect((await call(plain, 'GET', '/x', { traceparent: `00-${traceId}-${callerSpan}-01` })).body).toEqual({ traced: false });
    await plain.close();
  });
});
