import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createEvent, dlqTopic, Topics, type EventOf } from '@crm/contracts';
import { signWebhook } from '@crm/http';
import { eventually, readTopic, testKafka, type TestService } from '@crm/testing';
import { AppModule } from '../src/app.module';
import { StockSyncService } from '../src/erp/stock-sync.service';
import { FakeErp } from '../src/erp/testing/fake-erp';
import { erpServeKey } from '../src/stock/erp-allocation.domain';
import { applied, createItem, onHand, orderConfirmed, outboxDrained, publishedFor, startInventory } from './inventory-fixtures';

const SECRET = 'inventory-erp-saga-webhook-secret';

/** What orders publishes when the ERP refused a step of the saga (ADR 0013): inventory compensates on it. */
const erpHold = (orderId: string, erpStep: 'inventory' | 'finance'): EventOf<'order.on_hold'> =>
  createEvent('order.on_hold', {
    subject: orderId,
    data: {
      orderId,
      repId: randomUUID(),
      reason: `ERP refused ${erpStep}`,
      kind: 'erp_refused',
      erpStep,
      erpStatus: 422,
      notify: ['rep', 'finance'],
      at: new Date().toISOString(),
    },
  });

/** An operator's retry: the order's terms again, under a new event id. */
const erpRetry = (confirmed: EventOf<'order.confirmed'>): EventOf<'order.erp_retry_requested'> => {
  const { autoConfirmed: _a, confirmedAt: _c, ...terms } = confirmed.data;
  return createEvent('order.erp_retry_requested', { subject: terms.orderId, data: { ...terms, by: 'manager-1', requestedAt: new Date().toISOString() } });
};

describe('inventory in the saga with an ERP: backorders served by ERP stock, refusals compensated (fake ERP, real Kafka and PostgreSQL)', () => {
  const erp = new FakeErp();
  let svc: TestService;

  beforeAll(async () => {
    const url = await erp.start();
    svc = await startInventory((config) => AppModule.forRoot(config), {
      INVENTORY_ERP_URL: url,
      INVENTORY_ERP_BACKOFF_MS: '10',
      INVENTORY_ERP_SYNC_INTERVAL_MS: '3600000',
      INVENTORY_ERP_WEBHOOK_SECRET: SECRET,
    });
  });
  afterAll(async () => {
    await svc?.close();
    await erp.close();
  });
  beforeEach(() => {
    erp.refuseDeductions = null;
  });

  const sync = () => svc.app.get(StockSyncService).syncFromErp();
  const deductionsFor = (orderId: string) => erp.requestsTo('/stock/deductions').filter((r) => (r.body as { orderId: string }).orderId === orderId);
  const published = async (name: Parameters<TestService['published']>[0], orderId: string, n = 1) =>
    eventually(async () => {
      const found = await publishedFor(svc, name, orderId);
      expect(found).toHaveLength(n);
      return found;
    });
  const backorder = async (orderId: string) => (await svc.dataSource.query('SELECT order_id FROM backorders WHERE order_id = $1', [orderId])).length > 0;
  const allocation = async (orderId: string) =>
    (await svc.dataSource.query('SELECT status FROM order_allocations WHERE order_id = $1', [orderId]))[0]?.status as string | undefined;

  /** An order the ERP answers "insufficient": it waits in the backorders, as with the built-in ledger. */
  async function waitingOrder(sku: string, quantity: number): Promise<EventOf<'order.confirmed'>> {
    const confirmed = orderConfirmed(randomUUID(), [{ sku, quantity }]);
    await svc.publish(confirmed);
    await published('stock.insufficient', confirmed.data.orderId);
    expect(await backorder(confirmed.data.orderId)).toBe(true);
    return confirmed;
  }

  it('an ERP stock sync serves a waiting order: the ERP deducts it under a new key, stock.deducted follows', async () => {
    await createItem(svc, 'SYNC-A');
    erp.stock.set('SYNC-A', 1);
    await sync();
    const confirmed = await waitingOrder('SYNC-A', 3);
    const { orderId } = confirmed.data;

    erp.stock.set('SYNC-A', 5); // goods arrived in the ERP
    await sync();

    const [deducted] = await published('stock.deducted', orderId);
    expect(deducted.data).toMatchObject({ orderId, warehouseId: 'erp-main', lines: [{ sku: 'SYNC-A', quantity: 3 }] });
    expect(erp.stock.get('SYNC-A')).toBe(2);
    expect(await onHand(svc, 'SYNC-A', 'erp-main')).toBe(2);
    expect(deductionsFor(orderId).map((r) => r.headers['idempotency-key'])).toEqual([confirmed.id, erpServeKey(confirmed.id, 1)]);
    expect(await backorder(orderId)).toBe(false);
    expect(await allocation(orderId)).toBe('deducted');
    expect(await publishedFor(svc, 'stock.insufficient', orderId)).toHaveLength(1); // answered once
  });

  it('the signed ERP stock webhook serves a waiting order right after the receipt', async () => {
    await createItem(svc, 'HOOK-A');
    erp.stock.set('HOOK-A', 0);
    await sync();
    const confirmed = await waitingOrder('HOOK-A', 2);
    const { orderId } = confirmed.data;

    erp.stock.set('HOOK-A', 4);
    const body = JSON.stringify({ eventId: `erp-${randomUUID()}`, type: 'receipt', sku: 'HOOK-A', warehouseId: 'erp-main', quantity: 4 });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await request(svc.app.getHttpServer())
      .post('/api/v1/erp/webhooks/stock')
      .set('content-type', 'application/json')
      .set('x-signature-timestamp', ts)
      .set('x-signature', signWebhook(SECRET, ts, body))
      .send(body)
      .expect(201);

    expect(res.body.servedBackorders).toEqual([orderId]);
    await published('stock.deducted', orderId);
    expect(erp.stock.get('HOOK-A')).toBe(2);
    expect(await onHand(svc, 'HOOK-A', 'erp-main')).toBe(2);
  });

  it('an ERP refusal of a deduction deducts nothing and tells orders (no dead letter); the retry deducts once the ERP accepts', async () => {
    await createItem(svc, 'REF-A');
    erp.stock.set('REF-A', 10);
    await sync();
    erp.refuseDeductions = 422;
    const confirmed = orderConfirmed(randomUUID(), [{ sku: 'REF-A', quantity: 3 }]);
    const { orderId } = confirmed.data;
    await svc.publish(confirmed);

    const [refused] = await published('stock.deduction_refused', orderId);
    expect(refused.data).toMatchObject({
      orderId,
      erpStatus: 422,
      reason: expect.stringMatching(/ERP refused POST \/stock\/deductions with 422.*customer account blocked/),
    });
    expect(erp.stock.get('REF-A')).toBe(10);
    expect(await onHand(svc, 'REF-A', 'erp-main')).toBe(10);
    expect(await allocation(orderId)).toBeUndefined();
    expect(await backorder(orderId)).toBe(false);

    // Orders holds the order: nothing was taken, nothing is put back.
    const hold = erpHold(orderId, 'inventory');
    await svc.publish(hold);
    await applied(svc, hold.id);

    // The ERP's data is fixed; the operator retries.
    erp.refuseDeductions = null;
    const retry = erpRetry(confirmed);
    await svc.publish(retry);
    await published('stock.deducted', orderId);
    expect(deductionsFor(orderId).map((r) => r.headers['idempotency-key'])).toEqual([confirmed.id, retry.id]);
    expect(erp.stock.get('REF-A')).toBe(7);
    expect(await allocation(orderId)).toBe('deducted');
    await outboxDrained(svc);
    expect(await publishedFor(svc, 'stock.released', orderId)).toEqual([]);
    const dead = (await readTopic(await testKafka(), dlqTopic(`${svc.prefix}${Topics.orders}`))).filter((m) => m.key === orderId);
    expect(dead).toEqual([]);
  });

  it("finance's refusal: the hold puts the deducted stock back in the ERP (compensated); the retry deducts it again", async () => {
    await createItem(svc, 'COMP-A');
    erp.stock.set('COMP-A', 10);
    await sync();
    const confirmed = orderConfirmed(randomUUID(), [{ sku: 'COMP-A', quantity: 4 }]);
    const { orderId } = confirmed.data;
    await svc.publish(confirmed);
    await published('stock.deducted', orderId);
    expect(erp.stock.get('COMP-A')).toBe(6);

    const hold = erpHold(orderId, 'finance');
    await svc.publish(hold);
    const [released] = await published('stock.released', orderId);
    expect(released.data).toMatchObject({ orderId, warehouseId: 'erp-main', lines: [{ sku: 'COMP-A', quantity: 4 }] });
    const [release] = erp.requestsTo('/stock/releases').filter((r) => (r.body as { orderId: string }).orderId === orderId);
    expect(release.headers['idempotency-key']).toBe(hold.id);
    expect(erp.stock.get('COMP-A')).toBe(10);
    expect(await onHand(svc, 'COMP-A', 'erp-main')).toBe(10);
    expect(await allocation(orderId)).toBe('compensated');

    // The same hold delivered again (a replay) puts nothing back twice.
    await svc.publish(erpHold(orderId, 'finance'));
    const retry = erpRetry(confirmed);
    await svc.publish(retry);
    await published('stock.deducted', orderId, 2);
    expect(erp.stock.get('COMP-A')).toBe(6);
    expect(await allocation(orderId)).toBe('deducted');
    expect(await publishedFor(svc, 'stock.released', orderId)).toHaveLength(1);
  });
});
