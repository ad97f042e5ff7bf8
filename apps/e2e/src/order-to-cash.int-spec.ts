import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { eventually, readTopic, startSystem, testKafka, type TestSystem } from '@crm/testing';

// The headline flow across three real processes: orders confirms, inventory deducts, finance opens the
// receivable, orders allocates or holds; cancelling compensates. Everything goes over HTTP and Kafka.
jest.setTimeout(240_000);

const team = 'north';
const rep = { sub: randomUUID(), roles: ['sales_rep'], team };
const manager = { sub: randomUUID(), roles: ['sales_manager'], team };
const admin = { sub: 'admin-1', roles: ['admin'] };

describe('order to cash across orders, inventory and finance (real Kafka and PostgreSQL)', () => {
  let system: TestSystem;
  const sql = async <T = Record<string, unknown>>(service: string, text: string, params: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: system.databases[service].url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const onHand = async (sku: string) =>
    Number((await sql<{ n: string }>('inventory', 'SELECT coalesce(sum(on_hand), 0) AS n FROM stock_levels WHERE sku = $1', [sku]))[0].n);

  const orders = () => system.as(rep, 'orders');
  async function placeOrder(lines: { sku: string; quantity: number; unitPrice: string; discount?: string }[]) {
    const created = await orders()
      .post('/api/v1/orders')
      .send({
        customer: { name: 'Wang Fang', company: 'Harbour Tools' },
        currency: 'USD',
        paymentTerms: 'NET30',
        lines: lines.map((l) => ({ productName: l.sku, ...l })),
      })
      .expect(201);
    await orders().post(`/api/v1/orders/${created.body.id}/submit`).expect(200);
    return created.body.id as string;
  }
  const statusOf = async (id: string) => (await orders().get(`/api/v1/orders/${id}`).expect(200)).body.status;

  beforeAll(async () => {
    // Orders at or above the limit wait for a manager; the concurrency test confirms itself under it.
    system = await startSystem(['orders', 'inventory', 'finance'], { env: { ORDERS_AUTO_CONFIRM_LIMITS: 'USD:100' } });
    const inventory = system.as(admin, 'inventory');
    for (const [sku, stock] of [
      ['DRILL-1', 40],
      ['BIT-SET', 25],
      ['SCARCE-1', 150],
    ] as const) {
      await inventory
        .put(`/api/v1/items/${sku}`)
        .send({ name: `Item ${sku}`, productLine: 'tools', reorderPoint: 0 })
        .expect((r) => expect([200, 201]).toContain(r.status));
      await inventory.post('/api/v1/stock/receipts').send({ sku, warehouseId: 'main', quantity: stock }).expect(201);
    }
    // The orders service learns the catalogue from inventory's item.upserted events.
    await eventually(async () => expect((await sql('orders', 'SELECT sku FROM catalogue_items')).length).toBe(3), { timeoutMs: 30_000 });
  });
  afterAll(() => system?.stop());

  it('one confirmed order: exact stock deduction, one receivable with amount and due date, allocated; redelivery changes nothing', async () => {
    const id = await placeOrder([
      { sku: 'DRILL-1', quantity: 3, unitPrice: '199.99', discount: '10' },
      { sku: 'BIT-SET', quantity: 5, unitPrice: '24.50' },
    ]);
    expect(await statusOf(id)).toBe('submitted'); // 589.97 + 122.50 = 712.47 USD: over the limit, a manager confirms
    const confirmed = await system.as(manager, 'orders').post(`/api/v1/orders/${id}/confirm`).expect(200);
    expect(confirmed.body.total).toBe('712.47');

    await eventually(async () => expect(await statusOf(id)).toBe('allocated'), { timeoutMs: 30_000 });
    expect(await onHand('DRILL-1')).toBe(37);
    expect(await onHand('BIT-SET')).toBe(20);
    const receivable = await eventually(async () => {
      const res = await system.as(admin, 'finance').get(`/api/v1/receivables/by-order/${id}`).expect(200);
      return res.body;
    });
    const confirmedAt = new Date(confirmed.body.updatedAt);
    const due = new Date(Date.UTC(confirmedAt.getUTCFullYear(), confirmedAt.getUTCMonth(), confirmedAt.getUTCDate() + 30)).toISOString().slice(0, 10);
    expect(receivable).toMatchObject({ orderId: id, amount: '712.47', currency: 'USD', status: 'open', dueDate: due });

    // Deliver the confirmation three more times, as a relay crash could: nothing moves again.
    const kafka = await testKafka();
    const [message] = (await readTopic(kafka, `${system.prefix}crm.orders.v1`)).filter(
      (m) => m.key === id && JSON.parse(m.value ?? '{}').type === 'crm.order.confirmed',
    );
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: `${system.prefix}crm.orders.v1`, acks: -1, messages: [0, 1, 2].map(() => ({ key: id, value: message.value })) });
    await producer.disconnect();
    await eventually(async () => {
      const [{ n }] = await sql<{ n: string }>('inventory', `SELECT count(*) AS n FROM inbox WHERE event_id = $1`, [JSON.parse(message.value!).id]);
      expect(Number(n)).toBe(1);
    });
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await onHand('DRILL-1')).toBe(37);
    expect(await onHand('BIT-SET')).toBe(20);
    expect(await sql('finance', 'SELECT id FROM receivables WHERE order_id = $1', [id])).toHaveLength(1);
    expect(await statusOf(id)).toBe('allocated');
  });

  it('200 orders confirmed concurrently against stock for 150: exactly 150 allocated, 50 on hold, stock 0, one receivable each; stock that comes in serves the waiting ones', async () => {
    const ids: string[] = [];
    const queue = Array.from({ length: 200 }, (_, i) => i);
    // 10 clients at once, each creating and submitting orders of 1 × SCARCE-1 (auto-confirmed under the limit).
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (queue.shift() !== undefined) ids.push(await placeOrder([{ sku: 'SCARCE-1', quantity: 1, unitPrice: '9.99' }]));
      }),
    );
    expect(new Set(ids).size).toBe(200);
    await eventually(
      async () => {
        const rows = await sql<{ status: string; n: string }>('orders', 'SELECT status, count(*) AS n FROM orders WHERE id = ANY($1) GROUP BY status', [ids]);
        expect(Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))).toEqual({ allocated: 150, on_hold: 50 });
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    expect(await onHand('SCARCE-1')).toBe(0);
    const [{ min }] = await sql<{ min: number }>('inventory', 'SELECT min(on_hand) AS min FROM stock_levels');
    expect(Number(min)).toBeGreaterThanOrEqual(0);
    const ledger = await sql<{ total: string }>(
      'inventory',
      `SELECT sum(delta) AS total FROM stock_movements WHERE sku = 'SCARCE-1' AND reason = 'order_deduction'`,
    );
    expect(Number(ledger[0].total)).toBe(-150);
    await eventually(
      async () => {
        const receivables = await sql<{ order_id: string; amount: string }>('finance', 'SELECT order_id, amount FROM receivables WHERE order_id = ANY($1)', [
          ids,
        ]);
        expect(receivables).toHaveLength(200);
        expect(new Set(receivables.map((r) => r.order_id)).size).toBe(200);
        expect(receivables.every((r) => Number(r.amount) === 9.99)).toBe(true);
      },
      { timeoutMs: 60_000 },
    );
    // Every on-hold order alerted its rep.
    const alerts = await sql<{ n: string }>('orders', `SELECT count(*) AS n FROM alerts WHERE kind = 'stock_shortage' AND order_id = ANY($1)`, [ids]);
    expect(Number(alerts[0].n)).toBe(50);

    // Stock comes in for 40 of the 50 waiting orders: the oldest 40 are allocated, the other 10 keep waiting.
    await system.as(admin, 'inventory').post('/api/v1/stock/receipts').send({ sku: 'SCARCE-1', warehouseId: 'main', quantity: 40 }).expect(201);
    const statuses = async () =>
      Object.fromEntries(
        (await sql<{ status: string; n: string }>('orders', 'SELECT status, count(*) AS n FROM orders WHERE id = ANY($1) GROUP BY status', [ids])).map((r) => [
          r.status,
          Number(r.n),
        ]),
      );
    await eventually(async () => expect(await statuses()).toEqual({ allocated: 190, on_hold: 10 }), { timeoutMs: 60_000, intervalMs: 500 });
    // A cancelled allocated order gives its unit back, and the next waiting order gets it.
    const [allocated] = await sql<{ id: string }>('orders', `SELECT id FROM orders WHERE id = ANY($1) AND status = 'allocated' LIMIT 1`, [ids]);
    await orders().post(`/api/v1/orders/${allocated.id}/cancel`).send({ reason: 'customer cancelled' }).expect(200);
    await eventually(async () => expect(await statuses()).toEqual({ allocated: 190, on_hold: 9, cancelled: 1 }), { timeoutMs: 60_000, intervalMs: 500 });
    expect(await onHand('SCARCE-1')).toBe(0);
  });

  it('cancelling an allocated order restores its stock and voids its receivable', async () => {
    const before = await onHand('DRILL-1');
    const id = await placeOrder([{ sku: 'DRILL-1', quantity: 2, unitPrice: '40.00' }]); // 80.00: auto-confirmed
    await eventually(async () => expect(await statusOf(id)).toBe('allocated'), { timeoutMs: 30_000 });
    expect(await onHand('DRILL-1')).toBe(before - 2);
    await eventually(async () => system.as(admin, 'finance').get(`/api/v1/receivables/by-order/${id}`).expect(200));

    await orders().post(`/api/v1/orders/${id}/cancel`).send({ reason: 'customer changed their mind' }).expect(200);
    await eventually(async () => expect(await onHand('DRILL-1')).toBe(before), { timeoutMs: 30_000 });
    await eventually(
      async () => {
        const res = await system.as(admin, 'finance').get(`/api/v1/receivables/by-order/${id}`).expect(200);
        expect(res.body.status).toBe('voided');
      },
      { timeoutMs: 30_000 },
    );
    expect(await statusOf(id)).toBe('cancelled');
  });
});
