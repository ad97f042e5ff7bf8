// Errors as the API sends them (RFC 9457 application/problem+json, docs/architecture.md "API conventions"), turned
// into one Error a caller can branch on: status, the stable `code`, the detail and the field errors of bad input.

/** One invalid input field: `lines[0].quantity`, what is wrong, and the rule it broke (`min`). */
export interface FieldError {
  field: string;
  message: string;
  constraint?: string;
}

/** The body of every error answer. */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  /** Upper snake case, stable: `VALIDATION_FAILED`, `PRECONDITION_FAILED`, `ILLEGAL_TRANSITION` … */
  code?: string;
  errors?: FieldError[];
  correlationId?: string;
}

/** What openapi-fetch answers to every call. */
export interface ApiResult<T = unknown> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The request behind each answer, for error messages (the client records it; a Response knows no method). */
const sent = new WeakMap<Response, { method: string; url: string }>();
export const rememberRequest = (response: Response, request: Request) => sent.set(response, { method: request.method, url: request.url });

const isProblem = (body: unknown): body is ProblemDetails => typeof body === 'object' && body !== null && !Array.isArray(body);

/** An answer that is not a success (4xx, 5xx), with the problem the API sent. */
export class ApiProblem extends Error implements ProblemDetails {
  override readonly name = 'ApiProblem';
  readonly status: number;
  readonly code?: string;
  readonly title?: string;
  readonly detail?: string;
  readonly type?: string;
  readonly errors: FieldError[];
  readonly correlationId?: string;
  readonly method?: string;
  readonly url: string;

  constructor(
    readonly response: Response,
    /** The parsed body: the problem, or the text of an answer that was not JSON (a proxy's error page). */
    readonly body: unknown,
  ) {
    const problem: ProblemDetails = isProblem(body) ? body : {};
    const request = sent.get(response);
    const where = `${request ? `${request.method} ` : ''}${request?.url ?? response.url}`;
    const why = problem.detail ?? problem.title ?? (typeof body === 'string' && body ? body.slice(0, 200) : response.statusText);
    super(`${where} → ${response.status}${problem.code ? ` ${problem.code}` : ''}: ${why}`);
    this.status = response.status;
    this.code = problem.code;
    this.title = problem.title;
    this.detail = problem.detail;
    this.type = problem.type;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.correlationId = problem.correlationId;
    this.method = request?.method;
    this.url = request?.url ?? response.url;
  }

  /** The messages for one input field (`email`, `lines[0].quantity`), for a form to show beside it. */
  messagesFor(field: string): string[] {
    return this.errors.filter((e) => e.field === field).map((e) => e.message);
  }
}

/**
 * The data of a successful answer, or an `ApiProblem` thrown for any other:
 * `const lead = await unwrap(client.GET('/api/v1/leads/{id}', { params: { path: { id } } }))`.
 */
export async function unwrap<R extends ApiResult>(call: R | Promise<R>): Promise<Success<R>> {
  const result = await call;
  if (!result.response.ok) throw new ApiProblem(result.response, result.error);
  return result.data as Success<R>;
}

/** The data type of a call's successful answer. */
export type Success<R> = R extends { data: infer T; error?: never } ? T : never;
