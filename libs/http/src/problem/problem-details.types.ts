/** One invalid input, addressed by its path in the request (`lines[0].quantity`, `cursor`, `Idempotency-Key`). */
export interface FieldError {
  field: string;
  message: string;
  /** class-validator constraint name (`min`, `isInt`, `whitelistValidation` for an unknown field) or our own. */
  constraint: string;
}

/** RFC 9457 problem details, plus the members every CRM service adds. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code?: string;
  errors?: FieldError[];
  correlationId?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
