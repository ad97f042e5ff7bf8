import { randomUUID } from 'node:crypto';
import { DependencyUnavailableError, NonRetryableError } from '@crm/messaging';
import type { ErpSettings } from '../inventory.options';
import { HttpErpConnector } from './http-erp-connector';
import { FakeErp } from './testing/fake-erp';

describe('HttpErpConnector (against a fake ERP on 127.0.0.1)', () => {
  let erp: FakeErp;
  let settings: ErpSettings;

  beforeEach(async () => {
    erp = new FakeErp();
    erp.requiredToken = 'erp-token';
    const url = await erp.start();
    settings = {
      url,
      token: 'erp-token',
      timeoutMs: 2_000,
      maxAttempts: 3,
      backoff: { initialMs: 10, maxMs: 40 },
      breaker: { failures: 100, halfOpenAfterMs: 1_000 },
      syncIntervalMs: 60_000,
    };
  });
  afterEach(() => erp.close());

  const connector = () => new HttpErpConnector(settings);

  it('pushes a deduction with the idempotency key and the bearer token', async () => {
    erp.stock.set('A', 5);
    const key = randomUUID();
    const orderId = randomUUID();
    await expect(connector().deduct({ orderId, lines: [{ sku: 'A', quantity: 2 }], idempotencyKey: key })).resolves.toEqual({
      outcome: 'deducted',
      warehouseId: 'erp-main',
    });
    const [sent] = erp.requestsTo('/stock/deductions');
    expect(sent.headers['idempotency-key']).toBe(key);
    expect(sent.headers.authorization).toBe('Bearer erp-token');
    expect(sent.body).toEqual({ orderId, lines: [{ sku: 'A', quantity: 2 }] });
    expect(erp.stock.get('A')).toBe(3);
  });

  it('retries a 503 with the same idempotency key and then succeeds', async () => {
    erp.stock.set('A', 5);
    erp.failNext = 2;
    const key = randomUUID();
    await expect(connector().deduct({ orderId: randomUUID(), lines: [{ sku: 'A', quantity: 1 }], idempotencyKey: key })).resolves.toMatchObject({
      outcome: 'deducted',
    });
    const sent = erp.requestsTo('/stock/deductions');
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((r) => r.headers['idempotency-key']))).toEqual(new Set([key]));
    expect(erp.stock.get('A')).toBe(4);
  });

  it('turns an "insufficient" answer into shortages', async () => {
    erp.stock.set('A', 1);
    await expect(connector().deduct({ orderId: randomUUID(), lines: [{ sku: 'A', quantity: 3 }], idempotencyKey: randomUUID() })).resolves.toEqual({
      outcome: 'insufficient',
      shortages: [{ sku: 'A', requested: 3, available: 1 }],
    });
  });

  it('throws DependencyUnavailableError after its bounded retries when the ERP stays down', async () => {
    erp.downStatus = 503;
    await expect(connector().deduct({ orderId: randomUUID(), lines: [{ sku: 'A', quantity: 1 }], idempotencyKey: randomUUID() })).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
    expect(erp.requestsTo('/stock/deductions')).toHaveLength(3);
  });

  it('throws DependencyUnavailableError when nothing listens at the ERP address', async () => {
    await erp.close();
    await expect(connector().fetchStockLevels()).rejects.toBeInstanceOf(DependencyUnavailableError);
  });

  it('treats refused credentials as the ERP being unusable (wait), not as a bad event', async () => {
    settings.token = 'wrong';
    await expect(
      connector().release({ orderId: randomUUID(), warehouseId: 'erp-main', lines: [{ sku: 'A', quantity: 1 }], idempotencyKey: randomUUID() }),
    ).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(erp.requests).toHaveLength(1);
  });

  it('does not retry a request the ERP rejects for good (4xx): NonRetryableError', async () => {
    erp.downStatus = 422;
    await expect(connector().deduct({ orderId: randomUUID(), lines: [{ sku: 'A', quantity: 1 }], idempotencyKey: randomUUID() })).rejects.toBeInstanceOf(
      NonRetryableError,
    );
    expect(erp.requests).toHaveLength(1);
  });

  it('reads the stock levels of the ERP', async () => {
    erp.stock.set('A', 7).set('B', 0);
    await expect(connector().fetchStockLevels()).resolves.toEqual([
      { sku: 'A', warehouseId: 'erp-main', onHand: 7 },
      { sku: 'B', warehouseId: 'erp-main', onHand: 0 },
    ]);
  });
});
