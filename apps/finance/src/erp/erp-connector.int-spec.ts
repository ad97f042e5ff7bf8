import request from 'supertest';
import { Topics, dlqTopic } from '@crm/contracts';
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

  it('dead-letters a confirmation the ERP refuses (4xx) and opens nothing locally', async () => {
    erp.answers = [422];
    const confirmed = orderConfirmed();
    await svc.publish(confirmed);
    const dead = await eventually(
      async () => {
        const found = (await readTopic(await testKafka(), dlqTopic(`${svc.prefix}${Topics.orders}`))).filter((m) => m.key === confirmed.data.orderId);
        expect(found).toHaveLength(1);
        return found[0];
      },
      { timeoutMs: 40_000 },
    );
    expect(dead.headers['dlq-error']).toMatch(/ERP refused POST \/receivables with 422/);
    expect(await receivableOf(svc, confirmed.data.orderId)).toBeUndefined();
    expect(await outboxed(svc, 'receivable.created')).toHaveLength(2);
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
