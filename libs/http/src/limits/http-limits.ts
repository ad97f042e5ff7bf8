import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** JSON bodies above this are refused with 413 before they are parsed (CSV imports stream and have their own cap). */
export const DEFAULT_JSON_BODY_LIMIT = '1mb';

export interface HttpLimitsOptions {
  /** bytes-style size (`1mb`, `512kb`); HTTP_JSON_BODY_LIMIT. */
  jsonBodyLimit?: string;
}

/**
 * The edge limits of every service, set before `app.init()`: the JSON body size, and a problem+json answer
 * for what Node's HTTP parser refuses before Nest ever sees it (oversized headers or URL → 431, malformed
 * request line or header → 400) instead of a bare status line.
 */
export function applyHttpLimits(app: INestApplication, options: HttpLimitsOptions = {}): void {
  const limit = options.jsonBodyLimit ?? process.env.HTTP_JSON_BODY_LIMIT ?? DEFAULT_JSON_BODY_LIMIT;
  (app as INestApplication & { useBodyParser(type: string, options: object): unknown }).useBodyParser('json', { limit });
  const server = app.getHttpServer() as Server;
  server.on('clientError', answerClientError);
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
