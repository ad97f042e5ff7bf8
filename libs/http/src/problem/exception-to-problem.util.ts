import { HttpException, HttpStatus } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainError, type DomainErrorKind } from '@crm/domain';
import { HttpProblemCode } from './problem-code.enum';
import { ProblemDetails } from './problem-details.types';
import { ProblemException, problemTypeFor, statusTitle } from './problem.exception';

export type ProblemBody = Omit<ProblemDetails, 'instance' | 'correlationId'>;

/** A problem, and whether the cause is ours (log it with its stack) rather than the client's. */
export interface MappedProblem {
  problem: ProblemBody;
  unexpected: boolean;
}

const PG_UNIQUE_VIOLATION = '23505';
// Text the database cannot store (a NUL, an invalid byte sequence) is the client's input, not our failure.
const PG_UNSTORABLE_TEXT = new Set(['22021', '22P05']);

const DOMAIN_STATUS: Record<DomainErrorKind, HttpStatus> = {
  invalid: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  forbidden: HttpStatus.FORBIDDEN,
  stale: HttpStatus.PRECONDITION_FAILED,
};

/** The HTTP edge's one translation of a domain refusal. */
export function domainErrorToProblem(error: DomainError): ProblemBody {
  const status = DOMAIN_STATUS[error.kind];
  const errors = error.fields?.map(({ field, message, constraint }) => ({ field, message, constraint: constraint ?? 'domain' }));
  // Extensions come first so they can never replace a standard member.
  return { ...error.extensions, type: problemTypeFor(error.code), title: statusTitle(status), status, detail: error.detail, code: error.code, errors };
}

export function exceptionToProblem(exception: unknown): MappedProblem {
  if (exception instanceof DomainError) return { problem: domainErrorToProblem(exception), unexpected: false };
  if (exception instanceof ProblemException) {
    const { code, title, detail, errors } = exception;
    const status = exception.getStatus();
    return { problem: { type: problemTypeFor(code), title, status, detail, code, errors }, unexpected: false };
  }
  if (exception instanceof HttpException) {
    return { problem: plain(exception.getStatus(), detailOf(exception)), unexpected: exception.getStatus() >= 500 };
  }
  if (exception instanceof QueryFailedError && pgCode(exception) === PG_UNIQUE_VIOLATION) {
    // The constraint and the duplicate value stay in the log: echoing them would disclose other records.
    return {
      problem: {
        type: problemTypeFor(HttpProblemCode.UniqueViolation),
        title: statusTitle(HttpStatus.CONFLICT),
        status: HttpStatus.CONFLICT,
        detail: 'A resource with the same unique values already exists.',
        code: HttpProblemCode.UniqueViolation,
      },
      unexpected: false,
    };
  }
  if (exception instanceof QueryFailedError && PG_UNSTORABLE_TEXT.has(pgCode(exception) ?? '')) {
    return {
      problem: {
        type: problemTypeFor(HttpProblemCode.ValidationFailed),
        title: statusTitle(HttpStatus.BAD_REQUEST),
        status: HttpStatus.BAD_REQUEST,
        detail: 'The request contains characters that cannot be stored (such as NUL).',
        code: HttpProblemCode.ValidationFailed,
      },
      unexpected: false,
    };
  }
  const clientError = exposedClientError(exception);
  if (clientError) return { problem: plain(clientError.status, clientError.message), unexpected: false };
  return {
    problem: {
      type: 'about:blank',
      title: statusTitle(500),
      status: 500,
      detail: 'An unexpected error occurred.',
      code: HttpProblemCode.Internal,
    },
    unexpected: true,
  };
}

/** A dependency (the database) is not answering: the client should retry after RETRY_AFTER_UNAVAILABLE seconds. */
export const RETRY_AFTER_UNAVAILABLE = '5';
export function unavailableProblem(): ProblemBody {
  return plain(HttpStatus.SERVICE_UNAVAILABLE, 'The database is not answering; retry later.');
}

function plain(status: number, detail: string): ProblemBody {
  return { type: 'about:blank', title: statusTitle(status), status, detail, code: HttpStatus[status] ?? `HTTP_${status}` };
}

function detailOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : statusTitle(exception.getStatus());
}

function pgCode(error: QueryFailedError): string | undefined {
  return (error.driverError as { code?: string } | undefined)?.code;
}

/**
 * Errors raised before Nest's pipeline: Fastify's (`FST_*` codes: malformed JSON, body too large, unsupported
 * media type, over-long URL parameter) and http-errors ones (`expose`).
 */
function exposedClientError(exception: unknown): { status: number; message: string } | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { status, statusCode, expose, message, code: errorCode } = exception as Record<string, unknown>;
  const code = typeof status === 'number' ? status : statusCode;
  const clientFacing = expose === true || (typeof errorCode === 'string' && errorCode.startsWith('FST_'));
  if (!clientFacing || typeof code !== 'number' || code < 400 || code > 499) return undefined;
  return { status: code, message: typeof message === 'string' ? message : statusTitle(code) };
}
