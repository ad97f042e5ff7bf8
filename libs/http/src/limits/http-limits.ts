import { FastifyAdapter } from '@nestjs/platform-fastify';
import { exceptionToProblem } from '../problem/exception-to-problem.util';
import { PROBLEM_CONTENT_TYPE } from '../problem/problem-details.types';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Duplex } from 'node:stream';

/** JSON bodies above this are refused with 413 before they are parsed (CSV imports stream and have their own cap). */
export const DEFAULT_JSON_BODY_LIMIT = '1mb';

export interface HttpLimitsOptions {
  /** bytes-style size (`1mb`, `512kb`, `1048576`); HTTP_JSON_BODY_LIMIT. */
  jsonBodyLimit?: string;
}

/**
 * The HTTP server of every service: Fastify (Express costs 4-5x more per request here, see docs/decisions/0008),
 * with the edge limits set before Nest sees a request: the JSON body size (413), a problem+json answer for what
 * Node's HTTP parser refuses (oversized headers or URL → 431, a malformed request line or header → 400) instead
 * of a bare status line, and `text/csv` passed to the handler as a stream (lead imports parse it row by row).
 */
export function createHttpAdapter(options: HttpLimitsOptions = {}): FastifyAdapter {
  const limit = options.jsonBodyLimit ?? process.env.HTTP_JSON_BODY_LIMIT ?? DEFAULT_JSON_BODY_LIMIT;
  const adapter = new FastifyAdapter({
    bodyLimit: parseByteSize(limit),
    clientErrorHandler: answerClientError,
    // What the router refuses before any hook or Nest code runs (a malformed URL, a path parameter over 100
    // characters → 414) is problem+json like every other error.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      void reply
        .code(error.statusCode ?? 400)
        .type(PROBLEM_CONTENT_TYPE)
        .send(exceptionToProblem(error).problem);
    },
  });
  const fastify = adapter.getInstance();
  fastify.addContentTypeParser('text/csv', (_req, payload, done) => done(null, payload));
  // JSON with the raw bytes kept (signed webhooks verify them). An empty body with a JSON content type, as
  // many clients send on action routes (`POST …/submit`), is an empty object as it was under Express, not a 400.
  // Fastify's default JSON parser is the callback form (answers through done); its type is the union of both forms.
  const json = fastify.getDefaultJsonParser('error', 'error') as (
    req: FastifyRequest,
    body: string,
    done: (err: Error | null, value?: unknown) => void,
  ) => void;
  adapter.useBodyParser(
    'application/json',
    true,
    { bodyLimit: parseByteSize(limit) },
    (req: FastifyRequest, body: Buffer, done: (err: Error | null, value?: unknown) => void) => {
      if (body.length === 0) done(null, {});
      else json(req, body.toString('utf8'), done);
    },
  );
  return adapter;
}

export function parseByteSize(value: string): number {
  const match = /^\s*(\d+)\s*(b|kb|mb)?\s*$/i.exec(value);
  if (!match) throw new Error(`HTTP_JSON_BODY_LIMIT must be a size like 1mb, 512kb or 1048576, got "${value}"`);
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
  return Number(match[1]) * unit;
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'The request line or headers are too large.'],
};

export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, title, detail] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Bad Request', 'The request is not valid HTTP.'];
  const body = JSON.stringify({ type: 'about:blank', title, status, detail, code: status === 431 ? 'HEADERS_TOO_LARGE' : 'BAD_REQUEST' });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
