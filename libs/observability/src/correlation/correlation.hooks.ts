import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientAddress, CORRELATION_ID_HEADER, correlationStorage, isSaneCorrelationId, type CorrelationContext } from './correlation-context';

const CONTEXT = Symbol('correlationContext');
type WithContext = FastifyRequest & { [CONTEXT]?: CorrelationContext };

/**
 * Every request runs with a correlation id (the caller's, if sane, else a new one), echoed in the response.
 * The id is entered in `onRequest`, but a body is read from socket events that run outside it, so the
 * context is kept on the request and entered again in `preValidation`, where guards and the handler start.
 * Only then: a request without a body reaches `preValidation` still inside it, and an AsyncResource per
 * request (the async_hooks init callbacks it fires) would cost every request for the few that need it.
 */
export function installCorrelationHooks(fastify: FastifyInstance): void {
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
    };
    req[CONTEXT] = context;
    correlationStorage.run(context, done);
  });
  fastify.addHook('preValidation', (req: WithContext, _reply, done) => {
    const context = req[CONTEXT];
    if (!context || correlationStorage.getStore() === context) done();
    else correlationStorage.run(context, done);
  });
}
