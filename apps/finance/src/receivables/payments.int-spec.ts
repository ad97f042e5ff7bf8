import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { eventually, startTestService, type TestService, type TokenClaims } from '@crm/testing';
import { AppModule } from '../app.module';
import { financeSettings } from '../finance.settings';
import { ADMIN, INTEGRATION, openReceivable, outboxed, publishedFor, receivableOf, singleLine } from '../testing/finance-fixtures';

describe('payments against receivables (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const pay = (id: string, body: unknown, who: TokenClaims = INTEGRATION) =>
    svc
      .as(who)
      .post(`/api/v1/receivables/${id}/payments`)
      .send(body as object);
  const paymentCount = async (id: string) =>
    (await svc.dataSource.query('SELECT count(*)::int AS n FROM payments WHERE receivable_id = $1', [id]))[0].n as number;

  beforeAll(async () => {
    svc = await startTestService('finance', (config) => AppModule.forRoot(config), { settings: financeSettings });
  });
  afterAll(() => svc?.close());

  it('applies a partial then a full payment, refuses an overpayment, and publishes payment.received with what is outstanding', async () => {
    const { event, receivable } = await openReceivable(svc); // 255.17 EUR
    const orderId = event.data.orderId;

    const first = await pay(receivable.id, {
      amount: '100.00',
      currency: 'EUR',
      method: 'bank_transfer',
      reference: 'BANK-1',
      receivedAt: '2026-03-20T10:00:00Z',
    }).expect(201);
    expect(first.body.payment).toMatchObject({
      amount: '100.00',
      currency: 'EUR',
      method: 'bank_transfer',
      reference: 'BANK-1',
      receivedAt: '2026-03-20T10:00:00.000Z',
      createdBy: 'erp-bridge',
    });
    expect(first.body.receivable).toMatchObject({ status: 'partially_paid', paid: '100.00', outstanding: '155.17', version: 2 });

    const over = await pay(receivable.id, { amount: '155.18', currency: 'EUR' }).expect(409);
    expect(over.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(over.body).toMatchObject({ code: 'OVERPAYMENT', status: 409 });
    expect(over.body.detail).toContain('155.17');

    const wrongCurrency = await pay(receivable.id, { amount: '1.00', currency: 'USD' }).expect(400);
    expect(wrongCurrency.body.errors).toEqual([expect.objectContaining({ field: 'currency', constraint: 'matchesReceivableCurrency' })]);
    const sameReference = await pay(receivable.id, { amount: '1.00', currency: 'EUR', reference: 'BANK-1' }).expect(409);
    expect(sameReference.body.code).toBe('DUPLICATE_PAYMENT_REFERENCE');

    const rest = await pay(receivable.id, { amount: '155.17', currency: 'EUR' }, ADMIN).expect(201);
    expect(rest.body.receivable).toMatchObject({ status: 'paid', paid: '255.17', outstanding: '0.00', version: 3 });
    expect(await receivableOf(svc, orderId)).toMatchObject({ status: 'paid', paid: '255.1700' });
    await pay(receivable.id, { amount: '0.01', currency: 'EUR' }).expect(409);

    const received = await eventually(async () => {
      const events = await publishedFor(svc, 'payment.received', orderId);
      expect(events).toHaveLength(2);
      return events;
    });
    expect(received.map((e) => e.data)).toEqual([
      expect.objectContaining({
        receivableId: receivable.id,
        paymentId: first.body.payment.id,
        amount: '100.00',
        outstanding: '155.17',
        currency: 'EUR',
        method: 'bank_transfer',
        receivedAt: '2026-03-20T10:00:00.000Z',
      }),
      expect.objectContaining({ receivableId: receivable.id, paymentId: rest.body.payment.id, amount: '155.17', outstanding: '0.00' }),
    ]);
    expect(await paymentCount(receivable.id)).toBe(2);

    const detail = await svc.as(ADMIN).get(`/api/v1/receivables/${receivable.id}`).expect(200);
    expect(detail.body.payments.map((p: { amount: string }) => p.amount)).toEqual(['100.00', '155.17']);

    const metrics = await request(svc.app.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/finance_payments_amount_total\{currency="EUR",service="finance"\} 255\.17/);
  });

  it('never overpays under concurrency: 10 parallel payments of 20.00 against 100.00, exactly 5 succeed', async () => {
    const { event, receivable } = await openReceivable(svc, { lines: singleLine('100.00'), total: '100.00' });
    const answers = await Promise.all(Array.from({ length: 10 }, () => pay(receivable.id, { amount: '20.00', currency: 'EUR' })));

    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 201, 201, 409, 409, 409, 409, 409]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'OVERPAYMENT')).toBe(true);
    expect(await receivableOf(svc, event.data.orderId)).toMatchObject({ status: 'paid', paid: '100.0000', version: 6 });
    expect(await paymentCount(receivable.id)).toBe(5);
    expect((await outboxed(svc, 'payment.received', receivable.id)).map((e) => (e.data as { outstanding: string }).outstanding).sort()).toEqual([
      '0.00',
      '20.00',
      '40.00',
      '60.00',
      '80.00',
    ]);
  });

  it('replays a retried payment with the same Idempotency-Key instead of recording it twice', async () => {
    const { receivable } = await openReceivable(svc, { lines: singleLine('50.00'), total: '50.00' });
    const key = randomUUID();
    const body = { amount: '10.00', currency: 'EUR' };
    const first = await pay(receivable.id, body).set('Idempotency-Key', key).expect(201);
    const again = await pay(receivable.id, body).set('Idempotency-Key', key).expect(201);
    expect(again.body.payment.id).toBe(first.body.payment.id);
    expect(await paymentCount(receivable.id)).toBe(1);
    expect(await outboxed(svc, 'payment.received', receivable.id)).toHaveLength(1);
  });

  it('lets only admin, integration and sales managers record payments, and a manager only for their team', async () => {
    const { receivable } = await openReceivable(svc, { team: 'north', lines: singleLine('50.00'), total: '50.00' });
    const rep = { sub: randomUUID(), roles: ['sales_rep'] };
    await pay(receivable.id, { amount: '1.00', currency: 'EUR' }, rep).expect(403);
    await pay(receivable.id, { amount: '1.00', currency: 'EUR' }, { sub: randomUUID(), roles: ['sales_manager'], team: 'south' }).expect(404);
    await pay(receivable.id, { amount: '1.00', currency: 'EUR' }, { sub: randomUUID(), roles: ['sales_manager'], team: 'north' }).expect(201);
    await request(svc.app.getHttpServer()).post(`/api/v1/receivables/${receivable.id}/payments`).send({ amount: '1.00', currency: 'EUR' }).expect(401);
  });

  describe('bad input is rejected whole: problem+json, nothing stored, nothing published', () => {
    let id: string;
    let orderId: string;

    beforeAll(async () => {
      const opened = await openReceivable(svc, { lines: singleLine('80.00'), total: '80.00' });
      id = opened.receivable.id;
      orderId = opened.event.data.orderId;
    });

    afterEach(async () => {
      expect(await paymentCount(id)).toBe(0);
      expect(await receivableOf(svc, orderId)).toMatchObject({ paid: '0.0000', status: 'open', version: 1 });
      expect(await outboxed(svc, 'payment.received', id)).toEqual([]);
    });

    it.each([
      ['an unknown field', { amount: '10.00', currency: 'EUR', discount: '5' }, 'discount', 'whitelistValidation'],
      ['a negative amount', { amount: '-10.00', currency: 'EUR' }, 'amount', 'matches'],
      ['a zero amount', { amount: '0.00', currency: 'EUR' }, 'amount', 'isPositiveAmount'],
      ['too many fraction digits', { amount: '10.00001', currency: 'EUR' }, 'amount', 'matches'],
      ['an amount as a JSON number', { amount: 10, currency: 'EUR' }, 'amount', 'isString'],
      ['a missing currency', { amount: '10.00' }, 'currency', 'isString'],
      ['a malformed receivedAt', { amount: '10.00', currency: 'EUR', receivedAt: 'yesterday' }, 'receivedAt', 'isIso8601'],
      ['a receivedAt in the future', { amount: '10.00', currency: 'EUR', receivedAt: '2999-01-01T00:00:00Z' }, 'receivedAt', 'notInFuture'],
    ])('%s → 400', async (_, body, field, constraint) => {
      const res = await pay(id, body).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toContainEqual(expect.objectContaining({ field, constraint }));
    });

    it('malformed JSON → 400', async () => {
      const res = await svc
        .as(INTEGRATION)
        .post(`/api/v1/receivables/${id}/payments`)
        .set('content-type', 'application/json')
        .send('{"amount": "10.00",')
        .expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    });

    it('an unknown receivable → 404, a malformed id → 400', async () => {
      const missing = await pay(randomUUID(), { amount: '10.00', currency: 'EUR' }).expect(404);
      expect(missing.body.code).toBe('NOT_FOUND');
      const malformed = await pay('42', { amount: '10.00', currency: 'EUR' }).expect(400);
      expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
    });
  });
});
