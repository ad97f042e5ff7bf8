import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createHttpAdapter } from '@crm/http';
import { connectEventConsumers, loadServiceConfig } from '@crm/platform';
import { eventually, TEST_JWT_SECRET, testInfra, testKafka, type TestService } from '@crm/testing';
import { AppModule } from '../src/app.module';
import { inventorySettings } from '../src/inventory.options';
import { InventoryMetrics } from '../src/stock/inventory-metrics';
import { OrderStockService } from '../src/stock/order-stock.service';
import { createItem, onHand, orderConfirmed, outboxDrained, receive, startInventory } from './inventory-fixtures';

describe('inventory under concurrent orders for one SKU (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  let replica: INestApplication;

  beforeAll(async () => {
    svc = await startInventory((config) => AppModule.forRoot(config));
    // A second replica on the same database and topics, in the same consumer group: Kafka splits the
    // partitions between the two, so different orders really are deducted at the same time.
    const config = loadServiceConfig(
      'inventory',
      {
        INVENTORY_DATABASE_URL: svc.db.url,
        KAFKA_BROKERS: (await testInfra()).kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: svc.prefix,
        JWT_SECRET: TEST_JWT_SECRET,
      },
      inventorySettings,
    );
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
    replica = moduleRef.createNestApplication(createHttpAdapter(), { logger: ['error', 'warn'] });
    await connectEventConsumers(replica);
    await replica.init();
    // Both replicas in the group, partitions assigned, before anything is published.
    const admin = (await testKafka('inventory-group-check')).admin();
    await admin.connect();
    try {
      await eventually(
        async () => {
          const {
            groups: [group],
          } = await admin.describeGroups([`${svc.prefix}inventory.events`]);
          expect(group.state).toBe('Stable');
          expect(group.members).toHaveLength(2);
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
    } finally {
      await admin.disconnect();
    }
  });
  afterAll(async () => {
    await replica?.close();
    await svc?.close();
  });

  const ledgerSum = async (sku: string) =>
    (await svc.dataSource.query('SELECT coalesce(sum(delta), 0)::int AS n FROM stock_movements WHERE sku = $1', [sku]))[0].n;

  it('200 orders of one unit against 150 in stock: exactly 150 deducted, 50 insufficient, never below zero', async () => {
    await createItem(svc, 'HOT-1');
    await receive(svc, 'HOT-1', 150);
    const orders = Array.from({ length: 200 }, () => orderConfirmed(randomUUID(), [{ sku: 'HOT-1', quantity: 1 }]));
    // Keyed by order id, the events spread over the topic's partitions.
    await svc.publish(...orders);

    await eventually(
      async () => {
        const [{ n }] = await svc.dataSource.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1::uuid[])`, [orders.map((o) => o.id)]);
        expect(n).toBe(200);
      },
      { timeoutMs: 45_000 },
    );
    const partitions = await svc.dataSource.query(`SELECT DISTINCT partition FROM inbox WHERE event_type = 'crm.order.confirmed'`);
    expect(partitions.length).toBeGreaterThan(1);
    // Both replicas decided orders.
    const decisions = async (app: INestApplication) => (await app.get(InventoryMetrics).deductions.get()).values.reduce((n, v) => n + v.value, 0);
    expect(await decisions(svc.app)).toBeGreaterThan(0);
    expect(await decisions(replica)).toBeGreaterThan(0);
    expect((await decisions(svc.app)) + (await decisions(replica))).toBe(200);

    expect(await onHand(svc, 'HOT-1')).toBe(0);
    expect(await ledgerSum('HOT-1')).toBe(0); // +150 received, -150 deducted
    const [{ n: allocations }] = await svc.dataSource.query('SELECT count(*)::int AS n FROM order_allocations');
    expect(allocations).toBe(150);

    await outboxDrained(svc);
    const ids = new Set(orders.map((o) => o.data.orderId));
    const deducted = (await svc.published('stock.deducted')).filter((e) => ids.has((e.data as { orderId: string }).orderId));
    const insufficient = (await svc.published('stock.insufficient')).filter((e) => ids.has((e.data as { orderId: string }).orderId));
    expect(deducted).toHaveLength(150);
    expect(insufficient).toHaveLength(50);
    expect(new Set([...deducted, ...insufficient].map((e) => (e.data as { orderId: string }).orderId)).size).toBe(200);
    for (const e of insufficient) expect(e.data).toMatchObject({ shortages: [{ sku: 'HOT-1', requested: 1, available: 0 }] });
  }, 90_000);

  it('20 parallel transactions deducting the same SKUs never oversell and never deadlock', async () => {
    await createItem(svc, 'PAR-A');
    await createItem(svc, 'PAR-B');
    await receive(svc, 'PAR-A', 30);
    await receive(svc, 'PAR-B', 30);
    const orderStock = svc.app.get(OrderStockService);
    // Each wants 2 A + 3 B, some with the lines in the other order: stock covers exactly 10 orders.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const lines =
          i % 2
            ? [
                { sku: 'PAR-A', quantity: 2 },
                { sku: 'PAR-B', quantity: 3 },
              ]
            : [
                { sku: 'PAR-B', quantity: 3 },
                { sku: 'PAR-A', quantity: 2 },
              ];
        return svc.dataSource.transaction((manager) => orderStock.deduct(manager, { orderId: randomUUID(), lines, eventId: randomUUID(), by: 'test' }));
      }),
    );
    expect(results.filter((r) => r.outcome === 'deducted')).toHaveLength(10);
    expect(results.filter((r) => r.outcome === 'insufficient')).toHaveLength(10);
    expect(await onHand(svc, 'PAR-A')).toBe(10);
    expect(await onHand(svc, 'PAR-B')).toBe(0);
    expect(await ledgerSum('PAR-A')).toBe(10);
    expect(await ledgerSum('PAR-B')).toBe(0);
  });

  it('one order deducted from many transactions at once is deducted once', async () => {
    await createItem(svc, 'ONCE-1');
    await receive(svc, 'ONCE-1', 50);
    const orderStock = svc.app.get(OrderStockService);
    const orderId = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        svc.dataSource.transaction((manager) =>
          orderStock.deduct(manager, { orderId, lines: [{ sku: 'ONCE-1', quantity: 5 }], eventId: randomUUID(), by: 'test' }),
        ),
      ),
    );
    expect(results.filter((r) => r.outcome === 'deducted')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'already_allocated')).toHaveLength(7);
    expect(await onHand(svc, 'ONCE-1')).toBe(45);
  });
});
