import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signWebhook } from '@crm/http';
import { startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { financeSettings } from '../finance.settings';
import { openReceivable, outboxed } from '../testing/finance-fixtures';

const SECRET = 'finance-erp-webhook-test-secret';

describe('signed ERP payment webhook (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const now = () => Math.floor(Date.now() / 1000);
  const post = (body: unknown, opts: { secret?: string; timestamp?: number; signature?: string | null } = {}) => {
    const raw = JSON.stringify(body);
    const ts = String(opts.timestamp ?? now());
    const req = request(svc.app.getHttpServer()).post('/api/v1/erp/webhooks/payments').set('content-type', 'application/json').set('x-signature-timestamp', ts);
    if (opts.signature !== null) req.set('x-signature', opts.signature ?? signWebhook(opts.secret ?? SECRET, ts, raw));
    return req.send(raw);
  };
  /** Everything the webhook could change. */
  const fingerprint = async () =>
    (
      await svc.dataSource.query(
        `SELECT (SELECT count(*) FROM payments) AS payments, (SELECT sum(paid) FROM receivables) AS paid,
                (SELECT count(*) FROM outbox) AS outbox, (SELECT count(*) FROM webhook_receipts) AS receipts`,
      )
    )[0];

  beforeAll(async () => {
    svc = await startTestService('finance', (config) => AppModule.forRoot(config), { env: { FINANCE_ERP_WEBHOOK_SECRET: SECRET }, settings: financeSettings });
  });
  afterAll(() => svc?.close());

  it('records a signed ERP payment once, however often the ERP retries the same event id', async () => {
    const { receivable } = await openReceivable(svc); // 255.17 EUR
    const event = { eventId: `erp-pay-${randomUUID()}`, receivableId: receivable.id, amount: '100.00', currency: 'EUR', reference: 'ERP-REF-1' };

    const first = await post(event).expect(201);
    expect(first.body).toMatchObject({
      eventId: event.eventId,
      duplicate: false,
      recorded: { payment: { amount: '100.00', createdBy: 'erp' }, receivable: { paid: '100.00' } },
    });
    for (let i = 0; i < 3; i++) expect((await post(event).expect(200)).body).toEqual({ eventId: event.eventId, duplicate: true });
    // Concurrent retries too: the claim and the payment share one transaction.
    const racing = await Promise.all(
      Array.from({ length: 4 }, () => post({ eventId: 'erp-pay-race', receivableId: receivable.id, amount: '1.00', currency: 'EUR' })),
    );
    expect(racing.filter((r) => r.status === 201)).toHaveLength(1);
    expect(racing.filter((r) => r.status === 200)).toHaveLength(3);

    const payments = await svc.dataSource.query('SELECT amount FROM payments WHERE receivable_id = $1 ORDER BY created_at', [receivable.id]);
    expect(payments).toHaveLength(2);
    expect((await outboxed(svc, 'payment.received', receivable.id)).length).toBe(2);
  });

  it('refuses a bad, missing or replayed signature with 401 problem+json and stores nothing', async () => {
    const { receivable } = await openReceivable(svc);
    const event = { eventId: `erp-pay-${randomUUID()}`, receivableId: receivable.id, amount: '10.00', currency: 'EUR' };
    const before = await fingerprint();
    const refused = [
      await post(event, { secret: 'not-the-secret' }),
      await post(event, { signature: 'sha256=' + '0'.repeat(64) }),
      await post(event, { signature: null }),
      await post(event, { timestamp: now() - 301 }), // replayed: signed correctly, but outside the ±300 s window
      await post(event, { timestamp: now() + 301 }),
      await post(event, { timestamp: Number('1e3') }),
    ];
    // A body changed after signing.
    const ts = String(now());
    refused.push(
      await request(svc.app.getHttpServer())
        .post('/api/v1/erp/webhooks/payments')
        .set('content-type', 'application/json')
        .set('x-signature-timestamp', ts)
        .set('x-signature', signWebhook(SECRET, ts, JSON.stringify(event)))
        .send({ ...event, amount: '99.00' }),
    );
    for (const res of refused) {
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    }
    // Signed but invalid: 400 with field errors, still nothing stored (not even the event id).
    const bad = await post({ ...event, amount: '-5', receivableId: 'nope' }).expect(400);
    expect([...new Set(bad.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(['amount', 'receivableId']);
    expect(await fingerprint()).toEqual(before);
    // The event id was not burnt by the refusals: the genuine post still applies.
    await post(event).expect(201);
  });

  it('refuses everything while FINANCE_ERP_WEBHOOK_SECRET is unset', async () => {
    const unset = await startTestService('finance', (config) => AppModule.forRoot(config), { settings: financeSettings });
    try {
      const raw = JSON.stringify({ eventId: 'x', receivableId: randomUUID(), amount: '1.00', currency: 'EUR' });
      const ts = String(now());
      const res = await request(unset.app.getHttpServer())
        .post('/api/v1/erp/webhooks/payments')
        .set('content-type', 'application/json')
        .set('x-signature-timestamp', ts)
        .set('x-signature', signWebhook('', ts, raw))
        .send(raw)
        .expect(401);
      expect(res.body.detail).toMatch(/not configured/);
    } finally {
      await unset.close();
    }
  });
});
