import { randomUUID } from 'node:crypto';
import { createEvent } from '@crm/contracts';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { ordersSettings } from '../orders.settings';

const leaver = { sub: randomUUID(), roles: ['sales_rep'], team: 'east' };
const taker = randomUUID();
const inactive = randomUUID();
const manager = { sub: randomUUID(), roles: ['sales_manager'], team: 'east' };
const admin = { sub: randomUUID(), roles: ['admin'] };
const reason = 'Li Wei moves to the west region';
const now = () => new Date().toISOString();
const rep = (id: string, name: string, active: boolean) =>
  createEvent('rep.upserted', {
    subject: id,
    data: { repId: id, name, email: `${randomUUID()}@crm.example`, team: 'east', capacity: 10, active, updatedAt: now() },
  });
const order = {
  customer: { name: 'Sun Li', company: 'Acme' },
  currency: 'USD',
  lines: [{ sku: 'PUMP-200', productName: 'Pump', quantity: 2, unitPrice: '10.00' }],
};

describe('orders hand-over (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const rows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => svc.dataSource.query(sql, params) as Promise<T[]>;
  const fingerprint = () =>
    rows(`SELECT (SELECT string_agg(id || ':' || rep_id || ':' || version, ',' ORDER BY id) FROM orders) AS orders,
                 (SELECT count(*) FROM order_hand_overs) AS moves, (SELECT count(*) FROM outbox) AS outbox`);
  const draft = async () => (await svc.as(leaver).post('/api/v1/orders').send(order).expect(201)).body as { id: string; version: number };
  const cancelled = async () => {
    const o = await draft();
    await svc.as(leaver).post(`/api/v1/orders/${o.id}/cancel`).send({ reason: 'customer withdrew' }).expect(200);
    return o;
  };

  beforeAll(async () => {
    svc = await startTestService('orders', (c) => AppModule.forRoot(c), { settings: ordersSettings });
    await svc.publish(
      createEvent('item.upserted', { subject: 'PUMP-200', data: { sku: 'PUMP-200', name: 'Pump', active: true, updatedAt: now() } }),
      rep(leaver.sub, 'Li Wei', true),
      rep(taker, 'Wang Fang', true),
      rep(inactive, 'Zhao Lei', false),
    );
    await eventually(async () => expect((await rows('SELECT rep_id FROM reps')).length).toBe(3));
    await eventually(async () => expect((await rows('SELECT sku FROM catalogue_items')).length).toBe(1));
  });
  afterAll(() => svc?.close());

  it('hands one open order over with its reason and its open alerts, and refuses an inactive rep, a cancelled order, a missing reason, changing nothing', async () => {
    const o = await draft();
    const closed = await cancelled();
    await rows(
      `INSERT INTO alerts (id, order_id, rep_id, team, kind, audience, dedupe_key, message, details) VALUES ($1, $2, $3, 'east', 'stock_shortage', 'rep', $4, 'short', '{}')`,
      [randomUUID(), o.id, leaver.sub, `test:${o.id}`],
    );
    const url = `/api/v1/orders/${o.id}/hand-over`;
    const before = await fingerprint();

    const refused = await svc.as(manager).post(url).send({ toRepId: inactive, reason }).expect(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      code: 'REP_INACTIVE',
      detail: expect.stringContaining('Zhao Lei'),
      errors: [expect.objectContaining({ field: 'toRepId' })],
    });
    expect((await svc.as(manager).post(url).send({ toRepId: randomUUID(), reason }).expect(400)).body.code).toBe('UNKNOWN_REP');
    const closedRefused = await svc.as(admin).post(`/api/v1/orders/${closed.id}/hand-over`).send({ toRepId: taker, reason }).expect(409);
    expect(closedRefused.body).toMatchObject({ code: 'RECORD_CLOSED', detail: expect.stringContaining('cancelled') });
    const noReason = await svc.as(manager).post(url).send({ toRepId: taker }).expect(400);
    expect(new Set(noReason.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['reason']));
    await svc.as(leaver).post(url).send({ toRepId: taker, reason }).expect(403);
    await svc.as(manager).post(url).set('if-match', '"99"').send({ toRepId: taker, reason }).expect(412);
    expect(await fingerprint()).toEqual(before);

    const moved = await svc.as(manager).post(url).set('if-match', `"${o.version}"`).send({ toRepId: taker, reason }).expect(200);
    expect(moved.body).toMatchObject({ id: o.id, repId: taker, team: 'east', status: 'draft', version: o.version + 1 });
    expect(await rows('SELECT rep_id FROM alerts WHERE order_id = $1', [o.id])).toEqual([{ rep_id: taker }]);
    expect(await rows('SELECT from_rep_id, to_rep_id, status, reason FROM order_hand_overs WHERE order_id = $1', [o.id])).toEqual([
      { from_rep_id: leaver.sub, to_rep_id: taker, status: 'draft', reason },
    ]);
    await eventually(async () => {
      const events = (await svc.published('order.reassigned')).filter((e) => e.subject === o.id);
      expect(events.map((e) => e.data)).toEqual([
        expect.objectContaining({ orderId: o.id, fromRepId: leaver.sub, toRepId: taker, status: 'draft', reason, by: manager.sub }),
      ]);
    });
  });

  it('moves every open order of the rep on rep.handed_over, each with its event, and leaves closed ones alone', async () => {
    const [a, b, closed] = [await draft(), await draft(), await cancelled()];
    const handOverId = randomUUID();
    const handedOver = createEvent('rep.handed_over', {
      subject: leaver.sub,
      data: { handOverId, fromRepId: leaver.sub, toRepId: taker, toTeam: 'east', reason, kinds: ['orders'], leadsMoved: 0, by: admin.sub, at: now() },
    });
    await svc.publish(handedOver);
    await eventually(async () => {
      const owners = await rows<{ id: string; rep_id: string }>('SELECT id, rep_id FROM orders WHERE id = ANY($1::uuid[])', [[a.id, b.id, closed.id]]);
      expect(Object.fromEntries(owners.map((o) => [o.id, o.rep_id]))).toEqual({ [a.id]: taker, [b.id]: taker, [closed.id]: leaver.sub });
    });
    await eventually(async () => {
      const events = (await svc.published('order.reassigned')).filter((e) => (e.data as { handOverId?: string }).handOverId === handOverId);
      expect(events.map((e) => e.subject).sort()).toEqual([a.id, b.id].sort());
      expect(events.every((e) => (e.data as { reason: string }).reason === reason)).toBe(true);
    });
  });
});
