import { CallHandler, ExecutionContext, HttpStatus, Inject, Injectable, Logger, NestInterceptor, Optional } from '@nestjs/common';
import { from, lastValueFrom, Observable, of } from 'rxjs';
import { runInSharedTransaction } from '@crm/persistence';
import { DataSource } from 'typeorm';
import { API_CONVENTIONS_OPTIONS, ApiConventionsOptions, DEFAULT_IN_FLIGHT_TIMEOUT_MS } from '../api-conventions.options';
import { AuthenticatedRequest } from '../auth/auth-user.types';
import { HttpProblemCode } from '../problem/problem-code.enum';
import { ProblemException } from '../problem/problem.exception';
import { IdempotencyKeyRepository, IdempotencyScope, StoredResponse } from './idempotency-key.repository';
import { hashRequestBody } from './request-hash.util';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
// Headers that belong to the answer of a create and must come back with its replay.
const REPLAYED_HEADERS = ['location', 'content-location', 'etag'];
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const ANONYMOUS = 'anonymous';

interface HttpRequest extends AuthenticatedRequest {
  method: string;
  url: string;
  body?: unknown;
}

interface HttpResponse {
  statusCode: number;
  status(code: number): unknown;
  getHeader(name: string): unknown;
  header(name: string, value: string): unknown;
}

/**
 * Makes a create safe to retry: the first request with a key runs, later ones with the same key and body
 * get its stored answer. Only successes are stored, so a failed attempt can be retried with the same key.
 * Apply it with `@Idempotent()`; a request without the header runs as usual.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);
  private readonly inFlightTimeoutMs: number;
  private repository?: IdempotencyKeyRepository;

  constructor(
    @Inject(API_CONVENTIONS_OPTIONS) options: ApiConventionsOptions,
    // Optional so that a service's unit tests can build the module without a database.
    @Optional() private readonly dataSource?: DataSource,
  ) {
    this.inFlightTimeoutMs = options.idempotency?.inFlightTimeoutMs ?? DEFAULT_IN_FLIGHT_TIMEOUT_MS;
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const response = context.switchToHttp().getResponse<HttpResponse>();
    const key = readKey(request.headers[IDEMPOTENCY_KEY_HEADER]);
    if (key === undefined) return next.handle();

    const scope: IdempotencyScope = {
      key,
      principal: request.user?.sub ?? ANONYMOUS,
      route: `${request.method} ${request.url.split('?')[0]}`,
    };
    const requestHash = hashRequestBody(request.body);
    const repository = this.getRepository();
    const outcome = await repository.claim(scope, requestHash, this.inFlightTimeoutMs);

    if (outcome.kind !== 'claimed' && outcome.requestHash !== requestHash) throw keyReused();
    if (outcome.kind === 'in-flight') throw keyInFlight();
    if (outcome.kind === 'completed') return of(replay(response, outcome.response));

    return from(this.runClaimed(next, repository, scope, outcome.token, response));
  }

  /**
   * The handler runs in one transaction with the stored answer (`runInSharedTransaction`: its own
   * `inTransaction` and queries join it), so a failure anywhere before the commit leaves neither its effect
   * nor the answer, and the retry runs it once. A promise, not an operator chain: it runs to the end even if
   * the client hangs up, so the answer is stored (or the claim released) for the retry that client is about
   * to send.
   */
  private async runClaimed(
    next: CallHandler,
    repository: IdempotencyKeyRepository,
    scope: IdempotencyScope,
    token: string,
    response: HttpResponse,
  ): Promise<unknown> {
    try {
      const { body, stored } = await runInSharedTransaction(this.dataSource!, async (m) => {
        if (!(await repository.hold(m, scope, token))) throw keyInFlight();
        const result: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
        // An error answered without throwing is not stored, as a thrown one is not.
        if (response.statusCode >= 400) return { body: result, stored: false };
        // Stored before it is sent: a client that saw the answer can always get it again.
        await repository.complete(m, scope, token, { status: response.statusCode, headers: pickHeaders(response), body: result });
        return { body: result, stored: true };
      });
      if (!stored) await this.release(repository, scope, token);
      return body;
    } catch (error) {
      await this.release(repository, scope, token);
      throw error;
    }
  }

  // A failed release must not hide the error the client needs to see; the claim then expires by timeout.
  private async release(repository: IdempotencyKeyRepository, scope: IdempotencyScope, token: string): Promise<void> {
    try {
      await repository.release(scope, token);
    } catch (error) {
      this.logger.error(`Could not release Idempotency-Key ${scope.key} on ${scope.route}`, (error as Error).stack);
    }
  }

  private getRepository(): IdempotencyKeyRepository {
    if (!this.dataSource) throw new Error('@Idempotent() needs a TypeORM DataSource (TypeOrmModule.forRoot) in the app');
    this.repository ??= new IdempotencyKeyRepository(this.dataSource);
    return this.repository;
  }
}

function readKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header === 'string' && KEY_PATTERN.test(header)) return header;
  throw new ProblemException({
    status: HttpStatus.BAD_REQUEST,
    code: HttpProblemCode.InvalidIdempotencyKey,
    detail: 'The Idempotency-Key header must be 1 to 255 visible ASCII characters.',
    errors: [{ field: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 255 visible ASCII characters', constraint: 'isIdempotencyKey' }],
  });
}

function replay(response: HttpResponse, stored: StoredResponse): unknown {
  response.status(stored.status);
  for (const [name, value] of Object.entries(stored.headers)) response.header(name, value);
  response.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  return stored.body;
}

function pickHeaders(response: HttpResponse): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = response.getHeader(name);
    if (typeof value === 'string' || typeof value === 'number') headers[name] = String(value);
  }
  return headers;
}

function keyReused(): ProblemException {
  return new ProblemException({
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    code: HttpProblemCode.IdempotencyKeyReused,
    detail: 'This Idempotency-Key was already used with a different request body.',
  });
}

function keyInFlight(): ProblemException {
  return new ProblemException({
    status: HttpStatus.CONFLICT,
    code: HttpProblemCode.IdempotencyKeyInFlight,
    detail: 'A request with this Idempotency-Key is still being processed; retry later.',
  });
}
