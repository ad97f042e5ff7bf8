import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { FieldError } from './problem-details.types';

/**
 * Problem types are URNs rather than URLs: nothing is published to dereference, and RFC 9457 lets a
 * client treat the type as an identifier. `about:blank` is kept for problems that say no more than their status.
 */
export const PROBLEM_TYPE_PREFIX = 'urn:crm:problem:';

export function problemTypeFor(code: string): string {
  return PROBLEM_TYPE_PREFIX + code.toLowerCase().replace(/_/g, '-');
}

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

export interface ProblemInit {
  status: number;
  code: string;
  detail: string;
  /** Defaults to the status phrase, so one `code` keeps one title. */
  title?: string;
  errors?: FieldError[];
}

/** What services throw for domain errors (409 illegal transition, 412 stale version …); the filter renders it. */
export class ProblemException extends HttpException {
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly errors?: FieldError[];

  constructor(init: ProblemInit) {
    super(init.detail, init.status);
    this.code = init.code;
    this.title = init.title ?? statusTitle(init.status);
    this.detail = init.detail;
    this.errors = init.errors;
  }

  /** Keeps a non-HTTP caller (a test, a Kafka consumer logging it) from seeing a bare string. */
  override getResponse(): Record<string, unknown> {
    return { status: this.getStatus(), code: this.code, title: this.title, detail: this.detail, errors: this.errors };
  }
}
