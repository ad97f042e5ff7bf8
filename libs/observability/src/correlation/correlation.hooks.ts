import { randomUUID } from 'node:crypto';
import { AsyncResource } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientAddress, CORRELATION_ID_HEADER, isSaneCorrelationId, runWithRequest } from './correlation-context';

const CONTEXT = Symbol('correlationContext');
type WithContext = FastifyRequest & { [CONTEXT]?: AsyncResource };

/**
 * Every request runs with a correlation id (the caller's, if sane, else a new one), echoed in the response.
 * The id is entered in `onRequest`, but a body is read from socket events that run outside it, so the
 * context is captured as an AsyncResource and re-entered in `preValidation`, where guards and the handler start.
 */
export function installCorrelationHooks(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (req: WithContext, reply, done) => {
    const incoming = req.headers[CORRELATION_ID_HEADER];
    // An unusable id is replaced rather than rejected: tracing must never fail a request.
    const correlationId = isSaneCorrelationId(incoming) ? incoming : randomUUID();
    reply.header(CORRELATION_ID_HEADER, correlationId);
    const agent = req.headers['user-agent'];
    const client = { clientIp: clientAddress(req.socket?.remoteAddress, req.headers['x-forwarded-for']), userAgent: agent?.slice(0, 512) };
    runWithRequest(correlationId, client, () => {
      req[CONTEXT] = new AsyncResource('crm.correlation');
      done();
    });
  });
  fastify.addHook('preValidation', (req: WithContext, _reply, done) => {
    const context = req[CONTEXT];
    if (context) context.runInAsyncScope(done);
    else done();
  });
}
