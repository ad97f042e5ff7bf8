import request from 'supertest';
import { Topics, createEvent, dlqTopic } from '@crm/contracts';
import { eventually, readTopic, startTestService, testKafka, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { financeSettings } from '../finance.settings';
import { ADMIN, consumed, orderCancelled, orderConfirmed, outboxed, publishedFor, receivableOf } from '../testing/finance-fixtures';
import { FakeErp } from '../testing/fake-erp.server';

describe('finance with the HTTP ERP connector configured (real Kafka and PostgreSQL, fake ERP)', () => {
  let svc: TestService;
  let erp: FakeErp;

  beforeAll(async () => {
    erp = await new FakeErp().start();
    svc = await startTestService('finance', (config) => AppModule.forRoot(config), {
      // After 5 calls in a row that found the ERP unusable, the circuit opens; one probe call a second then.
      env: { FINANCE_ERP_URL: erp.url, FINANCE_ERP_TOKEN: 'erp-secret', FINANCE_ERP_RETRY_MS: '20', FINANCE_ERP_BREAKER_HALF_OPEN_MS: '1000' },
      settings: financeSettings,
    });
  });
  afterAll(async () => {
    await svc?.close();
    await erp?.stop();
  });

  it('waits out an ERP outage and then opens the receivable exactly once, pushed with the event id as Idempotency-Key', async () => {
    // 3 failures exhaust the connector's own attempts (the event is retried later, not dead-lettered); then 2 more.
    erp.answers = [503, 503, 503, 503, 503];
    const confirmed = orderConfirmed();
    const { orderId } = confirmed.data;
    await svc.publish(confirmed);
    await consumed(svc, confirmed.id);

    const pushes = erp.requests.filter((r) => r.path === '/receivables');
    expect(pushes).toHaveLength(6);
    expect(pushes.every((r) => r.headers['idempotency-key'] === confirmed.id && r.headers.authorization === 'Bearer erp-secret')).toBe(true);
    const receivable = await receivableOf(svc, orderId);
    expect(pushes[5].body).toEqual({
      receivableId: receivable!.id,
      orderId,
      customerName: 'ACME GmbH',
      amount: '255.17',
      currency: 'EUR',
      paymentTerms: 'NET30',
      dueDate: '2026-04-09',
    });

    expect(await svc.dataSource.query('SELECT count(*)::int AS n FROM receivables WHERE order_id = $1', [orderId])).toEqual([{ n: 1 }]);
    await eventually(async () => expect(await publishedFor(svc, 'receivable.created', orderId)).toHaveLength(1));
    expect((await readTopic(await testKafka(), dlqTopic(`${svc.prefix}${Topics.orders}`))).filter((m) => m.key === orderId)).toEqual([]);
  });

  it('pushes the void of a cancelled order, keyed by the cancellation event', async () => {
    const confirmed = orderConfirmed();
    await svc.publish(confirmed);
    await consumed(svc, confirmed.id);
    const receivable = await receivableOf(svc, confirmed.data.orderId);
    await svc.as(ADMIN).post(`/api/v1/receivables/${receivable!.id}/payments`).send({ amount: '55.17', currency: 'EUR' }).expect(201);

    const cancelled = orderCancelled(confirmed.data.orderId, 'customer withdrew');
    await svc.publish(cancelled);
    await consumed(svc, cancelled.id);

    const voids = erp.requests.filter((r) => r.path === `/receivables/${receivable!.id}/void`);
    expect(voids).toEqual([
      expect.objectContaining({
        headers: expect.objectContaining({ 'idempotency-key': cancelled.id }),
        body: expect.objectContaining({ creditedAmount: '55.17', reason: 'customer withdrew' }),
      }),
    ]);
    expect(await outboxed(svc, 'receivable.voided', receivable!.id)).toHaveLength(1);
  });

  it('an ERP refusal (4xx) opens nothing and publishes receivable.refused instead of a dead letter; the retry opens it once the ERP accepts', async () => {
    erp.answers = [422];
    const confirmed = orderConfirmed();
    const { orderId } = confirmed.data;
    await svc.publish(confirmed);
    await consumed(svc, confirmed.id);
    const [refused] = await outboxed(svc, 'receivable.refused', orderId);
    expect(refused.data).toMatchObject({ orderId, erpStatus: 422, reason: expect.stringMatching(/ERP refused POST \/receivables with 422/) });
    expect(await receivableOf(svc, orderId)).toBeUndefined();
    expect((await readTopic(await testKafka(), dlqTopic(`${svc.prefix}${Topics.orders}`))).filter((m) => m.key === orderId)).toEqual([]);

    // The ERP's data is fixed and an operator retries the order: opened once, pushed under the retry's key.
    const { autoConfirmed: _a, confirmedAt: _c, ...terms } = confirmed.data;
    const retry = createEvent('order.erp_retry_requested', { subject: orderId, data: { ...terms, by: 'manager-1', requestedAt: '2026-03-12T08:00:00.000Z' } });
    await svc.publish(retry);
    await consumed(svc, retry.id);
    const receivable = await receivableOf(svc, orderId);
    expect(receivable).toMatchObject({ status: 'open', due_date: '2026-04-11' });
    const pushes = erp.requests.filter((r) => r.path === '/receivables' && (r.body as { orderId: string }).orderId === orderId);
    expect(pushes.map((r) => r.headers['idempotency-key'])).toEqual([confirmed.id, retry.id]);
    expect(await outboxed(svc, 'receivable.created', receivable!.id)).toHaveLength(1);

    // A retry delivered again, or a retry of an order that has its receivable, changes nothing.
    const again = createEvent('order.erp_retry_requested', { subject: orderId, data: { ...retry.data } });
    await svc.publish(again);
    await consumed(svc, again.id);
    expect(erp.requests.filter((r) => r.path === '/receivables' && (r.body as { orderId: string }).orderId === orderId)).toHaveLength(2);
    expect(await svc.dataSource.query('SELECT count(*)::int AS n FROM receivables WHERE order_id = $1', [orderId])).toEqual([{ n: 1 }]);
  });

  it('pushes a payment recorded through the REST API to the ERP, keyed by the payment id; one the ERP refuses is not recorded (409)', async () => {
    const confirmed = orderConfirmed();
    await svc.publish(confirmed);
    await consumed(svc, confirmed.id);
    const receivable = await receivableOf(svc, confirmed.data.orderId);
    const path = `/receivables/${receivable!.id}/payments`;
    const paid = await svc
      .as(ADMIN)
      .post(`/api/v1/receivables/${receivable!.id}/payments`)
      .send({ amount: '55.17', currency: 'EUR', method: 'wire', reference: 'BANK-1', receivedAt: '2026-03-11T09:00:00.000Z' })
      .expect(201);
    const paymentId = paid.body.payment.id;
    expect(erp.requests.filter((r) => r.path === path)).toEqual([
      expect.objectContaining({
        headers: expect.objectContaining({ 'idempotency-key': paymentId, authorization: 'Bearer erp-secret' }),
        body: {
          paymentId,
          receivableId: receivable!.id,
          orderId: confirmed.data.orderId,
          amount: '55.17',
          currency: 'EUR',
          method: 'wire',
          reference: 'BANK-1',
          receivedAt: '2026-03-11T09:00:00.000Z',
        },
      }),
    ]);

    erp.answers = [422];
    const refused = await svc.as(ADMIN).post(`/api/v1/receivables/${receivable!.id}/payments`).send({ amount: '10.00', currency: 'EUR' }).expect(409);
    expect(refused.body).toMatchObject({ code: 'ERP_REFUSED_PAYMENT', detail: expect.stringMatching(/HTTP 422/) });
    expect(erp.requests.filter((r) => r.path === path)).toHaveLength(2);
    expect(await svc.dataSource.query('SELECT count(*)::int AS n FROM payments WHERE receivable_id = $1', [receivable!.id])).toEqual([{ n: 1 }]);
    expect(await receivableOf(svc, confirmed.data.orderId)).toMatchObject({ paid: expect.stringMatching(/^55\.17/) });
    expect(await outboxed(svc, 'payment.received', receivable!.id)).toHaveLength(1);
  });

  it('holds a push while the ERP refuses our token (401): no dead letter, the alert gauge up, then applied once the ERP accepts again', async () => {
    const metric = async (sample: RegExp) => {
      const text = (await request(svc.app.getHttpServer()).get('/metrics').expect(200)).text;
      return text
        .split('\n')
        .filter((l) => sample.test(l))
        .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
    };
    const refusedBefore = await metric(/^crm_erp_requests_total\{.*erp="receivables".*outcome="(unavailable|circuit_open)"/);
    erp.downStatus = 401;
    const confirmed = orderConfirmed();
    const { orderId } = confirmed.data;
    await svc.publish(confirmed);

    // One call per handler attempt (a 401 is not retried within a call; an open circuit sends nothing): more
    // than the consumer's 5 attempts have failed, and the event still waits.
    await eventually(
      async () =>
        expect((await metric(/^crm_erp_requests_total\{.*erp="receivables".*outcome="(unavailable|circuit_open)"/)) - refusedBefore).toBeGreaterThanOrEqual(7),
      { timeoutMs: 40_000, intervalMs: 250 },
    );
    expect(await metric(/^crm_erp_unavailable\{.*erp="receivables"/)).toBe(1);
    expect(await metric(/^crm_erp_requests_total\{.*erp="receivables".*outcome="unavailable".*status="401"/)).toBeGreaterThanOrEqual(5);
    expect(await metric(/^crm_erp_circuit_state\{.*erp="receivables"/)).toBeGreaterThan(0);
    expect(
      erp.requests
        .filter((r) => r.path === '/receivables' && (r.body as { orderId: string }).orderId === orderId)
        .every((r) => r.headers['idempotency-key'] === confirmed.id),
    ).toBe(true);
    expect(await receivableOf(svc, orderId)).toBeUndefined();
    expect((await readTopic(await testKafka(), dlqTopic(`${svc.prefix}${Topics.orders}`))).filter((m) => m.key === orderId)).toEqual([]);

    // The token is accepted again (rotated on our side too): the next probe goes through, the event is applied once.
    erp.downStatus = null;
    await consumed(svc, confirmed.id);
    expect(await svc.dataSource.query('SELECT count(*)::int AS n FROM receivables WHERE order_id = $1', [orderId])).toEqual([{ n: 1 }]);
    await eventually(async () => expect(await publishedFor(svc, 'receivable.created', orderId)).toHaveLength(1));
    expect(await metric(/^crm_erp_unavailable\{.*erp="receivables"/)).toBe(0);
    expect(await metric(/^crm_erp_circuit_state\{.*erp="receivables"/)).toBe(0);
    expect((await readTopic(await testKafka(), dlqTopic(`${svc.prefix}${Topics.orders}`))).filter((m) => m.key === orderId)).toEqual([]);
  }, 90_000);
});
