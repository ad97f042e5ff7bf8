import { randomUUID } from 'node:crypto';
import { createEvent, historicalId } from '@crm/contracts';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { ordersSettings } from '../orders.settings';

const admin = { sub: randomUUID(), roles: ['admin'] };
const integration = { sub: 'old-erp', roles: ['integration'] };
const manager = { sub: randomUUID(), roles: ['sales_manager'], team: 'east' };
const rep = { sub: randomUUID(), roles: ['sales_rep'], team: 'east' };

const base = (externalId: string) => ({
  externalId,
  customer: { name: 'Li Wei', company: 'Acme Trading' },
  repId: rep.sub,
  team: 'east',
  region: 'east',
  currency: 'EUR',
  lines: [
    { sku: 'PUMP-200', productName: 'Pump 200 W', quantity: 2, unitPrice: '1500.00' },
    { sku: 'VALVE-10', productName: 'Valve 10 mm', quantity: 10, unitPrice: '20.00', discount: '10.00' },
  ],
  createdAt: '2025-03-14T10:00:00Z',
});
/** Confirmed 2025-03-15, shipped, delivered and completed (paid) in April 2025. */
const completed = (externalId: string) => ({
  ...base(externalId),
  opportunityExternalId: `deal-of-${externalId}`,
  statusChanges: [
    { status: 'submitted', at: '2025-03-14T12:00:00Z' },
    { status: 'confirmed', at: '2025-03-15T09:00:00Z' },
    { status: 'allocated', at: '2025-03-16T09:00:00Z' },
    { status: 'shipped', at: '2025-03-20T09:00:00Z' },
    { status: 'delivered', at: '2025-03-25T09:00:00Z' },
    { status: 'completed', at: '2025-04-20T09:00:00Z' },
  ],
  carrier: 'DHL',
  trackingNumber: 'JD0001',
});
const cancelled = (externalId: string) => ({
  ...base(externalId),
  statusChanges: [
    { status: 'submitted', at: '2025-05-01T09:00:00Z' },
    { status: 'confirmed', at: '2025-05-02T09:00:00Z' },
    { status: 'cancelled', at: '2025-05-03T09:00:00Z' },
  ],
  cancelReason: 'customer changed their mind',
});

describe('historical import of orders (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => svc.dataSource.query(sql, params) as Promise<T[]>;
  const post = (who: { sub: string; roles: string[] }, orders: object[]) => svc.as(who).post('/api/v1/history/orders').send({ orders });
  const eventsOf = async (id: string) => {
    const names = [
      'order.drafted',
      'order.submitted',
      'order.confirmed',
      'order.allocated',
      'order.status_changed',
      'order.shipped',
      'order.delivered',
    ] as const;
    const all = await Promise.all([...names, 'order.completed' as const, 'order.cancelled' as const].map((n) => svc.published(n)));
    return all.flat().filter((e) => e.subject === id);
  };

  beforeAll(async () => {
    svc = await startTestService('orders', (config) => AppModule.forRoot(config), { settings: ordersSettings });
  });
  afterAll(() => svc?.close());

  it('keeps the original dates of the draft and every status change, and publishes the confirmation as historical', async () => {
    const res = await post(integration, [completed('SO-1')]).expect(200);
    const id = historicalId('order', 'SO-1');
    expect(res.body).toEqual({ imported: 1, alreadyImported: 0, records: [{ externalId: 'SO-1', id, outcome: 'imported' }] });
    const [o] = await rows<Record<string, unknown>>('SELECT * FROM orders WHERE id = $1', [id]);
    expect(o).toMatchObject({ status: 'completed', payment_status: 'paid', total: '3190.0000', opportunity_id: historicalId('opportunity', 'deal-of-SO-1') });
    expect((o.created_at as Date).toISOString()).toBe('2025-03-14T10:00:00.000Z');
    const history = await rows<{ to_status: string; at: Date }>('SELECT to_status, at FROM order_status_history WHERE order_id = $1 ORDER BY at', [id]);
    expect(history.map((h) => `${h.to_status} ${h.at.toISOString()}`)).toEqual([
      'draft 2025-03-14T10:00:00.000Z',
      'submitted 2025-03-14T12:00:00.000Z',
      'confirmed 2025-03-15T09:00:00.000Z',
      'allocated 2025-03-16T09:00:00.000Z',
      'shipped 2025-03-20T09:00:00.000Z',
      'delivered 2025-03-25T09:00:00.000Z',
      'completed 2025-04-20T09:00:00.000Z',
    ]);
    // after-sales of a past order is not asked for again
    expect(await rows('SELECT * FROM feedback_requests WHERE order_id = $1', [id])).toEqual([]);
    const events = await eventually(async () => {
      const found = await eventsOf(id);
      expect(found).toHaveLength(1 + 6 + 6);
      return found;
    });
    const one = (type: string) => events.find((e) => e.type === `crm.${type}`)!;
    expect(one('order.drafted')).toMatchObject({ time: '2025-03-14T10:00:00.000Z', data: { draftedAt: '2025-03-14T10:00:00.000Z' } });
    expect(one('order.confirmed')).toMatchObject({
      time: '2025-03-15T09:00:00.000Z',
      data: { confirmedAt: '2025-03-15T09:00:00.000Z', total: '3190.00', historical: true },
    });
    expect(one('order.shipped')).toMatchObject({ time: '2025-03-20T09:00:00.000Z', data: { shippedAt: '2025-03-20T09:00:00.000Z', carrier: 'DHL' } });
    expect(one('order.completed')).toMatchObject({ time: '2025-04-20T09:00:00.000Z', data: { completedAt: '2025-04-20T09:00:00.000Z' } });
    for (const e of events.filter((x) => x.type === 'crm.order.status_changed')) expect((e.data as { at: string }).at).toBe(e.time);
  });

  it('publishes a historical cancellation, and does nothing twice', async () => {
    await post(admin, [cancelled('SO-2')]).expect(200);
    const id = historicalId('order', 'SO-2');
    const cancel = await eventually(async () => {
      const [found] = (await svc.published('order.cancelled')).filter((e) => e.subject === id);
      expect(found).toBeDefined();
      return found;
    });
    expect(cancel).toMatchObject({ time: '2025-05-03T09:00:00.000Z', data: { previousStatus: 'confirmed', historical: true } });
    const snapshot = () =>
      rows('SELECT (SELECT count(*) FROM orders) AS o, (SELECT count(*) FROM order_status_history) AS h, (SELECT count(*) FROM outbox) AS outbox');
    const before = await snapshot();
    const res = await post(admin, [completed('SO-1'), cancelled('SO-2')]).expect(200);
    expect(res.body).toMatchObject({ imported: 0, alreadyImported: 2 });
    expect(await snapshot()).toEqual(before);
  });

  it('drafts no order from a historical win, while a live win still drafts one', async () => {
    const won = (opportunityId: string, historical?: true) =>
      createEvent('opportunity.won', {
        subject: opportunityId,
        data: {
          opportunityId,
          leadId: null,
          repId: rep.sub,
          customer: { name: 'Chen' },
          currency: 'EUR',
          amount: '10.00',
          lines: [{ sku: 'PUMP-200', productName: 'Pump', quantity: 1, unitPrice: '10.00', discount: '0' }],
          createdAt: '2025-01-01T00:00:00Z',
          wonAt: '2025-01-05T00:00:00Z',
          historical,
        },
      });
    const [past, live] = [randomUUID(), randomUUID()];
    await svc.publish(won(past, true), won(live));
    await eventually(async () => expect(await rows('SELECT id FROM orders WHERE opportunity_id = $1', [live])).toHaveLength(1));
    expect(await rows('SELECT id FROM orders WHERE opportunity_id = $1', [past])).toEqual([]);
  });

  it('refuses a request with an invalid record whole, with field errors by record', async () => {
    const before = await rows('SELECT count(*)::int AS n FROM orders');
    const res = await post(admin, [
      base('SO-3'),
      { ...base('SO-4'), statusChanges: [{ status: 'shipped', at: '2025-03-15T00:00:00Z' }] },
      { ...completed('SO-5'), paymentStatus: 'partially_paid', carrier: undefined },
      { ...cancelled('SO-6'), cancelReason: undefined, createdAt: '2025-06-01T00:00:00Z' },
      { ...completed('SO-7'), opportunityExternalId: 'deal-of-SO-1' },
    ])
      .expect(400)
      .expect('content-type', /application\/problem\+json/);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'orders[1].statusChanges[0].status',
        'orders[2].paymentStatus',
        'orders[2].carrier',
        'orders[3].cancelReason',
        'orders[3].statusChanges[0].at',
        'orders[4].opportunityExternalId',
      ]),
    );
    expect(fields.some((f: string) => f.startsWith('orders[0]'))).toBe(false);
    const format = await post(admin, [{ ...base('SO-8'), lines: [], currency: 'euro' }]).expect(400);
    expect(format.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['orders[0].lines', 'orders[0].currency']));
    expect(await rows('SELECT count(*)::int AS n FROM orders')).toEqual(before);
  });

  it('is for admins and integrations only', async () => {
    await post(manager, [base('SO-9')]).expect(403);
    await post(rep, [base('SO-9')]).expect(403);
    expect(await rows('SELECT id FROM orders WHERE id = $1', [historicalId('order', 'SO-9')])).toEqual([]);
  });
});
