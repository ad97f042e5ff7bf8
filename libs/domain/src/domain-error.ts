/**
 * What a domain decision refuses, in words of the domain. Domain and service code throw only these; each
 * edge translates them once: the HTTP edge to problem+json (`libs/http`), the inbox edge to a dead letter
 * with the reason (`libs/messaging`), because a refusal decided from the event itself will not change on retry.
 */
export type DomainErrorKind =
  /** The command names something invalid (a field, a value): HTTP 400 with the fields. */
  | 'invalid'
  /** The aggregate does not exist or is not visible to the caller: HTTP 404. */
  | 'not_found'
  /** The command is valid but not now, in this state (an illegal transition, a duplicate): HTTP 409. */
  | 'conflict'
  /** The caller may see the aggregate but not do this to it: HTTP 403. */
  | 'forbidden'
  /** The caller decided on a version that is no longer current: HTTP 412. */
  | 'stale';

export interface DomainFieldIssue {
  /** The field as the caller sent it, e.g. `lines[2].discount`. */
  field: string;
  message: string;
  /** A machine-readable name for the rule, `domain` by default. */
  constraint?: string;
}

export interface DomainErrorInit {
  kind: DomainErrorKind;
  /** Stable, upper snake case; a client branches on it. Defaults per kind (VALIDATION_FAILED, NOT_FOUND …). */
  code?: string;
  detail: string;
  fields?: DomainFieldIssue[];
  /** Members the HTTP edge adds to the problem body, e.g. the records a duplicate check found. */
  extensions?: Record<string, unknown>;
}

export const DEFAULT_CODES: Record<DomainErrorKind, string> = {
  invalid: 'VALIDATION_FAILED',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  forbidden: 'FORBIDDEN',
  stale: 'PRECONDITION_FAILED',
};

export class DomainError extends Error {
  override name = 'DomainError';
  readonly kind: DomainErrorKind;
  readonly code: string;
  readonly detail: string;
  readonly fields?: DomainFieldIssue[];
  readonly extensions?: Record<string, unknown>;

  constructor(init: DomainErrorInit) {
    super(init.detail);
    this.kind = init.kind;
    this.code = init.code ?? DEFAULT_CODES[init.kind];
    this.detail = init.detail;
    this.fields = init.fields;
    this.extensions = init.extensions;
  }

  /** `No order 42.` */
  static notFound(what: string, id: string): DomainError {
    return new DomainError({ kind: 'not_found', detail: `No ${what} ${id}.` });
  }

  /** One invalid field of the command. */
  static invalidField(field: string, message: string): DomainError {
    return DomainError.invalidFields([{ field, message }]);
  }

  static invalidFields(fields: DomainFieldIssue[]): DomainError {
    return new DomainError({ kind: 'invalid', detail: 'The request has invalid fields.', fields });
  }

  /** One invalid input, worded as the request validation words it (`The request has 1 invalid field.`). */
  static invalidInput(field: string, constraint: string, message: string): DomainError {
    return new DomainError({ kind: 'invalid', detail: 'The request has 1 invalid field.', fields: [{ field, message, constraint }] });
  }

  static conflict(code: string, detail: string): DomainError {
    return new DomainError({ kind: 'conflict', code, detail });
  }

  /**
   * A change to a record whose personal data was erased (ADR 0024): 409 `ERASED_RECORD`, worded alike in every
   * service. It stays erased: a change would bring personal data back, or act on a person who asked to be forgotten.
   */
  static erased(what: string, id: string): DomainError {
    return new DomainError({ kind: 'conflict', code: 'ERASED_RECORD', detail: `The ${what} ${id} was erased; it can no longer be changed.` });
  }

  static forbidden(detail: string, code?: string): DomainError {
    return new DomainError({ kind: 'forbidden', code, detail });
  }

  /** A one-line reason for logs and dead letters: `CODE: detail (field: message; …)`. */
  get reason(): string {
    const fields = this.fields?.length ? ` (${this.fields.map((f) => `${f.field}: ${f.message}`).join('; ')})` : '';
    return `${this.code}: ${this.detail}${fields}`;
  }
}
