import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signWebhook } from '@crm/http';
import { startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { inventorySettings } from '../inventory.options';

const SECRET = 'inventory-erp-webhook-test-secret';
const admin = { sub: randomUUID(), roles: ['admin'] };

describe('signed ERP stock webhook (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const now = () => Math.floor(Date.now() / 1000);
  const post = (body: unknown, opts: { secret?: string; timestamp?: number; signature?: string | null } = {}) => {
    const raw = JSON.stringify(body);
    const ts = String(opts.timestamp ?? now());
    const req = request(svc.app.getHttpServer()).post('/api/v1/erp/webhooks/stock').set('content-type', 'application/json').set('x-signature-timestamp', ts);
    if (opts.signature !== null) req.set('x-signature', opts.signature ?? signWebhook(opts.secret ?? SECRET, ts, raw));
    return req.send(raw);
  };
  const onHand = async (sku: string, warehouseId = 'main') =>
    (await svc.dataSource.query('SELECT on_hand FROM stock_levels WHERE sku = $1 AND warehouse_id = $2', [sku, warehouseId]))[0]?.on_hand as number | undefined;
  const fingerprint = async () =>
    (
      await svc.dataSource.query(
        `SELECT (SELECT coalesce(sum(on_hand), 0) FROM stock_levels) AS on_hand, (SELECT count(*) FROM stock_movements) AS movements,
                (SELECT count(*) FROM outbox) AS outbox, (SELECT count(*) FROM webhook_receipts) AS receipts, (SELECT count(*) FROM warehouses) AS warehouses`,
      )
    )[0];

  beforeAll(async () => {
    svc = await startTestService('inventory', (config) => AppModule.forRoot(config), {
      env: { INVENTORY_ERP_WEBHOOK_SECRET: SECRET },
      settings: inventorySettings,
    });
    await svc.as(admin).put('/api/v1/items/ERP-1').send({ name: 'ERP item', reorderPoint: 5 }).expect(201);
    // The 'main' warehouse comes with the schema.
  });
  afterAll(() => svc?.close());

  it('applies a signed receipt and a signed adjustment once each, whatever the ERP retries', async () => {
    const receipt = { eventId: `erp-stk-${randomUUID()}`, type: 'receipt', sku: 'ERP-1', warehouseId: 'main', quantity: 20 };
    expect((await post(receipt).expect(201)).body).toMatchObject({ eventId: receipt.eventId, duplicate: false, onHand: 20 });
    expect((await post(receipt).expect(200)).body).toEqual({ eventId: receipt.eventId, duplicate: true });
    const adjustment = { eventId: `erp-stk-${randomUUID()}`, type: 'adjustment', sku: 'ERP-1', warehouseId: 'main', quantity: -3, note: 'cycle count' };
    const racing = await Promise.all(Array.from({ length: 4 }, () => post(adjustment)));
    expect(racing.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    expect(await onHand('ERP-1')).toBe(17);

    const movements = await svc.dataSource.query(`SELECT delta, reason, "by" FROM stock_movements WHERE sku = 'ERP-1' ORDER BY id`);
    expect(movements).toEqual([
      { delta: 20, reason: 'receipt', by: 'erp' },
      { delta: -3, reason: 'adjustment', by: 'erp' },
    ]);
    const received = await svc.dataSource.query(`SELECT payload FROM outbox WHERE event_type = 'crm.stock.received' AND message_key = 'ERP-1'`);
    expect(received.map((r: { payload: { data: unknown } }) => r.payload.data)).toEqual([expect.objectContaining({ sku: 'ERP-1', quantity: 20, onHand: 20 })]);
  });

  it('refuses a bad, missing or replayed signature with 401 problem+json and stores nothing', async () => {
    const event = { eventId: `erp-stk-${randomUUID()}`, type: 'receipt', sku: 'ERP-1', warehouseId: 'main', quantity: 5 };
    const before = await fingerprint();
    const ts = String(now());
    const refused = [
      await post(event, { secret: 'not-the-secret' }),
      await post(event, { signature: 'sha256=deadbeef' }),
      await post(event, { signature: null }),
      await post(event, { timestamp: now() - 301 }), // replayed: a genuine signature from outside the ±300 s window
      await post(event, { timestamp: now() + 400 }),
      await request(svc.app.getHttpServer())
        .post('/api/v1/erp/webhooks/stock')
        .set('content-type', 'application/json')
        .set('x-signature-timestamp', ts)
        .set('x-signature', signWebhook(SECRET, ts, JSON.stringify(event)))
        .send({ ...event, quantity: 500 }),
      // A bearer token is not a signature.
      await svc.as(admin).post('/api/v1/erp/webhooks/stock').send(event),
    ];
    for (const res of refused) {
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    }
    // Signed but wrong: field errors, an unknown SKU, a level that would go negative — all store nothing.
    const invalid = await post({ ...event, quantity: 0, type: 'gift', extra: 1 }).expect(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['extra', 'quantity', 'type']);
    await post({ ...event, type: 'receipt', quantity: -1 }).expect(400);
    await post({ ...event, sku: 'NO-SUCH-SKU' }).expect(404);
    expect((await post({ ...event, type: 'adjustment', quantity: -1_000 }).expect(409)).body.code).toBe('NEGATIVE_STOCK');
    expect(await fingerprint()).toEqual(before);
    // None of that burnt the event id.
    await post(event).expect(201);
  });
});
