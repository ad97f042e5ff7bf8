import { ErpClient, type ErpClientMetrics } from '@crm/erp-client';
import type { ErpPayment, ErpReceivable, ErpVoid, FinanceErpConnector } from './finance-erp.connector';

export interface HttpErpOptions {
  baseUrl: string;
  token?: string;
  /** HTTP requests per call before the ERP counts as unavailable; the inbox then retries the whole event later. */
  maxAttempts?: number;
  /** First retry delay, growing exponentially (with jitter) to 8 times this. */
  retryDelayMs?: number;
  timeoutMs?: number;
  breaker?: { failures: number; halfOpenAfterMs: number };
}

/**
 * Pushes receivables, voids and payments to an ERP over HTTP (`POST {base}/receivables`,
 * `POST {base}/receivables/:id/void`, `POST {base}/receivables/:id/payments`)
 * with a bearer token and an `Idempotency-Key` header, through the shared ErpClient (`crm_erp_*{erp="receivables"}`).
 * 401/403 (a rotated token), 408/429/5xx, timeouts and an open circuit make the event wait (the partition
 * retries, an alert fires); only 400/409/422, or a 404 on a void or a payment (no such receivable there), are a
 * refusal (`ErpRejectedError`).
 */
export class HttpFinanceErpConnector implements FinanceErpConnector {
  readonly name = 'http';
  private readonly client: ErpClient;

  constructor(options: HttpErpOptions, metrics?: ErpClientMetrics) {
    const retryDelayMs = options.retryDelayMs ?? 250;
    this.client = new ErpClient({
      erp: 'receivables',
      baseUrl: options.baseUrl,
      token: options.token,
      timeoutMs: options.timeoutMs ?? 5_000,
      maxAttempts: options.maxAttempts ?? 3,
      backoff: { initialMs: retryDelayMs, maxMs: retryDelayMs * 8 },
      breaker: options.breaker ?? { failures: 5, halfOpenAfterMs: 10_000 },
      metrics,
    });
  }

  async receivableCreated(receivable: ErpReceivable, idempotencyKey: string): Promise<void> {
    await this.client.request({ method: 'POST', path: '/receivables', body: receivable, idempotencyKey });
  }

  async receivableVoided(voided: ErpVoid, idempotencyKey: string): Promise<void> {
    const path = `/receivables/${encodeURIComponent(voided.receivableId)}/void`;
    await this.client.request({ method: 'POST', path, body: voided, idempotencyKey, recordPath: true });
  }

  async paymentRecorded(payment: ErpPayment, idempotencyKey: string): Promise<void> {
    const path = `/receivables/${encodeURIComponent(payment.receivableId)}/payments`;
    await this.client.request({ method: 'POST', path, body: payment, idempotencyKey, recordPath: true });
  }
}
