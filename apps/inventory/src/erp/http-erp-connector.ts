import { z } from 'zod';
import { backoffDelay, DependencyUnavailableError, NonRetryableError, sleep } from '@crm/messaging';
import type { ErpSettings } from '../inventory.options';
import type { ErpConnector, ErpDeductionRequest, ErpDeductionResult, ErpReleaseRequest, ErpStockLevel } from './erp-connector';

const Shortage = z.object({ sku: z.string().min(1), requested: z.number().int().positive(), available: z.number().int().min(0) });
const DeductionAnswer = z.discriminatedUnion('status', [
  z.object({ status: z.literal('deducted'), warehouseId: z.string().min(1).max(64).default('main') }),
  z.object({ status: z.literal('insufficient'), shortages: z.array(Shortage).min(1) }),
]);
const LevelsPage = z.object({
  levels: z.array(z.object({ sku: z.string().min(1).max(64), warehouseId: z.string().min(1).max(64), onHand: z.number().int().min(0) })),
  nextCursor: z.string().min(1).nullish(),
});

// Far above any real catalogue; it only keeps a looping ERP cursor from spinning forever.
const MAX_LEVEL_PAGES = 1_000;

interface Answer {
  status: number;
  body: unknown;
}

/**
 * The ERP over HTTP (JSON):
 * - `POST /stock/deductions` {orderId, lines} → 200 {status:'deducted', warehouseId} or 409 {status:'insufficient', shortages}
 * - `POST /stock/releases` {orderId, warehouseId, lines} → 2xx
 * - `GET /stock/levels[?cursor=]` → {levels:[{sku, warehouseId, onHand}], nextCursor?}
 * Writes carry `Idempotency-Key`; every call `Authorization: Bearer <token>` when a token is set.
 * 5xx, 408, 429, timeouts and network errors are retried with backoff, then DependencyUnavailableError;
 * 401/403 (our credentials) and an unreadable answer also mean "the ERP is not usable now", never the
 * event's fault; any other 4xx is the ERP refusing this request for good: NonRetryableError.
 */
export class HttpErpConnector implements ErpConnector {
  readonly name = 'http';

  constructor(private readonly settings: ErpSettings) {}

  async deduct(request: ErpDeductionRequest): Promise<ErpDeductionResult> {
    const answer = await this.call('POST', '/stock/deductions', { orderId: request.orderId, lines: request.lines }, request.idempotencyKey, [409]);
    const parsed = DeductionAnswer.safeParse(answer.body);
    if (!parsed.success) throw new DependencyUnavailableError(`ERP deduction answer for order ${request.orderId} is unreadable (HTTP ${answer.status})`);
    return parsed.data.status === 'deducted'
      ? { outcome: 'deducted', warehouseId: parsed.data.warehouseId }
      : { outcome: 'insufficient', shortages: parsed.data.shortages };
  }

  async release(request: ErpReleaseRequest): Promise<void> {
    const { orderId, warehouseId, lines } = request;
    await this.call('POST', '/stock/releases', { orderId, warehouseId, lines }, request.idempotencyKey);
  }

  async fetchStockLevels(): Promise<ErpStockLevel[]> {
    const levels: ErpStockLevel[] = [];
    let cursor: string | null | undefined;
    for (let page = 0; page < MAX_LEVEL_PAGES; page++) {
      const answer = await this.call('GET', `/stock/levels${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
      const parsed = LevelsPage.safeParse(answer.body);
      if (!parsed.success) throw new DependencyUnavailableError('ERP stock levels answer is unreadable');
      levels.push(...parsed.data.levels);
      cursor = parsed.data.nextCursor;
      if (!cursor) return levels;
    }
    throw new DependencyUnavailableError(`ERP stock levels did not end within ${MAX_LEVEL_PAGES} pages`);
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown, idempotencyKey?: string, acceptedErrors: number[] = []): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    if (this.settings.token) headers.authorization = `Bearer ${this.settings.token}`;

    let lastProblem = '';
    for (let attempt = 1; attempt <= this.settings.maxAttempts; attempt++) {
      if (attempt > 1) await sleep(backoffDelay(attempt - 1, this.settings.backoff));
      let response: Response;
      try {
        response = await fetch(`${this.settings.url}${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.settings.timeoutMs),
        });
      } catch (err) {
        lastProblem = describeNetworkError(err);
        continue;
      }
      const text = await response.text().catch(() => '');
      if (response.ok || acceptedErrors.includes(response.status)) return { status: response.status, body: parseJson(text) };
      if (response.status >= 500 || response.status === 408 || response.status === 429) {
        lastProblem = `HTTP ${response.status}`;
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        throw new DependencyUnavailableError(`ERP ${method} ${path} refused our credentials (HTTP ${response.status})`);
      }
      throw new NonRetryableError(`ERP ${method} ${path} rejected the request (HTTP ${response.status}): ${text.slice(0, 300)}`);
    }
    throw new DependencyUnavailableError(`ERP ${method} ${path} unavailable after ${this.settings.maxAttempts} attempts: ${lastProblem}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function describeNetworkError(err: unknown): string {
  const error = err as Error & { cause?: { code?: string } };
  if (error?.name === 'TimeoutError') return 'timed out';
  return error?.cause?.code ?? error?.message ?? String(err);
}
