import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signWebhook } from '@crm/http';
import { startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { inventorySettings } from '../inventory.options';

const SECRET = 'inventory-audit-erp-secret';
const admin = { sub: randomUUID(), roles: ['admin'] };
const manager = { sub: randomUUID(), roles: ['sales_manager'], team: 'aud' };

describe('inventory audit trail (real PostgreSQL)', () => {
  let svc: TestService;
  const sku = `AUD-${randomUUID().slice(0, 8)}`;
  const warehouseId = `aud-${randomUUID().slice(0, 8)}`;
  const trail = (query: string) => svc.as(admin).get(`/api/v1/audit/inventory?${query}`).expect(200);

  beforeAll(async () => {
    svc = await startTestService('inventory', (config) => AppModule.forRoot(config), {
      env: { INVENTORY_ERP_WEBHOOK_SECRET: SECRET },
      settings: inventorySettings,
    });
    await svc.as(manager).put(`/api/v1/items/${sku}`).send({ name: 'Audit chair', reorderPoint: 2 }).expect(201);
    await svc
      .as(manager)
      .put(`/api/v1/items/${sku}`)
      .set('If-Match', '"1"')
      .set('X-Forwarded-For', '203.0.113.21')
      .set('User-Agent', 'inventory-audit/1.0')
      .send({ name: 'Audit chair', productLine: 'furniture', reorderPoint: 5 })
      .expect(200);
    // The same PUT again changes nothing: no entry.
    await svc.as(manager).put(`/api/v1/items/${sku}`).send({ name: 'Audit chair', productLine: 'furniture', reorderPoint: 5 }).expect(200);
    await svc.as(admin).post('/api/v1/warehouses').send({ id: warehouseId, name: 'Audit depot', priority: 7 }).expect(201);
    await svc.as(manager).post('/api/v1/stock/receipts').send({ sku, warehouseId, quantity: 12, note: 'first delivery' }).expect(201);
    const body = JSON.stringify({ eventId: `erp-${randomUUID()}`, type: 'adjustment', sku, warehouseId, quantity: -2, note: 'cycle count' });
    const ts = String(Math.floor(Date.now() / 1000));
    await request(svc.app.getHttpServer())
      .post('/api/v1/erp/webhooks/stock')
      .set('content-type', 'application/json')
      .set('x-signature-timestamp', ts)
      .set('x-signature', signWebhook(SECRET, ts, body))
      .send(body)
      .expect(201);
  });
  afterAll(() => svc?.close());

  it('records an item edit with who, when, from where and the old and new values', async () => {
    const { body } = await trail(`recordType=item&recordId=${sku}`);
    expect(body.items.map((e: { action: string }) => e.action)).toEqual(['updated', 'created']);
    const [edit, created] = body.items;
    expect(edit).toMatchObject({ actor: manager.sub, actorRoles: ['sales_manager'], ip: '203.0.113.21', userAgent: 'inventory-audit/1.0', recordId: sku });
    expect(Date.now() - Date.parse(edit.at)).toBeLessThan(60_000);
    expect(edit.changes).toEqual([
      { field: 'productLine', old: null, new: 'furniture', personal: false },
      { field: 'reorderPoint', old: 2, new: 5, personal: false },
    ]);
    expect(created.changes).toContainEqual({ field: 'name', old: null, new: 'Audit chair', personal: false });
  });

  it('records a new warehouse, a receipt and an ERP adjustment of the stock row', async () => {
    const warehouse = (await trail(`recordType=warehouse&recordId=${warehouseId}`)).body.items;
    expect(warehouse).toMatchObject([{ actor: admin.sub, action: 'created' }]);
    expect(warehouse[0].changes).toContainEqual({ field: 'priority', old: null, new: 7, personal: false });
    const stock = (await trail(`recordType=stock_level&recordId=${sku}@${warehouseId}`)).body.items;
    expect(stock.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([
      ['adjusted', 'erp'],
      ['received', manager.sub],
    ]);
    expect(stock[1].changes).toEqual([
      { field: 'onHand', old: 0, new: 12, personal: false },
      { field: 'delta', old: null, new: 12, personal: false },
      { field: 'note', old: null, new: 'first delivery', personal: false },
    ]);
    expect(stock[0].changes[0]).toEqual({ field: 'onHand', old: 12, new: 10, personal: false });
  });
});
