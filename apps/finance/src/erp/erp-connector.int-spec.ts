import { Topics, dlqTopic } from '@crm/contracts';
import { eventually, readTopic, startTestService, testKafka, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { ADMIN, consumed, orderCancelled, orderConfirmed, outboxed, publishedFor, receivableOf } from '../testing/finance-fixtures';
import { FakeErp } from '../testing/fake-erp.server';

describe('finance with the HTTP ERP connector configured (real Kafka and PostgreSQL, fake ERP)', () => {
  let svc: TestService;
  let erp: FakeErp;

  beforeAll(async () => {
    erp = await new FakeErp().start();
    svc = await startTestService('finance', (config) =>
      AppModule.forRoot(config, { FINANCE_ERP_URL: erp.url, FINANCE_ERP_TOKEN: 'erp-secret', FINANCE_ERP_RETRY_MS: '20' }));
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
    expect(pushes[5].body).toEqual({ receivableId: receivable!.id, orderId, customerName: 'ACME GmbH', amount: '255.17', currency: 'EUR', paymentTerms: 'NET30', dueDate: '2026-04-09' });

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
    expect(voids).toEqual([expect.objectContaining({ headers: expect.objectContaining({ 'idempotency-key': cancelled.id }), body: expect.objectContaining({ creditedAmount: '55.17', reason: 'customer withdrew' }) })]);
    expect(await outboxed(svc, 'receivable.voided', receivable!.id)).toHaveLength(1);
  });

  it('dead-letters a confirmation the ERP refuses (4xx) and opens nothing locally', async () => {
    erp.answers = [422];
    const confirmed = orderConfirmed();
    await svc.publish(confirmed);
    const dead = await eventually(async () => {
      const found = (await readTopic(await testKafka(), dlqTopic(`${svc.prefix}${Topics.orders}`))).filter((m) => m.key === confirmed.data.orderId);
      expect(found).toHaveLength(1);
      return found[0];
    }, { timeoutMs: 40_000 });
    expect(dead.headers['dlq-error']).toMatch(/ERP refused POST \/receivables with 422/);
    expect(await receivableOf(svc, confirmed.data.orderId)).toBeUndefined();
    expect(await outboxed(svc, 'receivable.created')).toHaveLength(2);
  });
});
