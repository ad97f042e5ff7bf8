import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { openEvents, personalDataVault } from '@crm/privacy';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { ordersSettings } from '../orders.settings';
import { DelayAlertsJob } from '../alerts/delay-alerts.job';

const now = () => new Date().toISOString();
const team = 'east';
const rep = { sub: randomUUID(), roles: ['sales_rep'], team };
const otherRep = { sub: randomUUID(), roles: ['sales_rep'], team: 'west' };
const manager = { sub: randomUUID(), roles: ['sales_manager'], team };
const integration = { sub: 'erp-bridge', roles: ['integration'] };

const order = (overrides: Record<string, unknown> = {}) => ({
  customer: { name: 'Li Wei', company: 'Acme Trading', email: 'li.wei@acme.example' },
  currency: 'USD',
  paymentTerms: 'NET30',
  promisedDeliveryDate: '2027-01-15',
  lines: [
    { sku: 'PUMP-200', productName: 'Pump 200 W', quantity: 3, unitPrice: '19.99', discount: '5' },
    { sku: 'VALVE-10', productName: 'Valve 10 mm', quantity: 2, unitPrice: '100.10' },
  ],
  ...overrides,
});

describe('orders service (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const count = async (sql: string, params: unknown[] = []) => Number((await svc.dataSource.query(sql, params))[0].n);
  const eventsFor = async (name: Parameters<TestService['published']>[0], orderId: string) => (await svc.published(name)).filter((e) => e.subject === orderId);
  const outboxFor = (orderId: string) => count('SELECT count(*) AS n FROM outbox WHERE message_key = $1', [orderId]);

  beforeAll(async () => {
    svc = await startTestService('orders', (c) => AppModule.forRoot(c), { env: { ORDERS_AUTO_CONFIRM_LIMITS: 'EUR:500' }, settings: ordersSettings });
    const item = (sku: string, active = true) => createEvent('item.upserted', { subject: sku, data: { sku, name: sku, active, updatedAt: now() } });
    await svc.publish(item('PUMP-200'), item('VALVE-10'), item('OLD-1', false));
    await svc.publish(
      createEvent('rep.upserted', {
        subject: rep.sub,
        data: { repId: rep.sub, name: 'Rep A', email: 'a@crm.example', team, capacity: 10, active: true, updatedAt: now() },
      }),
    );
    await eventually(async () => expect(await count('SELECT count(*) AS n FROM catalogue_items')).toBe(3));
    await eventually(async () => expect(await count('SELECT count(*) AS n FROM reps')).toBe(1));
  });
  afterAll(() => svc?.close());

  async function confirmedOrder(body = order()) {
    const created = await svc.as(rep).post('/api/v1/orders').send(body).expect(201);
    await svc.as(rep).post(`/api/v1/orders/${created.body.id}/submit`).expect(200);
    const confirmed = await svc.as(manager).post(`/api/v1/orders/${created.body.id}/confirm`).expect(200);
    return confirmed.body as { id: string; status: string; total: string; version: number };
  }

  it('drafts, submits and confirms with exact money, history and events; inventory allocates it exactly once', async () => {
    const created = await svc.as(rep).post('/api/v1/orders').send(order()).expect(201);
    expect(created.body).toMatchObject({ status: 'draft', total: '255.17', repId: rep.sub, team, paymentTerms: 'NET30' });
    expect(created.headers.etag).toBe(`"${created.body.version}"`);
    expect(created.body.lines.map((l: { lineTotal: string }) => l.lineTotal)).toEqual(['54.97', '200.20']);
    const id = created.body.id;
    await svc.as(rep).post(`/api/v1/orders/${id}/submit`).expect(200);
    await svc.as(rep).post(`/api/v1/orders/${id}/confirm`).expect(403);
    const confirmed = await svc.as(manager).post(`/api/v1/orders/${id}/confirm`).expect(200);
    expect(confirmed.body.status).toBe('confirmed');

    const [event] = await eventually(async () => {
      const found = await eventsFor('order.confirmed', id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(event.data).toMatchObject({ orderId: id, total: '255.17', currency: 'USD', autoConfirmed: false, by: manager.sub, team });

    const deducted = createEvent('stock.deducted', {
      subject: id,
      data: {
        orderId: id,
        warehouseId: 'main',
        lines: [
          { sku: 'PUMP-200', quantity: 3 },
          { sku: 'VALVE-10', quantity: 2 },
        ],
        at: now(),
      },
    });
    await svc.publish(deducted, deducted, deducted);
    await eventually(async () => expect((await svc.as(rep).get(`/api/v1/orders/${id}`)).body.status).toBe('allocated'));
    const outboxAfter = await outboxFor(id);
    // A redelivery under a new id (a re-sent answer) is moot too: the order has moved on.
    await svc.publish({ ...deducted, id: randomUUID() } as EventEnvelope);
    await new Promise((r) => setTimeout(r, 1_500));
    const detail = (await svc.as(rep).get(`/api/v1/orders/${id}`).expect(200)).body;
    expect(detail.history.map((h: { toStatus: string }) => h.toStatus)).toEqual(['draft', 'submitted', 'confirmed', 'allocated']);
    expect(detail.history[2]).toMatchObject({ fromStatus: 'submitted', by: manager.sub });
    expect(await outboxFor(id)).toBe(outboxAfter);
    expect(await eventsFor('order.allocated', id)).toHaveLength(1);
  });

  it('auto-confirms an order under the configured limit of its currency', async () => {
    const created = await svc
      .as(rep)
      .post('/api/v1/orders')
      .send(order({ currency: 'EUR', lines: [{ sku: 'PUMP-200', productName: 'Pump', quantity: 1, unitPrice: '499.99' }] }))
      .expect(201);
    const submitted = await svc.as(rep).post(`/api/v1/orders/${created.body.id}/submit`).expect(200);
    expect(submitted.body).toMatchObject({ status: 'confirmed', autoConfirmed: true });
    const atLimit = await svc
      .as(rep)
      .post('/api/v1/orders')
      .send(order({ currency: 'EUR', lines: [{ sku: 'PUMP-200', productName: 'Pump', quantity: 1, unitPrice: '500' }] }))
      .expect(201);
    expect((await svc.as(rep).post(`/api/v1/orders/${atLimit.body.id}/submit`).expect(200)).body.status).toBe('submitted');
  });

  it('puts an order on hold when stock is short and alerts its rep, only its rep', async () => {
    const { id } = await confirmedOrder();
    const shortage = createEvent('stock.insufficient', {
      subject: id,
      data: { orderId: id, shortages: [{ sku: 'VALVE-10', requested: 2, available: 1 }], at: now() },
    });
    await svc.publish(shortage, shortage);
    await eventually(async () => expect((await svc.as(rep).get(`/api/v1/orders/${id}`)).body.status).toBe('on_hold'));
    const alerts = (await svc.as(rep).get(`/api/v1/alerts?orderId=${id}`).expect(200)).body.items;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'stock_shortage', repId: rep.sub });
    expect(alerts[0].message).toContain('VALVE-10 needs 2, has 1');
    expect((await svc.as(otherRep).get(`/api/v1/alerts?orderId=${id}`).expect(200)).body.items).toHaveLength(0);
    expect((await svc.as(manager).get(`/api/v1/alerts?orderId=${id}`).expect(200)).body.items).toHaveLength(1);
    const [onHold] = await eventually(async () => {
      const found = await eventsFor('order.on_hold', id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(onHold.data).toMatchObject({ repId: rep.sub, shortages: [{ sku: 'VALVE-10', requested: 2, available: 1 }] });
    await svc.as(rep).post(`/api/v1/alerts/${alerts[0].id}/acknowledge`).expect(201);
    expect((await svc.as(rep).get(`/api/v1/alerts?orderId=${id}&open=true`).expect(200)).body.items).toHaveLength(0);
  });

  it('refuses bad input with problem+json and stores and publishes nothing', async () => {
    const orders = await count('SELECT count(*) AS n FROM orders');
    const outbox = await count('SELECT count(*) AS n FROM outbox');
    const cases: [unknown, number, string][] = [
      [order({ sneaky: true }), 400, 'sneaky'],
      [order({ lines: [{ sku: 'PUMP-200', productName: 'Pump', quantity: -1, unitPrice: '1' }] }), 400, 'lines[0].quantity'],
      [order({ lines: [{ sku: 'NOPE-1', productName: 'Ghost', quantity: 1, unitPrice: '1' }] }), 400, 'lines[0].sku'],
      [order({ lines: [{ sku: 'OLD-1', productName: 'Retired', quantity: 1, unitPrice: '1' }] }), 400, 'lines[0].sku'],
      [order({ lines: [{ sku: 'PUMP-200', productName: 'Pump', quantity: 1, unitPrice: '1.5', discount: '2' }] }), 400, 'lines[0].discount'],
      [order({ lines: [{ sku: 'PUMP-200', productName: 'Pump', quantity: 1, unitPrice: '1.23456' }] }), 400, 'lines[0].unitPrice'],
      [order({ lines: [{ sku: 'PUMP-200', productName: 'Pump', quantity: 1_000_000, unitPrice: '999999999999999' }] }), 400, 'lines[0].quantity'],
      [order({ paymentTerms: 'whenever' }), 400, 'paymentTerms'],
      [order({ repId: otherRep.sub }), 400, 'repId'],
    ];
    for (const [body, status, field] of cases) {
      const res = await svc
        .as(rep)
        .post('/api/v1/orders')
        .send(body as object)
        .expect(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const malformed = await svc.as(rep).post('/api/v1/orders').set('content-type', 'application/json').send('{"customer": ').expect(400);
    expect(malformed.headers['content-type']).toMatch(/application\/problem\+json/);
    await svc.as(rep).get(`/api/v1/orders/${randomUUID()}`).expect(404);
    await svc.as(rep).post(`/api/v1/orders/${randomUUID()}/submit`).expect(404);
    await request(svc.app.getHttpServer()).post('/api/v1/orders').send(order()).expect(401);
    expect(await count('SELECT count(*) AS n FROM orders')).toBe(orders);
    expect(await count('SELECT count(*) AS n FROM outbox')).toBe(outbox);
  });

  it('answers an illegal transition with 409 naming what is allowed, and a stale If-Match with 412', async () => {
    const created = await svc.as(rep).post('/api/v1/orders').send(order()).expect(201);
    const id = created.body.id;
    const res = await svc.as(manager).post(`/api/v1/orders/${id}/confirm`).expect(409);
    expect(res.body).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(res.body.detail).toContain('allowed from: submitted');
    await svc.as(rep).post(`/api/v1/orders/${id}/submit`).set('if-match', '"99"').expect(412);
    await svc.as(rep).post(`/api/v1/orders/${id}/submit`).set('if-match', `"${created.body.version}"`).expect(200);
    expect(await count('SELECT count(*) AS n FROM order_status_history WHERE order_id = $1', [id])).toBe(2);
  });

  it('tracks production, shipment and delivery; payment completes it; feedback is opened, recorded once and published', async () => {
    const { id } = await confirmedOrder();
    await svc.publish(
      createEvent('stock.deducted', { subject: id, data: { orderId: id, warehouseId: 'main', lines: [{ sku: 'PUMP-200', quantity: 3 }], at: now() } }),
    );
    await eventually(async () => expect((await svc.as(rep).get(`/api/v1/orders/${id}`)).body.status).toBe('allocated'));

    await svc.as(rep).post(`/api/v1/orders/${id}/feedback`).send({ rating: 5, category: 'service' }).expect(409);
    expect((await svc.as(integration).post(`/api/v1/orders/${id}/tracking`).send({ kind: 'production', percent: 40 }).expect(200)).body).toMatchObject({
      status: 'in_production',
      productionPercent: 40,
    });
    await svc.as(integration).post(`/api/v1/orders/${id}/tracking`).send({ kind: 'production', percent: 100, note: 'done' }).expect(200);
    await svc.as(integration).post(`/api/v1/orders/${id}/tracking`).send({ kind: 'shipment', carrier: 'SF Express' }).expect(400);
    const shipped = await svc
      .as(integration)
      .post(`/api/v1/orders/${id}/tracking`)
      .send({ kind: 'shipment', carrier: 'SF Express', trackingNumber: 'SF123' })
      .expect(200);
    expect(shipped.body).toMatchObject({ status: 'shipped', carrier: 'SF Express', trackingNumber: 'SF123' });
    await svc.as(rep).post(`/api/v1/orders/${id}/cancel`).send({ reason: 'too late' }).expect(409);
    await svc.as(integration).post(`/api/v1/orders/${id}/tracking`).send({ kind: 'logistics', location: 'Shanghai hub' }).expect(200);
    expect((await svc.as(integration).post(`/api/v1/orders/${id}/tracking`).send({ kind: 'delivered' }).expect(200)).body.status).toBe('delivered');

    await svc.publish(
      createEvent('payment.received', {
        subject: randomUUID(),
        data: { paymentId: randomUUID(), receivableId: randomUUID(), orderId: id, amount: '255.17', currency: 'USD', outstanding: '0.00', receivedAt: now() },
      }),
    );
    await eventually(async () => expect((await svc.as(rep).get(`/api/v1/orders/${id}`)).body).toMatchObject({ status: 'completed', paymentStatus: 'paid' }));
    const opened = (await svc.as(rep).get(`/api/v1/orders/${id}/feedback`).expect(200)).body;
    expect(opened).toMatchObject({ request: { status: 'open' }, feedback: null });

    await svc.as(rep).post(`/api/v1/orders/${id}/feedback`).send({ rating: 6, category: 'service' }).expect(400);
    const recorded = await svc
      .as(rep)
      .post(`/api/v1/orders/${id}/feedback`)
      .send({ rating: 2, category: 'delivery', comment: 'box was dented', complaint: true })
      .expect(201);
    expect(recorded.body).toMatchObject({ request: { status: 'answered' }, feedback: { rating: 2, category: 'delivery', complaint: true } });
    await svc.as(rep).post(`/api/v1/orders/${id}/feedback`).send({ rating: 4, category: 'service' }).expect(409);
    const [feedback] = await eventually(async () => {
      const found = await eventsFor('order.feedback_received', id);
      expect(found).toHaveLength(1);
      return found;
    });
    // The comment is the customer's words: sealed on the topic, opened with the order's key.
    expect(feedback.data).not.toHaveProperty('comment');
    await openEvents([feedback], personalDataVault());
    expect(feedback.data).toMatchObject({ orderId: id, repId: rep.sub, rating: 2, category: 'delivery', complaint: true, comment: 'box was dented' });
    expect(await eventsFor('order.completed', id)).toHaveLength(1);
    const detail = (await svc.as(rep).get(`/api/v1/orders/${id}`)).body;
    expect(detail.history.map((h: { toStatus: string }) => h.toStatus)).toEqual([
      'draft',
      'submitted',
      'confirmed',
      'allocated',
      'in_production',
      'shipped',
      'delivered',
      'completed',
    ]);
    expect(detail.tracking.map((t: { kind: string }) => t.kind)).toEqual(['production', 'production', 'shipment', 'logistics', 'delivered']);
  });

  it('cancels until shipped; a late inventory answer for a cancelled order changes nothing', async () => {
    const { id } = await confirmedOrder();
    const cancelled = await svc.as(rep).post(`/api/v1/orders/${id}/cancel`).send({ reason: 'customer withdrew' }).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'customer withdrew' });
    const [event] = await eventually(async () => {
      const found = await eventsFor('order.cancelled', id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(event.data).toMatchObject({ previousStatus: 'confirmed', reason: 'customer withdrew', by: rep.sub });
    await svc.publish(
      createEvent('stock.deducted', { subject: id, data: { orderId: id, warehouseId: 'main', lines: [{ sku: 'PUMP-200', quantity: 3 }], at: now() } }),
    );
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await svc.as(rep).get(`/api/v1/orders/${id}`)).body.status).toBe('cancelled');
    await svc.as(rep).post(`/api/v1/orders/${id}/cancel`).send({ reason: 'again' }).expect(409);
  });

  it('raises exactly one delay alert per delay, however often and however concurrently the job runs', async () => {
    const late = await confirmedOrder(order({ promisedDeliveryDate: '2026-11-01' }));
    const onTime = await confirmedOrder(order({ promisedDeliveryDate: '2027-06-01' }));
    const job = svc.app.get(DelayAlertsJob);
    const today = new Date('2026-11-27T09:00:00Z');
    const runs = await Promise.all([job.scan(today), job.scan(today), job.scan(today)]);
    await job.scan(today);
    expect(runs.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    const alerts = (await svc.as(rep).get(`/api/v1/alerts?kind=past_promised_date`).expect(200)).body.items;
    expect(alerts.filter((a: { orderId: string }) => a.orderId === late.id)).toHaveLength(1);
    expect(alerts.filter((a: { orderId: string }) => a.orderId === onTime.id)).toHaveLength(0);
    const [delayed] = await eventually(async () => {
      const found = await eventsFor('order.delayed', late.id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(delayed.data).toMatchObject({ reason: 'past_promised_date', daysLate: 26, promisedDeliveryDate: '2026-11-01', repId: rep.sub });
    // A cancelled order is no longer anyone's delay, however far its promise has passed.
    const cancelled = await confirmedOrder(order({ promisedDeliveryDate: '2026-10-01' }));
    await svc.as(rep).post(`/api/v1/orders/${cancelled.id}/cancel`).send({ reason: 'customer withdrew' }).expect(200);
    expect(await job.scan(today)).toBe(0);
    expect(await count('SELECT count(*) AS n FROM alerts WHERE order_id = $1', [cancelled.id])).toBe(0);
  });

  it('alerts on a reported quality problem at once', async () => {
    const { id } = await confirmedOrder();
    await svc.as(integration).post(`/api/v1/orders/${id}/tracking`).send({ kind: 'quality_problem' }).expect(400);
    await svc.as(integration).post(`/api/v1/orders/${id}/tracking`).send({ kind: 'quality_problem', note: 'seal leaks in batch 7' }).expect(200);
    const alerts = (await svc.as(rep).get(`/api/v1/alerts?orderId=${id}&kind=quality_problem`).expect(200)).body.items;
    expect(alerts).toHaveLength(1);
    const [event] = await eventually(async () => {
      const found = await eventsFor('order.delayed', id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(event.data).toMatchObject({ reason: 'quality_problem', note: 'seal leaks in batch 7' });
  });

  it('drafts one order per won opportunity, however often the event arrives', async () => {
    const opportunityId = randomUUID();
    const won = createEvent('opportunity.won', {
      subject: opportunityId,
      data: {
        opportunityId,
        leadId: null,
        repId: rep.sub,
        customer: { name: 'Zhang San' },
        currency: 'CNY',
        amount: '1000.00',
        lines: [{ sku: 'PUMP-200', productName: 'Pump', quantity: 10, unitPrice: '100' }],
        paymentTerms: 'NET60',
        createdAt: now(),
        wonAt: now(),
      },
    });
    await svc.publish(won, won, { ...won, id: randomUUID() } as EventEnvelope);
    const drafts = await eventually(async () => {
      const page = (await svc.as(rep).get('/api/v1/orders?customer=zhang').expect(200)).body.items;
      expect(page).toHaveLength(1);
      return page;
    });
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await svc.as(rep).get('/api/v1/orders?customer=zhang').expect(200)).body.items).toHaveLength(1);
    expect(drafts[0]).toMatchObject({ status: 'draft', opportunityId, team, total: '1000.00', paymentTerms: 'NET60', currency: 'CNY' });
  });

  it("shows a rep only their own orders, a manager their team's, in cursor pages with filters", async () => {
    const mine = await svc
      .as(rep)
      .post('/api/v1/orders')
      .send(order({ customer: { name: 'Paging Test Co' } }))
      .expect(201);
    const theirs = await svc
      .as(otherRep)
      .post('/api/v1/orders')
      .send(order({ customer: { name: 'Paging Test Co' } }))
      .expect(201);
    await svc.as(otherRep).get(`/api/v1/orders/${mine.body.id}`).expect(404);
    await svc.as(manager).get(`/api/v1/orders/${mine.body.id}`).expect(200);
    await svc.as(manager).get(`/api/v1/orders/${theirs.body.id}`).expect(404);
    const all: { id: string; repId: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string; repId: string }[]; nextCursor: string | null } } = await svc
        .as(rep)
        .get(`/api/v1/orders?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
        .expect(200);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(all.every((o) => o.repId === rep.sub)).toBe(true);
    expect(new Set(all.map((o) => o.id)).size).toBe(all.length);
    expect(all.map((o) => o.id)).toContain(mine.body.id);
    expect(all.length).toBe(await count('SELECT count(*) AS n FROM orders WHERE rep_id = $1', [rep.sub]));
    const drafts = (await svc.as(manager).get(`/api/v1/orders?status=draft&repId=${rep.sub}&customer=paging`).expect(200)).body.items;
    expect(drafts.map((o: { id: string }) => o.id)).toEqual([mine.body.id]);
  });
});
