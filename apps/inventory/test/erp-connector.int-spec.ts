import { randomUUID } from 'node:crypto';
import { dlqTopic, Topics } from '@crm/contracts';
import { DependencyUnavailableError } from '@crm/messaging';
import { eventually, readTopic, testKafka, type TestService } from '@crm/testing';
import { AppModule } from '../src/app.module';
import { StockSyncService } from '../src/erp/stock-sync.service';
import { FakeErp } from '../src/erp/testing/fake-erp';
import { OrderStockService } from '../src/stock/order-stock.service';
import { ADMIN, applied, createItem, onHand, orderCancelled, orderConfirmed, outboxDrained, publishedFor, startInventory } from './inventory-fixtures';

describe('inventory with the HTTP ERP connector (fake ERP on 127.0.0.1, real Kafka and PostgreSQL)', () => {
  const erp = new FakeErp();
  let svc: TestService;

  beforeAll(async () => {
    const url = await erp.start();
    erp.requiredToken = 'erp-secret';
    svc = await startInventory((config) => AppModule.forRoot(config), {
      INVENTORY_ERP_URL: url,
      INVENTORY_ERP_TOKEN: 'erp-secret',
      INVENTORY_ERP_TIMEOUT_MS: '2000',
      INVENTORY_ERP_MAX_ATTEMPTS: '3',
      INVENTORY_ERP_BACKOFF_MS: '10',
      INVENTORY_ERP_SYNC_INTERVAL_MS: '3600000',
      // After 5 calls in a row that found the ERP down, one probe call per second.
      INVENTORY_ERP_BREAKER_HALF_OPEN_MS: '1000',
    });
  });
  afterAll(async () => {
    await svc?.close();
    await erp.close();
  });
  beforeEach(() => {
    erp.downStatus = null;
    erp.failNext = 0;
    erp.levelsDelayMs = 0;
  });

  const sync = () => svc.app.get(StockSyncService).syncFromErp();
  const deductionsFor = (orderId: string) => erp.requestsTo('/stock/deductions').filter((r) => (r.body as { orderId: string }).orderId === orderId);

  it('pulls the stock levels of the ERP into the local mirror, with ledger rows; one replica at a time', async () => {
    await createItem(svc, 'ERP-A', 2);
    await createItem(svc, 'ERP-B');
    erp.stock.set('ERP-A', 10).set('ERP-B', 4).set('ERP-UNKNOWN', 3);

    await expect(sync()).resolves.toEqual({ status: 'synced', updated: 2, unchanged: 0, unknownSkus: ['ERP-UNKNOWN'] });
    expect(await onHand(svc, 'ERP-A', 'erp-main')).toBe(10);
    expect(await onHand(svc, 'ERP-B', 'erp-main')).toBe(4);
    const ledger = await svc.dataSource.query(`SELECT sku, delta FROM stock_movements WHERE reason = 'erp_sync' ORDER BY sku`);
    expect(ledger).toEqual([
      { sku: 'ERP-A', delta: 10 },
      { sku: 'ERP-B', delta: 4 },
    ]);

    // Nothing changed in the ERP: nothing written.
    await expect(sync()).resolves.toMatchObject({ status: 'synced', updated: 0, unchanged: 2 });

    // Two replicas at once: the advisory lock lets one pass run, the other skips.
    erp.levelsDelayMs = 400;
    const results = await Promise.all([sync(), sync()]);
    expect(results.map((r) => r.status).sort()).toEqual(['skipped', 'synced']);
  });

  it('pushes a deduction with the event id as idempotency key, retried after a 503, then publishes stock.deducted', async () => {
    erp.failNext = 1;
    const orderId = randomUUID();
    const event = orderConfirmed(orderId, [{ sku: 'ERP-A', quantity: 3 }]);
    await svc.publish(event);
    await applied(svc, event.id);

    const pushed = deductionsFor(orderId);
    expect(pushed).toHaveLength(2); // the 503, then the success
    for (const request of pushed) {
      expect(request.headers['idempotency-key']).toBe(event.id);
      expect(request.headers.authorization).toBe('Bearer erp-secret');
      expect(request.body).toEqual({ orderId, lines: [{ sku: 'ERP-A', quantity: 3 }] });
    }
    expect(erp.stock.get('ERP-A')).toBe(7);
    expect(await onHand(svc, 'ERP-A', 'erp-main')).toBe(7); // the mirror follows
    const [deducted] = await eventually(async () => {
      const found = await publishedFor(svc, 'stock.deducted', orderId);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(deducted.data).toMatchObject({ orderId, warehouseId: 'erp-main', lines: [{ sku: 'ERP-A', quantity: 3 }] });

    // Re-confirmed under a new event id: the allocation answers, the ERP is not asked again.
    const again = orderConfirmed(orderId, [{ sku: 'ERP-A', quantity: 3 }]);
    await svc.publish(again);
    await applied(svc, again.id);
    expect(deductionsFor(orderId)).toHaveLength(2);
    expect(erp.stock.get('ERP-A')).toBe(7);

    // Cancelled: the release is pushed with the cancel event's id, stock.released follows.
    const cancelled = orderCancelled(orderId);
    await svc.publish(cancelled);
    await applied(svc, cancelled.id);
    const [release] = erp.requestsTo('/stock/releases').filter((r) => (r.body as { orderId: string }).orderId === orderId);
    expect(release.headers['idempotency-key']).toBe(cancelled.id);
    expect(release.body).toEqual({ orderId, warehouseId: 'erp-main', lines: [{ sku: 'ERP-A', quantity: 3 }] });
    expect(erp.stock.get('ERP-A')).toBe(10);
    await outboxDrained(svc);
    expect(await publishedFor(svc, 'stock.released', orderId)).toHaveLength(1);
  });

  it('turns an "insufficient" answer of the ERP into stock.insufficient, deducting nothing', async () => {
    const orderId = randomUUID();
    const event = orderConfirmed(orderId, [{ sku: 'ERP-B', quantity: 9 }]);
    await svc.publish(event);
    const [insufficient] = await eventually(async () => {
      const found = await publishedFor(svc, 'stock.insufficient', orderId);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(insufficient.data).toMatchObject({ orderId, shortages: [{ sku: 'ERP-B', requested: 9, available: 4 }] });
    expect(erp.stock.get('ERP-B')).toBe(4);
    expect(await onHand(svc, 'ERP-B', 'erp-main')).toBe(4);
    expect(await svc.dataSource.query('SELECT 1 FROM order_allocations WHERE order_id = $1', [orderId])).toEqual([]);
  });

  it('throws DependencyUnavailableError from the handler when the ERP stays down, writing nothing', async () => {
    erp.downStatus = 503;
    const orderStock = svc.app.get(OrderStockService);
    const event = orderConfirmed(randomUUID(), [{ sku: 'ERP-B', quantity: 1 }]);
    const before = await svc.dataSource.query('SELECT count(*)::int AS n FROM outbox');
    await expect(svc.dataSource.transaction((manager) => orderStock.onOrderConfirmed(manager, event))).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(deductionsFor(event.data.orderId)).toHaveLength(3); // the connector's own bounded retries
    expect(await svc.dataSource.query('SELECT count(*)::int AS n FROM outbox')).toEqual(before);
  });

  it('holds an order while the ERP is down, past the consumer retry limit, never dead-letters it, and applies it once the ERP is back', async () => {
    erp.downStatus = 503;
    const orderId = randomUUID();
    const event = orderConfirmed(orderId, [{ sku: 'ERP-B', quantity: 1 }]);
    await svc.publish(event);
    // 3 HTTP attempts per handler attempt: 18 requests mean a 6th handler attempt, past the limit of 5.
    await eventually(() => expect(deductionsFor(orderId).length).toBeGreaterThanOrEqual(18), { timeoutMs: 30_000, intervalMs: 200 });
    expect(await svc.dataSource.query('SELECT 1 FROM inbox WHERE event_id = $1', [event.id])).toEqual([]);

    erp.downStatus = null;
    await applied(svc, event.id);
    await eventually(async () => expect(await publishedFor(svc, 'stock.deducted', orderId)).toHaveLength(1));
    expect(erp.stock.get('ERP-B')).toBe(3);
    const dead = (await readTopic(await testKafka(), dlqTopic(`${svc.prefix}${Topics.orders}`))).filter((m) => m.key === orderId);
    expect(dead).toEqual([]);
  }, 60_000);

  it('refuses local receipts while the ERP owns the stock', async () => {
    const res = await svc.as(ADMIN).post('/api/v1/stock/receipts').send({ sku: 'ERP-A', warehouseId: 'main', quantity: 1 }).expect(409);
    expect(res.body.code).toBe('STOCK_MANAGED_BY_ERP');
  });
});
