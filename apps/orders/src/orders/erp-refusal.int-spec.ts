import { randomUUID } from 'node:crypto';
import { createEvent } from '@crm/contracts';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { ordersSettings } from '../orders.settings';

// ADR 0013: inventory's or finance's ERP refused its step; orders holds the order, alerts rep and finance, and an
// operator retries it once the ERP's data is fixed.
const now = () => new Date().toISOString();
const team = 'north';
const rep = { sub: randomUUID(), roles: ['sales_rep'], team };
const manager = { sub: randomUUID(), roles: ['sales_manager'], team };
const admin = { sub: randomUUID(), roles: ['admin'] };

describe('orders held by an ERP refusal (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const eventsFor = async (name: Parameters<TestService['published']>[0], orderId: string) => (await svc.published(name)).filter((e) => e.subject === orderId);
  const published = (name: Parameters<TestService['published']>[0], orderId: string, n = 1) =>
    eventually(async () => {
      const found = await eventsFor(name, orderId);
      expect(found).toHaveLength(n);
      return found;
    });
  const orderOf = async (id: string) => (await svc.as(admin).get(`/api/v1/orders/${id}`).expect(200)).body;
  const statusOf = async (id: string) => (await orderOf(id)).status as string;

  beforeAll(async () => {
    svc = await startTestService('orders', (c) => AppModule.forRoot(c), { settings: ordersSettings });
    await svc.publish(createEvent('item.upserted', { subject: 'ERP-SKU', data: { sku: 'ERP-SKU', name: 'Pump', active: true, updatedAt: now() } }));
    await eventually(async () => expect((await svc.dataSource.query('SELECT 1 FROM catalogue_items')).length).toBe(1));
  });
  afterAll(() => svc?.close());

  async function confirmedOrder(): Promise<string> {
    const body = {
      customer: { name: 'Wang Fang' },
      currency: 'CNY',
      paymentTerms: 'NET30',
      lines: [{ sku: 'ERP-SKU', productName: 'Pump', quantity: 2, unitPrice: '50.00' }],
    };
    const { id } = (await svc.as(rep).post('/api/v1/orders').send(body).expect(201)).body;
    await svc.as(rep).post(`/api/v1/orders/${id}/submit`).expect(200);
    await svc.as(manager).post(`/api/v1/orders/${id}/confirm`).expect(200);
    return id;
  }
  const deducted = (orderId: string) =>
    createEvent('stock.deducted', { subject: orderId, data: { orderId, warehouseId: 'erp-main', lines: [{ sku: 'ERP-SKU', quantity: 2 }], at: now() } });

  it("inventory's refusal: on hold with the ERP's reason in the order and its history, rep and finance alerted, once", async () => {
    const id = await confirmedOrder();
    const reason = 'ERP refused POST /stock/deductions with 422: {"error":"customer account blocked"}';
    const refused = createEvent('stock.deduction_refused', { subject: id, data: { orderId: id, erpStatus: 422, reason, at: now() } });
    await svc.publish(refused, refused); // delivered twice: one hold, one pair of alerts

    await eventually(async () => expect(await statusOf(id)).toBe('on_hold'));
    const held = await orderOf(id);
    const holdReason = `ERP refused the stock deduction (HTTP 422): ${reason}`;
    expect(held).toMatchObject({ holdKind: 'erp_refused', holdReason, erpRefusal: { step: 'inventory', erpStatus: 422, reason } });
    expect(held.history.at(-1)).toMatchObject({ fromStatus: 'confirmed', toStatus: 'on_hold', by: 'system', note: holdReason });

    const [onHold] = await published('order.on_hold', id);
    expect(onHold.data).toMatchObject({ kind: 'erp_refused', erpStep: 'inventory', erpStatus: 422, notify: ['rep', 'finance'], repId: rep.sub });
    const alerts = (await svc.as(admin).get(`/api/v1/alerts?orderId=${id}`).expect(200)).body.items;
    expect(alerts.map((a: { audience: string; kind: string }) => [a.audience, a.kind]).sort()).toEqual([
      ['finance', 'erp_refused'],
      ['rep', 'erp_refused'],
    ]);
    const financeQueue = (await svc.as(admin).get(`/api/v1/alerts?audience=finance&kind=erp_refused&orderId=${id}`).expect(200)).body.items;
    expect(financeQueue).toEqual([expect.objectContaining({ orderId: id, repId: rep.sub, details: expect.objectContaining({ step: 'inventory', reason }) })]);
    const repSees = (await svc.as(rep).get(`/api/v1/alerts?orderId=${id}&audience=rep`).expect(200)).body.items;
    expect(repSees).toHaveLength(1);
  });

  it("finance's refusal holds even an allocated order; a late stock.deducted does not allocate it; the operator's retry completes the saga", async () => {
    const id = await confirmedOrder();
    await svc.publish(deducted(id));
    await eventually(async () => expect(await statusOf(id)).toBe('allocated'));

    const refused = createEvent('receivable.refused', {
      subject: id,
      data: { orderId: id, erpStatus: 409, reason: 'ERP refused POST /receivables with 409: duplicate invoice number', at: now() },
    });
    await svc.publish(refused);
    await eventually(async () => expect(await statusOf(id)).toBe('on_hold'));
    const [onHold] = await published('order.on_hold', id);
    expect(onHold.data).toMatchObject({ kind: 'erp_refused', erpStep: 'finance', erpStatus: 409, notify: ['rep', 'finance'] });
    expect((await orderOf(id)).erpRefusal).toMatchObject({ step: 'finance', erpStatus: 409 });

    // Inventory's answer to the first confirmation arriving late: the order stays held (inventory puts that stock back).
    await svc.publish(deducted(id));
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await statusOf(id)).toBe('on_hold');

    // Only an operator retries: a rep may not; a manager may.
    await svc.as(rep).post(`/api/v1/orders/${id}/erp-retry`).expect(403);
    const retried = await svc.as(manager).post(`/api/v1/orders/${id}/erp-retry`).expect(200);
    expect(retried.body).toMatchObject({ status: 'confirmed', holdKind: null, holdReason: null, erpRefusal: null });
    const [retry] = await published('order.erp_retry_requested', id);
    expect(retry.data).toMatchObject({ orderId: id, total: '100.00', currency: 'CNY', paymentTerms: 'NET30', by: manager.sub, repId: rep.sub });
    expect((retry.data as { lines: unknown[] }).lines).toEqual([expect.objectContaining({ sku: 'ERP-SKU', quantity: 2 })]);
    // A second retry finds nothing held.
    expect((await svc.as(manager).post(`/api/v1/orders/${id}/erp-retry`).expect(409)).body.code).toBe('NOT_HELD_BY_ERP');

    // The steps run again: inventory deducts, the order is allocated.
    await svc.publish(deducted(id));
    await eventually(async () => expect(await statusOf(id)).toBe('allocated'));
    const history = (await orderOf(id)).history.map((h: { fromStatus: string; toStatus: string; by: string }) => [h.fromStatus, h.toStatus, h.by]);
    expect(history.slice(-3)).toEqual([
      ['allocated', 'on_hold', 'system'],
      ['on_hold', 'confirmed', manager.sub],
      ['confirmed', 'allocated', 'system'],
    ]);
  });
});
