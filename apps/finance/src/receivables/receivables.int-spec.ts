import { randomUUID } from 'node:crypto';
import { DLQ_HEADERS, Topics, dlqTopic } from '@crm/contracts';
import { eventually, readTopic, startTestService, testKafka, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { financeSettings } from '../finance.settings';
import {
  ADMIN,
  TWO_LINES,
  consumed,
  openReceivable,
  orderCancelled,
  orderConfirmed,
  outboxed,
  publishedFor,
  receivableOf,
  singleLine,
} from '../testing/finance-fixtures';

describe('receivables from order events (real Kafka and PostgreSQL)', () => {
  let svc: TestService;

  beforeAll(async () => {
    svc = await startTestService('finance', (config) => AppModule.forRoot(config), { settings: financeSettings });
  });
  afterAll(() => svc?.close());

  it('opens one receivable per confirmed order with the exact amount and the NET30 due date, however often it is confirmed', async () => {
    const confirmed = orderConfirmed({ paymentTerms: 'NET30', confirmedAt: '2026-01-31T22:15:00.000Z' });
    const { orderId } = confirmed.data;
    // The same event three times, then the order re-confirmed under a new event id.
    const resent = { ...orderConfirmed({ ...confirmed.data }), subject: orderId };
    await svc.publish(confirmed, confirmed, confirmed, resent);
    await consumed(svc, resent.id);

    const receivable = await receivableOf(svc, orderId);
    expect(receivable).toMatchObject({ amount: '255.1700', paid: '0.0000', status: 'open', currency: 'EUR', due_date: '2026-03-02', version: 1 });
    expect(await svc.dataSource.query('SELECT count(*)::int AS n FROM receivables WHERE order_id = $1', [orderId])).toEqual([{ n: 1 }]);

    const created = await eventually(async () => {
      const events = await publishedFor(svc, 'receivable.created', orderId);
      expect(events).toHaveLength(1);
      return events;
    });
    expect(created[0]).toMatchObject({
      source: 'finance',
      subject: receivable!.id,
      causationid: confirmed.id,
      correlationid: confirmed.correlationid,
      data: { receivableId: receivable!.id, orderId, amount: '255.17', currency: 'EUR', paymentTerms: 'NET30', dueDate: '2026-03-02' },
    });
    expect(await outboxed(svc, 'receivable.created', receivable!.id)).toHaveLength(1);

    const api = await svc.as(ADMIN).get(`/api/v1/receivables/by-order/${orderId}`).expect(200);
    expect(api.body).toMatchObject({
      id: receivable!.id,
      amount: '255.17',
      paid: '0.00',
      outstanding: '255.17',
      dueDate: '2026-03-02',
      status: 'open',
      payments: [],
      creditNotes: [],
    });
    expect(api.headers.etag).toBe('"1"');
  });

  it('dead-letters a confirmation whose total does not match its lines, opens nothing, and applies the next good event', async () => {
    const orderId = randomUUID();
    const bad = orderConfirmed({ orderId, total: '255.18' });
    const good = orderConfirmed({ orderId, total: '255.17', lines: TWO_LINES });
    await svc.publish(bad, good);
    await consumed(svc, good.id);

    expect(await receivableOf(svc, orderId)).toMatchObject({ amount: '255.1700', status: 'open' });
    const dead = await eventually(async () => {
      const found = (await readTopic(await testKafka(), dlqTopic(`${svc.prefix}${Topics.orders}`))).filter((m) => m.key === orderId);
      expect(found).toHaveLength(1);
      return found[0];
    });
    expect(JSON.parse(dead.value!).id).toBe(bad.id);
    expect(dead.headers[DLQ_HEADERS.error.name]).toMatch(/order total 255.18 is not the sum of its line totals 255.17/);
    expect(dead.headers[DLQ_HEADERS.attempts.name]).toBe('1'); // not retried: it can never succeed
    expect(await outboxed(svc, 'receivable.created')).toHaveLength((await svc.dataSource.query('SELECT count(*)::int AS n FROM receivables'))[0].n);
  });

  it('voids an unpaid receivable on cancellation, crediting nothing', async () => {
    const { event, receivable } = await openReceivable(svc);
    const cancelled = orderCancelled(event.data.orderId, 'customer withdrew');
    await svc.publish(cancelled);
    await consumed(svc, cancelled.id);

    expect(await receivableOf(svc, event.data.orderId)).toMatchObject({ status: 'voided', paid: '0.0000', version: 2 });
    expect(await svc.dataSource.query('SELECT * FROM credit_notes WHERE receivable_id = $1', [receivable.id])).toEqual([]);
    const [voided] = await eventually(async () => {
      const events = await publishedFor(svc, 'receivable.voided', event.data.orderId);
      expect(events).toHaveLength(1);
      return events;
    });
    expect(voided.data).toMatchObject({ receivableId: receivable.id, orderId: event.data.orderId, reason: 'customer withdrew', creditedAmount: '0.00' });

    // Cancelling again (a new cancellation event) changes nothing more.
    const again = orderCancelled(event.data.orderId);
    await svc.publish(again);
    await consumed(svc, again.id);
    expect(await outboxed(svc, 'receivable.voided', receivable.id)).toHaveLength(1);
    expect((await receivableOf(svc, event.data.orderId))?.version).toBe(2);
  });

  it('voids a partly paid receivable with a credit note for what was paid', async () => {
    const { event, receivable } = await openReceivable(svc, { lines: singleLine('500.00'), total: '500.00' });
    await svc.as(ADMIN).post(`/api/v1/receivables/${receivable.id}/payments`).send({ amount: '120.50', currency: 'EUR' }).expect(201);
    const cancelled = orderCancelled(event.data.orderId, 'duplicate order');
    await svc.publish(cancelled);
    await consumed(svc, cancelled.id);

    expect(await receivableOf(svc, event.data.orderId)).toMatchObject({ status: 'voided', paid: '120.5000' });
    const detail = await svc.as(ADMIN).get(`/api/v1/receivables/${receivable.id}`).expect(200);
    expect(detail.body.creditNotes).toEqual([expect.objectContaining({ amount: '120.50', reason: 'duplicate order', receivableId: receivable.id })]);
    expect(detail.body.payments).toEqual([expect.objectContaining({ amount: '120.50' })]);
    const [voided] = await eventually(async () => {
      const events = await publishedFor(svc, 'receivable.voided', event.data.orderId);
      expect(events).toHaveLength(1);
      return events;
    });
    expect(voided.data).toMatchObject({ creditedAmount: '120.50', reason: 'duplicate order' });

    // A voided receivable takes no more payments.
    const refused = await svc.as(ADMIN).post(`/api/v1/receivables/${receivable.id}/payments`).send({ amount: '1.00', currency: 'EUR' }).expect(409);
    expect(refused.body.code).toBe('RECEIVABLE_VOIDED');
  });

  it('does nothing when an order without a receivable is cancelled', async () => {
    const orderId = randomUUID();
    const before = (await svc.dataSource.query('SELECT count(*)::int AS n FROM outbox'))[0].n;
    const cancelled = orderCancelled(orderId);
    await svc.publish(cancelled);
    await consumed(svc, cancelled.id);

    expect(await receivableOf(svc, orderId)).toBeUndefined();
    expect((await svc.dataSource.query('SELECT count(*)::int AS n FROM outbox'))[0].n).toBe(before);
    expect((await readTopic(await testKafka(), dlqTopic(`${svc.prefix}${Topics.orders}`))).filter((m) => m.key === orderId)).toEqual([]);
  });

  describe('reads', () => {
    const rep = { sub: randomUUID(), roles: ['sales_rep'] };
    const otherRep = { sub: randomUUID(), roles: ['sales_rep'] };
    let mine: string;
    let theirs: string;
    let southOrder: string;

    beforeAll(async () => {
      mine = (await openReceivable(svc, { repId: rep.sub, team: 'north', paymentTerms: 'DUE_ON_RECEIPT', confirmedAt: '2026-02-10T10:00:00Z' })).receivable.id;
      theirs = (await openReceivable(svc, { repId: otherRep.sub, team: 'north', paymentTerms: 'EOM', confirmedAt: '2999-02-10T10:00:00Z' })).receivable.id;
      const south = await openReceivable(svc, { team: 'south' });
      southOrder = south.event.data.orderId;
    });

    it('shows a rep only the receivables of their own orders', async () => {
      const list = await svc.as(rep).get('/api/v1/receivables').expect(200);
      expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([mine]);
      await svc.as(rep).get(`/api/v1/receivables/${theirs}`).expect(404);
      await svc.as(rep).get(`/api/v1/receivables/${mine}`).expect(200);
    });

    it("shows a manager their team's receivables only", async () => {
      const manager = { sub: randomUUID(), roles: ['sales_manager'], team: 'south' };
      const list = await svc.as(manager).get('/api/v1/receivables?limit=200').expect(200);
      expect(list.body.items.map((r: { orderId: string }) => r.orderId)).toEqual([southOrder]);
      await svc.as(manager).get(`/api/v1/receivables/${mine}`).expect(404);
    });

    it('filters by status, order, overdue and due date, and pages with a cursor', async () => {
      const admin = svc.as(ADMIN);
      const overdue = await admin.get('/api/v1/receivables?overdue=true&limit=200').expect(200);
      expect(overdue.body.items.map((r: { id: string }) => r.id)).toContain(mine);
      expect(overdue.body.items.map((r: { id: string }) => r.id)).not.toContain(theirs);
      expect(overdue.body.items.every((r: { overdue: boolean }) => r.overdue)).toBe(true);
      const notOverdue = await admin.get('/api/v1/receivables?overdue=false&limit=200').expect(200);
      expect(notOverdue.body.items.map((r: { id: string }) => r.id)).toContain(theirs);

      const dueSoon = await admin.get('/api/v1/receivables?dueBefore=2026-02-11&limit=200').expect(200);
      expect(dueSoon.body.items.map((r: { id: string }) => r.id)).toEqual([mine]);
      const voided = await admin.get('/api/v1/receivables?status=voided&limit=200').expect(200);
      expect(voided.body.items.length).toBeGreaterThanOrEqual(2);
      expect(voided.body.items.every((r: { status: string }) => r.status === 'voided')).toBe(true);
      const byOrder = await admin.get(`/api/v1/receivables?orderId=${southOrder}`).expect(200);
      expect(byOrder.body.items).toHaveLength(1);

      const all = (await admin.get('/api/v1/receivables?limit=200').expect(200)).body.items.map((r: { id: string }) => r.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 20; page++) {
        const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await admin
          .get(`/api/v1/receivables?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
          .expect(200);
        seen.push(...res.body.items.map((r) => r.id));
        cursor = res.body.nextCursor;
        if (!cursor) break;
      }
      expect(seen).toEqual(all);
      expect(all.length).toBeGreaterThan(2);
    });

    it('rejects bad filters and ids with problem+json, and an unknown receivable with 404', async () => {
      const admin = svc.as(ADMIN);
      const bad = await admin.get('/api/v1/receivables?status=lost&overdue=yes&dueBefore=tomorrow&orderId=7').expect(400);
      expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
      expect([...new Set(bad.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(['dueBefore', 'orderId', 'overdue', 'status']);
      await admin.get('/api/v1/receivables/not-a-uuid').expect(400);
      const missing = await admin.get(`/api/v1/receivables/${randomUUID()}`).expect(404);
      expect(missing.body.code).toBe('NOT_FOUND');
      await admin.get(`/api/v1/receivables/by-order/${randomUUID()}`).expect(404);
      await svc.as({ sub: randomUUID(), roles: [] }).get('/api/v1/receivables').expect(403);
    });

    it('counts opened receivables in /metrics and documents the routes in /openapi.json', async () => {
      const opened = (await svc.dataSource.query('SELECT count(*)::int AS n FROM receivables'))[0].n;
      const server = svc.app.getHttpServer();
      const request = (await import('supertest')).default;
      const metrics = await request(server).get('/metrics').expect(200);
      expect(metrics.text).toContain(`finance_receivables_opened_total{service="finance"} ${opened}`);
      const doc = await request(server).get('/openapi.json').expect(200);
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/receivables',
          '/api/v1/receivables/{id}',
          '/api/v1/receivables/by-order/{orderId}',
          '/api/v1/receivables/{id}/payments',
        ]),
      );
      expect(doc.body.components.schemas.RecordPaymentDto.required).toEqual(expect.arrayContaining(['amount', 'currency']));
    });
  });
});
