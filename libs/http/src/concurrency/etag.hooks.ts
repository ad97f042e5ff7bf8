import type { FastifyInstance } from 'fastify';
import { etagFor } from './etag.util';

/**
 * Sends `ETag` for any single resource a route returns (an object with an integer `version`), so the client
 * has what If-Match needs. A Fastify hook on the object before it is serialised, rather than a Nest
 * interceptor: no Observable per request.
 */
export function installEtagHook(fastify: FastifyInstance): void {
  fastify.addHook('preSerialization', (_req, reply, payload: unknown, done) => {
    const version = (payload as { version?: unknown } | null | undefined)?.version;
    if (typeof version === 'number' && Number.isInteger(version) && !reply.hasHeader('etag')) reply.header('ETag', etagFor(version));
    done(null, payload);
  });
}
