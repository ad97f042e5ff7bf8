import { PROBLEM_CONTENT_TYPE } from '../problem/problem-details.types';
import { problemTypeFor, statusTitle } from '../problem/problem.exception';

/**
 * The error answers of every operation, derived from what the route is (secured or public, with an id, a
 * body, an If-Match or an Idempotency-Key header) rather than written by hand per route. Shared ones are
 * `#/components/responses/<Name>`; the 403 (naming the roles) and 409 (naming the causes) are per operation.
 */

export const PROBLEM_SCHEMA = 'Problem';
export interface ProblemResponse {
  description: string;
  headers?: Record<string, { description: string; schema: Record<string, unknown> }>;
  content: Record<string, { schema: { $ref: string }; example?: unknown }>;
}
type Response = ProblemResponse | { $ref: string };

const problemRef = { $ref: `#/components/schemas/${PROBLEM_SCHEMA}` };
const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', example: 5 } } };

function example(status: number, code: string, detail: string, extra: Record<string, unknown> = {}) {
  return {
    type: problemTypeFor(code),
    title: statusTitle(status),
    status,
    detail,
    code,
    ...extra,
    correlationId: '5f0c7f0e-4a57-4c4b-9d1d-2a4f0c1b9e77',
  };
}

/** A problem+json response with the problem schema. */
export function problemResponse(description: string, sample?: Record<string, unknown>, headers?: ProblemResponse['headers']): ProblemResponse {
  return {
    description,
    ...(headers && { headers }),
    content: { [PROBLEM_CONTENT_TYPE]: { schema: problemRef, ...(sample && { example: sample }) } },
  };
}

export const SHARED_PROBLEMS = {
  BadRequest: problemResponse(
    'Invalid input, nothing stored: `errors[]` names each bad field (VALIDATION_FAILED); also a malformed body, id or header, or a cursor of another sort (INVALID_CURSOR)',
    example(400, 'VALIDATION_FAILED', 'The request has 1 invalid field.', {
      errors: [{ field: 'email', message: 'email must be an email', constraint: 'isEmail' }],
    }),
  ),
  Unauthorized: problemResponse(
    'No valid bearer token: missing, expired or wrongly signed (UNAUTHENTICATED)',
    example(401, 'UNAUTHENTICATED', 'The token has expired.'),
    { 'WWW-Authenticate': { description: '`Bearer`', schema: { type: 'string', example: 'Bearer' } } },
  ),
  NotFound: problemResponse(
    "No such record, or it is outside the caller's access scope (NOT_FOUND)",
    example(404, 'NOT_FOUND', 'Lead 0b7e8c52-3b8f-4b8e-9a57-0c1d2e3f4a5b was not found.'),
  ),
  IdempotencyKeyReused: problemResponse(
    'This Idempotency-Key was already used with another body (IDEMPOTENCY_KEY_REUSED)',
    example(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body.'),
  ),
  PreconditionFailed: problemResponse(
    'If-Match names a version that is no longer current (PRECONDITION_FAILED): read the record again',
    example(412, 'PRECONDITION_FAILED', 'The resource has changed (it is at ETag "4", the request expected "3"); read it again and retry.'),
  ),
  PreconditionRequired: problemResponse(
    'If-Match is missing (PRECONDITION_REQUIRED)',
    example(428, 'PRECONDITION_REQUIRED', 'Send If-Match with the ETag you last read, so that a concurrent change is not overwritten.'),
  ),
  PayloadTooLarge: problemResponse(
    'The body is larger than the limit (HTTP_JSON_BODY_LIMIT, 1 MiB by default)',
    example(413, 'PAYLOAD_TOO_LARGE', 'Request body is too large'),
  ),
  UnsupportedMediaType: problemResponse(
    "The body's Content-Type is not one this operation accepts",
    example(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported Media Type: application/xml'),
  ),
  TooManyRequests: problemResponse(
    'Too many requests from this client (RATE_LIMITED); retry after `Retry-After` seconds',
    example(429, 'RATE_LIMITED', 'Too many requests: at most 6000 per 60 s. Retry after 12 s.'),
    retryAfter,
  ),
  ServiceUnavailable: problemResponse(
    'The database is not answering; retry after `Retry-After` seconds',
    example(503, 'SERVICE_UNAVAILABLE', 'The database is not answering; retry later.'),
    retryAfter,
  ),
} satisfies Record<string, ProblemResponse>;

type SharedProblem = keyof typeof SHARED_PROBLEMS;
const ref = (name: SharedProblem): Response => ({ $ref: `#/components/responses/${name}` });

/** What the rules look at in one operation. */
export interface ProblemFacts {
  method: string;
  public: boolean;
  roles: string[];
  hasPathId: boolean;
  hasInput: boolean;
  hasBody: boolean;
  ifMatch: 'required' | 'optional' | undefined;
  idempotent: boolean;
  /** An API route, not an operator's (health, metrics, docs): rate limited, and waits on the database. */
  apiRoute: boolean;
}

/** The error responses an operation can answer, by status. */
export function derivedProblems(facts: ProblemFacts): Record<string, Response> {
  const out: Record<string, Response> = {};
  const writes = facts.method !== 'get';
  if (facts.hasInput) out['400'] = ref('BadRequest');
  if (!facts.public) {
    out['401'] = ref('Unauthorized');
    const who = facts.roles.length ? `Not one of the roles ${facts.roles.join(', ')}` : 'Closed: the route names no role';
    out['403'] = problemResponse(`${who} (FORBIDDEN)`, example(403, 'FORBIDDEN', `This action needs one of the roles: ${facts.roles.join(', ')}.`));
  }
  // A create-or-replace PUT names its own id: there is nothing to be missing.
  if (facts.hasPathId && facts.method !== 'put') out['404'] = ref('NotFound');
  const conflicts = [
    writes && facts.hasPathId && "the record's state does not allow this (the `code` says why, e.g. ILLEGAL_TRANSITION)",
    facts.idempotent && 'a request with the same Idempotency-Key is still running (IDEMPOTENCY_KEY_IN_FLIGHT)',
  ].filter((c): c is string => typeof c === 'string');
  if (conflicts.length) out['409'] = problemResponse(`Conflict: ${conflicts.join('; or ')}`);
  if (facts.ifMatch) out['412'] = ref('PreconditionFailed');
  if (facts.hasBody) {
    out['413'] = ref('PayloadTooLarge');
    out['415'] = ref('UnsupportedMediaType');
  }
  if (facts.idempotent) out['422'] = ref('IdempotencyKeyReused');
  if (facts.ifMatch === 'required') out['428'] = ref('PreconditionRequired');
  if (facts.apiRoute) {
    out['429'] = ref('TooManyRequests');
    out['503'] = ref('ServiceUnavailable');
  }
  return out;
}
