import { DependencyUnavailableError, NonRetryableError, sleep } from '@crm/messaging';
import type { ErpReceivable, ErpVoid, FinanceErpConnector } from './finance-erp.connector';

export interface HttpErpOptions {
  baseUrl: string;
  token?: string;
  /** Tries per call before the ERP counts as down; the inbox then retries the whole event later. */
  maxAttempts?: number;
  /** First retry delay, doubled on each further retry. */
  retryDelayMs?: number;
  timeoutMs?: number;
}

// Worth retrying: the ERP is down, overloaded or slow. Any other 4xx is a refusal retrying cannot change.
const isTransientStatus = (status: number) => status >= 500 || status === 408 || status === 429;

/**
 * Pushes receivables and voids to an ERP over HTTP (`POST {base}/receivables`, `POST {base}/receivables/:id/void`)
 * with a bearer token and an `Idempotency-Key` header, with a few quick retries so a blip does not hold the partition.
 */
export class HttpFinanceErpConnector implements FinanceErpConnector {
  readonly name = 'http';
  private readonly baseUrl: string;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: HttpErpOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 250;
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  receivableCreated(receivable: ErpReceivable, idempotencyKey: string): Promise<void> {
    return this.post('/receivables', receivable, idempotencyKey);
  }

  receivableVoided(voided: ErpVoid, idempotencyKey: string): Promise<void> {
    return this.post(`/receivables/${encodeURIComponent(voided.receivableId)}/void`, voided, idempotencyKey);
  }

  private async post(path: string, body: unknown, idempotencyKey: string): Promise<void> {
    const url = `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': idempotencyKey };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    let problem = '';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (attempt > 1) await sleep(this.retryDelayMs * 2 ** (attempt - 2));
      let response: Response;
      try {
        response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (err) {
        problem = `unreachable (${(err as Error).message})`;
        continue;
      }
      const text = await response.text().catch(() => '');
      if (response.ok) return;
      if (!isTransientStatus(response.status)) {
        throw new NonRetryableError(`ERP refused POST ${path} with ${response.status}: ${text.slice(0, 200)}`);
      }
      problem = `answered ${response.status}`;
    }
    throw new DependencyUnavailableError(`ERP POST ${path} ${problem} after ${this.maxAttempts} attempts`);
  }
}
