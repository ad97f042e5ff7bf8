import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Inject, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Observable, throwError } from 'rxjs';
import { CORRELATION_ID_HEADER, isSaneCorrelationId } from '@crm/observability';
import { API_CONVENTIONS_OPTIONS, type ApiConventionsOptions } from '../api-conventions.options';
import { exceptionToProblem, RETRY_AFTER_UNAVAILABLE, unavailableProblem } from './exception-to-problem.util';
import { PROBLEM_CONTENT_TYPE, ProblemDetails } from './problem-details.types';

/** Every HTTP error leaves a service as RFC 9457 application/problem+json, whatever threw it. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(API_CONVENTIONS_OPTIONS) private readonly options: ApiConventionsOptions,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    // Kafka handlers in a hybrid app keep their own error path (retry, DLQ): hand the error back.
    if (host.getType() !== 'http') return throwError(() => exception);

    const http = host.switchToHttp();
    const req = http.getRequest<HttpRequestLike>();
    const res = http.getResponse();
    const adapter = this.adapterHost.httpAdapter;
    const unavailable = this.options.isUnavailable?.(exception) === true;
    const { problem, unexpected } = unavailable ? { problem: unavailableProblem(), unexpected: false } : exceptionToProblem(exception);
    const correlationId = readCorrelationId(req, adapter.getHeader(res, CORRELATION_ID_HEADER));

    if (unexpected) {
      const stack = exception instanceof Error ? exception.stack : String(exception);
      this.logger.error(`${req.method} ${pathOf(req)} failed [correlationId=${correlationId ?? '-'}]`, stack);
    }
    if (adapter.isHeadersSent(res)) {
      // Too late for a problem body: cut the response so the client sees a failure, not a truncated success.
      adapter.end(res);
      return;
    }
    const body: ProblemDetails = { ...problem, instance: pathOf(req), ...(correlationId && { correlationId }) };
    if (problem.status === HttpStatus.UNAUTHORIZED) adapter.setHeader(res, 'WWW-Authenticate', 'Bearer');
    // Any 503 (a stalled database, an identity provider that cannot be reached) is worth a retry.
    if (unavailable || problem.status === HttpStatus.SERVICE_UNAVAILABLE) adapter.setHeader(res, 'Retry-After', RETRY_AFTER_UNAVAILABLE);
    adapter.setHeader(res, 'Content-Type', PROBLEM_CONTENT_TYPE);
    adapter.reply(res, body, problem.status);
  }
}

interface HttpRequestLike {
  method?: string;
  originalUrl?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}

// The query string stays out: it may carry a cursor or a filter value that is nobody's business in a log.
function pathOf(req: HttpRequestLike): string {
  return (req.originalUrl ?? req.url ?? '').split('?')[0];
}

function readCorrelationId(req: HttpRequestLike, fromResponse: unknown): string | undefined {
  const candidate = typeof fromResponse === 'string' ? fromResponse : req.headers[CORRELATION_ID_HEADER];
  const value = Array.isArray(candidate) ? candidate[0] : candidate;
  return isSaneCorrelationId(value) ? value : undefined;
}
