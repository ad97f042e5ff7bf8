import {
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleType,
  handleWhen,
  isBrokenCircuitError,
  retry,
  timeout,
  type CircuitBreakerPolicy,
  type FailureReason,
  type RetryPolicy,
  type TimeoutPolicy,
} from 'cockatiel';
import type { BackoffOptions } from '@crm/messaging';
import { classifyStatus, parseRetryAfter, retryDelay, type ClassifyOptions } from './classification';
import type { ErpClientMetrics, RequestOutcome } from './erp-client.metrics';
import { ErpRejectedError, ErpUnavailableError } from './errors';

export interface ErpClientOptions {
  /** Names this ERP connection in metrics and messages (`stock`, `receivables`). */
  erp: string;
  baseUrl: string;
  /** Sent as `Authorization: Bearer`. */
  token?: string;
  /** Per HTTP request, answer body included. */
  timeoutMs: number;
  /** HTTP requests per call, the first included. */
  maxAttempts: number;
  backoff: BackoffOptions;
  /** A longer Retry-After is waited only this long within a call (default 10 s). */
  maxRetryAfterMs?: number;
  /** `failures` calls in a row that found the ERP unusable open the circuit; a probe call goes through after `halfOpenAfterMs`. */
  breaker: { failures: number; halfOpenAfterMs: number };
  metrics?: ErpClientMetrics;
  random?: () => number;
}

export interface ErpRequest extends ClassifyOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** From the base URL, with its query string. */
  path: string;
  body?: unknown;
  idempotencyKey?: string;
}

export interface ErpAnswer {
  status: number;
  /** Parsed JSON; undefined when empty or not JSON. */
  body: unknown;
}

const CIRCUIT_GAUGE: Record<CircuitState, number> = {
  [CircuitState.Closed]: 0,
  [CircuitState.HalfOpen]: 1,
  [CircuitState.Open]: 2,
  [CircuitState.Isolated]: 2,
};

const retryAfterOf = (reason: FailureReason<unknown>) =>
  'error' in reason && reason.error instanceof ErpUnavailableError ? reason.error.details.retryAfterMs : undefined;

/**
 * One resilient HTTP client for an ERP, shared by every adapter: `fetch` under a cockatiel policy of
 * circuit breaker ⟶ retries ⟶ per-request timeout. A call either returns an answer (2xx or an accepted
 * status) or throws ErpRejectedError (NonRetryableError: dead-letter) or ErpUnavailableError
 * (DependencyUnavailableError: the partition waits), following `classifyStatus`. Writes are retried with
 * the same Idempotency-Key, so the ERP applies them once.
 */
export class ErpClient {
  private readonly baseUrl: string;
  private readonly maxRetryAfterMs: number;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly retry: RetryPolicy;
  private readonly timeout: TimeoutPolicy;

  constructor(private readonly options: ErpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;
    const { halfOpenAfterMs } = options.breaker;
    this.breaker = circuitBreaker(handleType(ErpUnavailableError), {
      breaker: new ConsecutiveBreaker(options.breaker.failures),
      // An ERP that said when to come back is not probed before then (within the cap).
      halfOpenAfter: new DelegateBackoff((ctx) => Math.max(halfOpenAfterMs, Math.min(retryAfterOf(ctx.result) ?? 0, this.maxRetryAfterMs))),
    });
    this.retry = retry(
      handleWhen((err) => err instanceof ErpUnavailableError && err.details.retryInCall === true),
      {
        maxAttempts: options.maxAttempts - 1,
        backoff: new DelegateBackoff((ctx) => retryDelay(ctx.attempt, options.backoff, retryAfterOf(ctx.result), this.maxRetryAfterMs, options.random)),
      },
    );
    this.timeout = timeout(options.timeoutMs, TimeoutStrategy.Cooperative);
    const gauge = options.metrics?.circuitState;
    gauge?.set({ erp: options.erp }, 0);
    options.metrics?.unavailable.set({ erp: options.erp }, 0);
    this.breaker.onStateChange((state) => gauge?.set({ erp: options.erp }, CIRCUIT_GAUGE[state]));
  }

  get circuitState(): 'closed' | 'half-open' | 'open' {
    const state = this.breaker.state;
    return state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'half-open' : 'open';
  }

  async request(request: ErpRequest): Promise<ErpAnswer> {
    const { erp, metrics } = this.options;
    let attempts = 0;
    try {
      const answer = await this.breaker.execute(() =>
        this.retry.execute(() => {
          attempts++;
          return this.timeout.execute(({ signal }) => this.once(request, signal));
        }),
      );
      metrics?.unavailable.set({ erp }, 0);
      return answer;
    } catch (err) {
      if (err instanceof ErpRejectedError) {
        metrics?.unavailable.set({ erp }, 0);
        throw err;
      }
      metrics?.unavailable.set({ erp }, 1);
      if (isBrokenCircuitError(err)) {
        metrics?.requests.inc({ erp, method: request.method, outcome: 'circuit_open', status: 'none' });
        const last = this.breaker.lastFailure;
        const cause = last && 'error' in last ? ` (last: ${(last.error as Error).message})` : '';
        throw new ErpUnavailableError(
          `ERP ${request.method} ${pathOnly(request.path)} not sent: the circuit of ERP '${erp}' is open after ${this.options.breaker.failures} failed calls in a row${cause}`,
          'circuit_open',
        );
      }
      if (err instanceof ErpUnavailableError) {
        throw new ErpUnavailableError(`${err.message} after ${attempts} attempt${attempts === 1 ? '' : 's'}`, err.reason, err.details);
      }
      throw err;
    }
  }

  /** One HTTP request, classified; its outcome counted. */
  private async once(request: ErpRequest, signal: AbortSignal): Promise<ErpAnswer> {
    const { erp, metrics } = this.options;
    const { method } = request;
    const where = `${method} ${pathOnly(request.path)}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    const stopTimer = metrics?.duration.startTimer({ erp, method });
    const count = (outcome: RequestOutcome, status: number | 'none') => {
      stopTimer?.();
      metrics?.requests.inc({ erp, method, outcome, status: String(status) });
    };

    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.baseUrl}${request.path}`, {
        method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
      });
      text = await response.text();
    } catch (err) {
      if (signal.aborted) {
        count('timeout', 'none');
        throw new ErpUnavailableError(`ERP ${where} timed out after ${this.options.timeoutMs} ms`, 'timeout', { retryInCall: true });
      }
      count('network', 'none');
      throw new ErpUnavailableError(`ERP ${where} unreachable (${describeNetworkError(err)})`, 'network', { retryInCall: true });
    }

    const verdict = classifyStatus(response.status, request);
    if (verdict.kind === 'ok') {
      count('ok', response.status);
      return { status: response.status, body: parseJson(text) };
    }
    if (verdict.kind === 'rejected') {
      count('rejected', response.status);
      throw new ErpRejectedError(`ERP refused ${where} with ${response.status}: ${text.slice(0, 200)}`, response.status, parseJson(text));
    }
    count('unavailable', response.status);
    throw new ErpUnavailableError(`ERP ${where} ${verdict.problem}`, 'status', {
      status: response.status,
      retryInCall: verdict.retryInCall,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    });
  }
}

// Query strings may carry cursors: messages and errors name the path only.
const pathOnly = (path: string) => path.split('?')[0];

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function describeNetworkError(err: unknown): string {
  const error = err as Error & { cause?: { code?: string; message?: string } };
  return error?.cause?.code ?? error?.cause?.message ?? error?.message ?? String(err);
}
