import { z } from 'zod';
import { ErpClient, type ErpClientMetrics } from '@crm/erp-client';
import { DependencyUnavailableError } from '@crm/messaging';
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

/**
 * The ERP over HTTP (JSON), through the shared ErpClient (timeout, retries honouring Retry-After, circuit
 * breaker, `crm_erp_*{erp="stock"}` metrics):
 * - `POST /stock/deductions` {orderId, lines} → 200 {status:'deducted', warehouseId} or 409 {status:'insufficient', shortages}
 * - `POST /stock/releases` {orderId, warehouseId, lines} → 2xx
 * - `GET /stock/levels[?cursor=]` → {levels:[{sku, warehouseId, onHand}], nextCursor?}
 * Writes carry `Idempotency-Key`. 401/403, 408, 429, 5xx, timeouts, network errors, an open circuit and an
 * unreadable answer mean "the ERP is not usable now" (DependencyUnavailableError: the partition waits, an
 * alert fires); 400/409/422 name the request invalid (NonRetryableError: dead-lettered). None of these paths
 * names one record, so a 404 there is a wrong URL: wait.
 */
export class HttpErpConnector implements ErpConnector {
  readonly name = 'http';
  private readonly client: ErpClient;

  constructor(settings: ErpSettings, metrics?: ErpClientMetrics) {
    const { url, token, timeoutMs, maxAttempts, backoff, breaker } = settings;
    this.client = new ErpClient({ erp: 'stock', baseUrl: url, token, timeoutMs, maxAttempts, backoff, breaker, metrics });
  }

  async deduct(request: ErpDeductionRequest): Promise<ErpDeductionResult> {
    const answer = await this.client.request({
      method: 'POST',
      path: '/stock/deductions',
      body: { orderId: request.orderId, lines: request.lines },
      idempotencyKey: request.idempotencyKey,
      accept: [409],
    });
    const parsed = DeductionAnswer.safeParse(answer.body);
    if (!parsed.success) throw new DependencyUnavailableError(`ERP deduction answer for order ${request.orderId} is unreadable (HTTP ${answer.status})`);
    return parsed.data.status === 'deducted'
      ? { outcome: 'deducted', warehouseId: parsed.data.warehouseId }
      : { outcome: 'insufficient', shortages: parsed.data.shortages };
  }

  async release(request: ErpReleaseRequest): Promise<void> {
    const { orderId, warehouseId, lines } = request;
    await this.client.request({ method: 'POST', path: '/stock/releases', body: { orderId, warehouseId, lines }, idempotencyKey: request.idempotencyKey });
  }

  async fetchStockLevels(): Promise<ErpStockLevel[]> {
    const levels: ErpStockLevel[] = [];
    let cursor: string | null | undefined;
    for (let page = 0; page < MAX_LEVEL_PAGES; page++) {
      const answer = await this.client.request({ method: 'GET', path: `/stock/levels${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}` });
      const parsed = LevelsPage.safeParse(answer.body);
      if (!parsed.success) throw new DependencyUnavailableError('ERP stock levels answer is unreadable');
      levels.push(...parsed.data.levels);
      cursor = parsed.data.nextCursor;
      if (!cursor) return levels;
    }
    throw new DependencyUnavailableError(`ERP stock levels did not end within ${MAX_LEVEL_PAGES} pages`);
  }
}
