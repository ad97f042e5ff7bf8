/**
 * The codes this library answers with. Services add their own (e.g. `ILLEGAL_TRANSITION`) as plain strings:
 * a client branches on `code`, never on `detail`.
 */
export enum HttpProblemCode {
  ValidationFailed = 'VALIDATION_FAILED',
  InvalidCursor = 'INVALID_CURSOR',
  Unauthenticated = 'UNAUTHENTICATED',
  /** A provider's token could not be checked: its keys could not be fetched (503, Retry-After). */
  IdentityProviderUnavailable = 'IDENTITY_PROVIDER_UNAVAILABLE',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  UniqueViolation = 'UNIQUE_VIOLATION',
  PreconditionRequired = 'PRECONDITION_REQUIRED',
  PreconditionFailed = 'PRECONDITION_FAILED',
  InvalidIfMatch = 'INVALID_IF_MATCH',
  InvalidIdempotencyKey = 'INVALID_IDEMPOTENCY_KEY',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  IdempotencyKeyInFlight = 'IDEMPOTENCY_KEY_IN_FLIGHT',
  Internal = 'INTERNAL',
}
