import { randomUUID } from 'node:crypto';
import { eventually, type TestService } from '@crm/testing';
import { AppModule } from '../src/app.module';
import { ADMIN, applied, createItem, onHand, orderCancelled, orderConfirmed, outboxDrained, publishedFor, receive, startInventory } from './inventory-fixtures';

// Each test uses its own SKUs, so the tests share one service and stay independent.
describe('inventory: stock for confirmed and cancelled orders (real Kafka and PostgreSQL)', () => {
  let svc: TestService;

  beforeAll(async () => {
    svc = await startInventory((config) => AppModule.forRoot(config));
  });
  afterAll(() => svc?.close());

  const movements = (orderId: string) =>
    svc.dataSource.query('SELECT sku, warehouse_id, delta, reason, event_id FROM stock_movements WHERE order_id = $1 ORDER BY id', [orderId]);

  it('deducts exactly the ordered quantities once, however often the order is confirmed', async () => {
    await createItem(svc, 'DESK-1');
    await createItem(svc, 'LAMP-1');
    await receive(svc, 'DESK-1', 10);
    await receive(svc, 'LAMP-1', 5);
    const orderId = randomUUID();
    // Two lines of the same SKU count as one line of their sum.
    const event = orderConfirmed(orderId, [
      { sku: 'DESK-1', quantity: 2 },
      { sku: 'LAMP-1', quantity: 3 },
      { sku: 'DESK-1', quantity: 1 },
    ]);

    await svc.publish(event);
    await applied(svc, event.id);
    expect(await onHand(svc, 'DESK-1')).toBe(7);
    expect(await onHand(svc, 'LAMP-1')).toBe(2);
    expect(await movements(orderId)).toEqual([
      { sku: 'DESK-1', warehouse_id: 'main', delta: -3, reason: 'order_deduction', event_id: event.id },
      { sku: 'LAMP-1', warehouse_id: 'main', delta: -3, reason: 'order_deduction', event_id: event.id },
    ]);

    // The same event redelivered three times, then the same order re-confirmed under a new event id
    // (same key, same partition, so once that one is applied the redeliveries were handled before it).
    await svc.publish(event, event, event);
    const again = orderConfirmed(orderId, [
      { sku: 'DESK-1', quantity: 3 },
      { sku: 'LAMP-1', quantity: 3 },
    ]);
    await svc.publish(again);
    await applied(svc, again.id);
    await outboxDrained(svc);

    expect(await onHand(svc, 'DESK-1')).toBe(7);
    expect(await onHand(svc, 'LAMP-1')).toBe(2);
    expect(await movements(orderId)).toHaveLength(2);
    const deducted = await publishedFor(svc, 'stock.deducted', orderId);
    expect(deducted).toHaveLength(1);
    expect(deducted[0]).toMatchObject({
      subject: orderId,
      causationid: event.id,
      correlationid: event.correlationid,
      data: {
        orderId,
        warehouseId: 'main',
        lines: [
          { sku: 'DESK-1', quantity: 3 },
          { sku: 'LAMP-1', quantity: 3 },
        ],
      },
    });
    expect(await publishedFor(svc, 'stock.insufficient', orderId)).toEqual([]);
  });

  it('deducts all lines or none: one short line leaves every level untouched and is the only shortage', async () => {
    await createItem(svc, 'SOFA-1');
    await createItem(svc, 'RUG-1');
    await receive(svc, 'SOFA-1', 4);
    await receive(svc, 'RUG-1', 1);
    const orderId = randomUUID();
    const event = orderConfirmed(orderId, [
      { sku: 'SOFA-1', quantity: 2 },
      { sku: 'RUG-1', quantity: 3 },
      { sku: 'GHOST-1', quantity: 1 },
    ]);

    await svc.publish(event);
    const [insufficient] = await eventually(async () => {
      const found = await publishedFor(svc, 'stock.insufficient', orderId);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(insufficient.data).toMatchObject({
      orderId,
      shortages: [
        // An unknown SKU is a shortage with nothing available, not an error.
        { sku: 'GHOST-1', requested: 1, available: 0 },
        { sku: 'RUG-1', requested: 3, available: 1 },
      ],
    });
    expect(await onHand(svc, 'SOFA-1')).toBe(4);
    expect(await onHand(svc, 'RUG-1')).toBe(1);
    expect(await movements(orderId)).toEqual([]);
    expect(await svc.dataSource.query('SELECT 1 FROM order_allocations WHERE order_id = $1', [orderId])).toEqual([]);
    expect(await publishedFor(svc, 'stock.deducted', orderId)).toEqual([]);
  });

  it('serves an order from the first warehouse by priority that has every line', async () => {
    await svc.as(ADMIN).post('/api/v1/warehouses').send({ id: 'east', name: 'East', priority: 10 }).expect(201);
    await createItem(svc, 'BED-1');
    await createItem(svc, 'PILLOW-1');
    await receive(svc, 'BED-1', 5, 'main');
    await receive(svc, 'BED-1', 5, 'east');
    await receive(svc, 'PILLOW-1', 5, 'east');
    const orderId = randomUUID();
    const event = orderConfirmed(orderId, [
      { sku: 'BED-1', quantity: 1 },
      { sku: 'PILLOW-1', quantity: 2 },
    ]);

    await svc.publish(event);
    await applied(svc, event.id);
    expect(await onHand(svc, 'BED-1', 'main')).toBe(5);
    expect(await onHand(svc, 'BED-1', 'east')).toBe(4);
    expect(await onHand(svc, 'PILLOW-1', 'east')).toBe(3);
    const [deducted] = await eventually(async () => {
      const found = await publishedFor(svc, 'stock.deducted', orderId);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(deducted.data).toMatchObject({ warehouseId: 'east' });
  });

  it('puts back exactly what a cancelled order took, once; a cancel with nothing deducted does nothing', async () => {
    await createItem(svc, 'CHAIR-9');
    await receive(svc, 'CHAIR-9', 6);
    const orderId = randomUUID();
    const confirmed = orderConfirmed(orderId, [{ sku: 'CHAIR-9', quantity: 4 }]);
    await svc.publish(confirmed);
    await applied(svc, confirmed.id);
    expect(await onHand(svc, 'CHAIR-9')).toBe(2);

    const cancelled = orderCancelled(orderId);
    const cancelledAgain = orderCancelled(orderId);
    await svc.publish(cancelled, cancelled, cancelledAgain);
    await applied(svc, cancelledAgain.id);
    expect(await onHand(svc, 'CHAIR-9')).toBe(6);
    expect((await movements(orderId)).map((m: { delta: number; reason: string }) => [m.reason, m.delta])).toEqual([
      ['order_deduction', -4],
      ['order_release', 4],
    ]);
    const [allocation] = await svc.dataSource.query('SELECT status FROM order_allocations WHERE order_id = $1', [orderId]);
    expect(allocation.status).toBe('released');

    // A never-deducted order (on hold for a shortage) is cancelled: nothing moves, nothing is published.
    const heldOrder = randomUUID();
    const held = orderConfirmed(heldOrder, [{ sku: 'CHAIR-9', quantity: 100 }]);
    const heldCancelled = orderCancelled(heldOrder, 'on_hold');
    await svc.publish(held, heldCancelled);
    await applied(svc, heldCancelled.id);
    await outboxDrained(svc);

    expect(await onHand(svc, 'CHAIR-9')).toBe(6);
    expect(await movements(heldOrder)).toEqual([]);
    expect(await publishedFor(svc, 'stock.released', heldOrder)).toEqual([]);
    const released = await publishedFor(svc, 'stock.released', orderId);
    expect(released).toHaveLength(1);
    expect(released[0].data).toMatchObject({ orderId, warehouseId: 'main', lines: [{ sku: 'CHAIR-9', quantity: 4 }] });

    // A late re-confirmation of the released order does not take the stock again.
    const late = orderConfirmed(orderId, [{ sku: 'CHAIR-9', quantity: 4 }]);
    await svc.publish(late);
    await applied(svc, late.id);
    expect(await onHand(svc, 'CHAIR-9')).toBe(6);
  });

  it('raises stock.low once per crossing of the reorder point', async () => {
    await createItem(svc, 'PEN-1', 5);
    await receive(svc, 'PEN-1', 10);
    const confirm = async (quantity: number) => {
      const event = orderConfirmed(randomUUID(), [{ sku: 'PEN-1', quantity }]);
      await svc.publish(event);
      await applied(svc, event.id);
    };
    const lowAlerts = async () => {
      await outboxDrained(svc);
      return (await publishedFor(svc, 'stock.low', 'PEN-1', 'sku')).map((e) => e.data);
    };

    await confirm(4); // 6: above
    expect(await lowAlerts()).toEqual([]);
    await confirm(1); // 5: at the reorder point, crosses
    await confirm(2); // 3: still low, no second alert
    expect(await lowAlerts()).toEqual([expect.objectContaining({ sku: 'PEN-1', warehouseId: 'main', onHand: 5, threshold: 5 })]);

    await receive(svc, 'PEN-1', 2); // 5: still at the point, stays armed-off
    expect(await lowAlerts()).toHaveLength(1);
    await receive(svc, 'PEN-1', 10); // 15: above, re-arms
    expect((await svc.dataSource.query(`SELECT low_alerted FROM stock_levels WHERE sku = 'PEN-1'`))[0].low_alerted).toBe(false);
    await confirm(11); // 4: crosses again
    expect(await lowAlerts()).toEqual([expect.objectContaining({ onHand: 5 }), expect.objectContaining({ onHand: 4 })]);
  });

  it('keeps a short order waiting and serves it, oldest first and all or nothing, when stock comes in', async () => {
    await createItem(svc, 'BACK-1');
    await createItem(svc, 'BACK-2');
    await receive(svc, 'BACK-1', 2);
    const first = orderConfirmed(randomUUID(), [{ sku: 'BACK-1', quantity: 3 }]);
    const second = orderConfirmed(randomUUID(), [
      { sku: 'BACK-1', quantity: 2 },
      { sku: 'BACK-2', quantity: 1 },
    ]);
    const cancelled = orderConfirmed(randomUUID(), [{ sku: 'BACK-1', quantity: 5 }]);
    for (const event of [first, second, cancelled]) {
      await svc.publish(event);
      await applied(svc, event.id);
    }
    // 2 on hand: first needs 3, second also needs BACK-2 (none), cancelled needs 5: all three wait.
    expect(await onHand(svc, 'BACK-1')).toBe(2);
    expect(await publishedFor(svc, 'stock.insufficient', first.data.orderId)).toHaveLength(1);
    const cancel = orderCancelled(cancelled.data.orderId, 'on_hold');
    await svc.publish(cancel);
    await applied(svc, cancel.id);

    // +1 BACK-1 → 3: the oldest (first, 3 × BACK-1) is served; second still lacks BACK-2 and keeps waiting quietly.
    const receipt = await svc.as(ADMIN).post('/api/v1/stock/receipts').send({ sku: 'BACK-1', warehouseId: 'main', quantity: 1 }).expect(201);
    expect(receipt.body.servedBackorders).toEqual([first.data.orderId]);
    expect(await onHand(svc, 'BACK-1')).toBe(0);
    // +2 BACK-1 and +1 BACK-2: second is served by the receipt that completes it; the cancelled order never is.
    const partial = await svc.as(ADMIN).post('/api/v1/stock/receipts').send({ sku: 'BACK-1', warehouseId: 'main', quantity: 2 }).expect(201);
    expect(partial.body.servedBackorders).toEqual([]);
    const completing = await svc.as(ADMIN).post('/api/v1/stock/receipts').send({ sku: 'BACK-2', warehouseId: 'main', quantity: 1 }).expect(201);
    expect(completing.body.servedBackorders).toEqual([second.data.orderId]);
    expect(await onHand(svc, 'BACK-1')).toBe(0);
    expect(await onHand(svc, 'BACK-2')).toBe(0);
    expect(await movements(cancelled.data.orderId)).toEqual([]);
    await eventually(async () => {
      expect(await publishedFor(svc, 'stock.deducted', first.data.orderId)).toHaveLength(1);
      expect(await publishedFor(svc, 'stock.deducted', second.data.orderId)).toHaveLength(1);
    });
    // Still one insufficient answer each: waiting never re-announces the shortage.
    expect(await publishedFor(svc, 'stock.insufficient', second.data.orderId)).toHaveLength(1);
    expect(
      await svc.dataSource.query('SELECT order_id FROM backorders WHERE order_id = ANY($1)', [[first, second, cancelled].map((e) => e.data.orderId)]),
    ).toEqual([]);
  });

  it('counts deductions by outcome and exposes the low-stock gauge on /metrics', async () => {
    const res = await svc.as(ADMIN).get('/metrics').expect(200);
    expect(res.text).toMatch(/inventory_stock_deductions_total\{[^}]*outcome="deducted"[^}]*\} [1-9]/);
    expect(res.text).toMatch(/inventory_stock_deductions_total\{[^}]*outcome="insufficient"[^}]*\} [1-9]/);
    expect(res.text).toMatch(/inventory_low_stock_levels\{[^}]*\} [1-9]/);
    expect(res.text).toMatch(/inventory_stock_low_alerts_total\{[^}]*\} [1-9]/);
  });
});
