// Module and options
export * from './api-conventions.module';
export { type ApiConventionsOptions, API_CONVENTIONS_OPTIONS, MIN_JWT_SECRET_LENGTH } from './api-conventions.options';

// Problem details (RFC 9457)
export * from './problem/problem-details.types';
export * from './problem/problem-code.enum';
export * from './problem/problem.exception';
export * from './problem/problem-details.dto';
export { ProblemDetailsFilter } from './problem/problem-details.filter';
export { exceptionToProblem, RETRY_AFTER_UNAVAILABLE, unavailableProblem } from './problem/exception-to-problem.util';

// Validation
export { createValidationPipe, MAX_FIELD_ERRORS, nulFields } from './validation/validation.pipe';
export { decimalPlaces, MaxDecimalPlaces } from './validation/max-decimal-places.decorator';
export { flattenValidationErrors } from './validation/flatten-validation-errors.util';
export { uuidParam } from './validation/uuid-param.pipe';

// Pagination
export * from './pagination/page-query.dto';
export * from './pagination/page.types';
export { encodeCursor, decodeCursor, invalidCursorProblem, type CursorValue } from './pagination/cursor-codec.util';
export { paginate, type PaginateOptions, type SortDirection } from './pagination/keyset-paginate.util';
export { ApiPageResponse } from './pagination/api-page-response.decorator';

// Sorting and text search of lists
export { SortQuery, sortValues, sortBy, type SortColumns } from './pagination/sort-query';
export { SearchQuery } from './validation/search-query.decorator';

// Streamed CSV export of any list (Accept: text/csv)
export {
  CsvExportInterceptor,
  CSV_CONTENT_TYPE,
  DEFAULT_CSV_EXPORT_MAX_ROWS,
  EXPORT_ROW_LIMIT_HEADER,
  EXPORT_TRUNCATED_TRAILER,
} from './export/csv-export.interceptor';
export { documentCsvExports, CSV_EXPORT_DESCRIPTION } from './export/csv-export.openapi';

// Auth
export * from './auth/role.enum';
export type { AuthUser } from './auth/auth-user.types';
export { JwtAuthGuard } from './auth/jwt-auth.guard';
export { TokenVerifier } from './auth/token-verifier';
export { type OidcOptions, OIDC_ALGORITHMS, oidcOptionsFromEnv } from './auth/oidc.options';
export { type ClaimMapping, claimAt, authUserFromProviderClaims, parseRoleMap } from './auth/claim-mapping';
export { RolesGuard } from './auth/roles.guard';
export { Public } from './auth/public.decorator';
export { Roles } from './auth/roles.decorator';
export { CurrentUser } from './auth/current-user.decorator';
export { accessScope, restrictToScope, type AccessScope } from './auth/access-scope.util';

// Idempotency
export { Idempotent } from './idempotency/idempotent.decorator';
export { IdempotencyInterceptor, IDEMPOTENT_REPLAYED_HEADER } from './idempotency/idempotency.interceptor';
export { IdempotencyKeyEntity } from './idempotency/idempotency-key.entity';
export { CreateIdempotencyKeys1764201600001 } from './idempotency/create-idempotency-keys.migration';
export { IdempotencyKeyPurge, purgeExpiredIdempotencyKeys } from './idempotency/idempotency-key-purge';

// Optimistic concurrency
export { etagFor, parseIfMatch, assertVersion } from './concurrency/etag.util';
export { IfMatch } from './concurrency/if-match.decorator';
export { installEtagHook } from './concurrency/etag.hooks';

// Limits: body size, client errors, per-client rate limiting
export { createHttpAdapter, answerClientError, parseByteSize, DEFAULT_JSON_BODY_LIMIT, type HttpLimitsOptions } from './limits/http-limits';
export { ClientThrottlerGuard, RateLimitGuard, DEFAULT_RATE_LIMIT, rateLimitFromEnv, throttlerOptionsFor, type RateLimitOptions } from './limits/rate-limit';

// Signed inbound webhooks (web forms, ERP)
export { signWebhook, verifyWebhookSignature, WEBHOOK_TOLERANCE_SECONDS, type WebhookSignatureInput } from './webhooks/webhook-signature';
export { SignedWebhookGuard, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from './webhooks/signed-webhook.guard';
export { claimWebhookEvent, CreateWebhookReceipts1764460800000 } from './webhooks/webhook-receipts';
export * from './history/history-import.view';
export * from './request-header.decorator';

// Handing records over to another rep (ADR 0022)
export * from './hand-over/hand-over.dto';
// The OpenAPI contract rules (operation ids, problem responses, public routes, examples, tags)
export { applyApiContract, type ApiContractOptions } from './openapi/api-contract';
export { collectRouteFacts, ApiOmitProblems, type RouteFacts } from './openapi/route-facts';
export { deriveOperationId, summaryOf, type OperationShape } from './openapi/operation-names';
export { PROBLEM_SCHEMA } from './openapi/problem-responses';
export { nullableId, nullableText, nullableTime } from './openapi/nullable-properties';

// A person's data export (ADR 0024): the query, its exactly-one subject and the answer's subject
export { PersonalDataQuery, PersonalDataSubjectView } from './personal-data/personal-data.dto';
export { exportSubject, type PersonalDataSubject } from './personal-data/export-subject';
