import { HttpStatus } from '@nestjs/common';
import { HttpProblemCode } from '../problem/problem-code.enum';
import { ProblemException } from '../problem/problem.exception';

/** A strong ETag for an entity version: If-Match compares strongly (RFC 9110 §13.1.1). */
export function etagFor(version: number): string {
  return `"${version}"`;
}

const STRONG_VERSION_TAG = /^"(\d{1,15})"$/;

/** The version an If-Match header asks for. Missing → 428, anything but one strong `"<n>"` tag → 400. */
export function parseIfMatch(header: string | string[] | undefined): number {
  if (header === undefined || header === '') {
    throw new ProblemException({
      status: HttpStatus.PRECONDITION_REQUIRED,
      code: HttpProblemCode.PreconditionRequired,
      detail: 'Send If-Match with the ETag you last read, so that a concurrent change is not overwritten.',
    });
  }
  const match = typeof header === 'string' ? STRONG_VERSION_TAG.exec(header.trim()) : null;
  if (!match) {
    throw new ProblemException({
      status: HttpStatus.BAD_REQUEST,
      code: HttpProblemCode.InvalidIfMatch,
      detail: 'If-Match must be one strong ETag as returned by this API, e.g. "3".',
      errors: [{ field: 'If-Match', message: 'If-Match must be a single strong ETag like "3"', constraint: 'isETag' }],
    });
  }
  return Number(match[1]);
}

/** 412 when the client edited a version that is no longer current. */
export function assertVersion(current: number, expected: number): void {
  if (current === expected) return;
  throw new ProblemException({
    status: HttpStatus.PRECONDITION_FAILED,
    code: HttpProblemCode.PreconditionFailed,
    detail: `The resource has changed (it is at ETag ${etagFor(current)}, the request expected ${etagFor(expected)}); read it again and retry.`,
  });
}
