import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { TestService } from '@crm/testing';
import { AppModule } from '../src/app.module';
import { ADMIN, MANAGER, REP, createItem, onHand, outboxDrained, publishedFor, receive, startInventory } from './inventory-fixtures';

describe('inventory REST API (real PostgreSQL and Kafka)', () => {
  let svc: TestService;

  beforeAll(async () => {
    svc = await startInventory((config) => AppModule.forRoot(config));
  });
  afterAll(() => svc?.close());

  const count = async (sql: string, params: unknown[] = []) => (await svc.dataSource.query(sql, params))[0].n as number;
  const snapshot = async () => ({
    movements: await count('SELECT count(*)::int AS n FROM stock_movements'),
    levels: await svc.dataSource.query('SELECT sku, warehouse_id, on_hand FROM stock_levels ORDER BY sku, warehouse_id'),
    outbox: await count('SELECT count(*)::int AS n FROM outbox'),
    items: await count('SELECT count(*)::int AS n FROM items'),
  });

  describe('items', () => {
    it('creates with PUT (201), replaces (200, new version), publishes item.upserted only for a change', async () => {
      const created = await svc.as(MANAGER).put('/api/v1/items/TBL-1').send({ name: 'Table', productLine: 'furniture', reorderPoint: 3 }).expect(201);
      expect(created.body).toMatchObject({ sku: 'TBL-1', name: 'Table', productLine: 'furniture', reorderPoint: 3, active: true, version: 1 });
      expect(created.headers.etag).toBe('"1"');

      const same = await svc.as(MANAGER).put('/api/v1/items/TBL-1').send({ name: 'Table', productLine: 'furniture', reorderPoint: 3 }).expect(200);
      expect(same.body.version).toBe(1);
      const changed = await svc
        .as(ADMIN)
        .put('/api/v1/items/TBL-1')
        .set('If-Match', '"1"')
        .send({ name: 'Oak table', productLine: 'furniture', reorderPoint: 3 })
        .expect(200);
      expect(changed.body).toMatchObject({ name: 'Oak table', version: 2 });
      await svc.as(ADMIN).put('/api/v1/items/TBL-1').set('If-Match', '"1"').send({ name: 'Stale edit' }).expect(412);

      await outboxDrained(svc);
      const upserted = await publishedFor(svc, 'item.upserted', 'TBL-1', 'sku');
      expect(upserted.map((e) => (e.data as { name: string }).name)).toEqual(['Table', 'Oak table']);
    });

    it('lists items by product line in cursor pages and shows one item with its stock per warehouse', async () => {
      for (const sku of ['LIST-A', 'LIST-B', 'LIST-C']) await createItem(svc, sku, 0, 'lighting');
      await receive(svc, 'LIST-B', 4);
      const first = await svc.as(REP).get('/api/v1/items?productLine=lighting&limit=2').expect(200);
      expect(first.body.items.map((i: { sku: string }) => i.sku)).toEqual(['LIST-A', 'LIST-B']);
      const second = await svc.as(REP).get(`/api/v1/items?productLine=lighting&limit=2&cursor=${first.body.nextCursor}`).expect(200);
      expect(second.body).toEqual({ items: [expect.objectContaining({ sku: 'LIST-C' })], nextCursor: null });

      const one = await svc.as(REP).get('/api/v1/items/LIST-B').expect(200);
      expect(one.body).toMatchObject({ sku: 'LIST-B', totalOnHand: 4, stock: [{ warehouseId: 'main', onHand: 4, low: false }] });
      const missing = await svc.as(REP).get('/api/v1/items/NOPE-404').expect(404);
      expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(missing.body.code).toBe('ITEM_NOT_FOUND');
    });

    it('refuses bad items and callers without the role, storing and publishing nothing', async () => {
      const before = await snapshot();
      const bad = await svc.as(ADMIN).put('/api/v1/items/BAD-1').send({ name: '', reorderPoint: -1, colour: 'red' }).expect(400);
      expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(bad.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'name' }),
          expect.objectContaining({ field: 'reorderPoint', constraint: 'min' }),
          expect.objectContaining({ field: 'colour', constraint: 'whitelistValidation' }),
        ]),
      );
      await svc.as(ADMIN).put('/api/v1/items/bad%20sku').send({ name: 'x' }).expect(400);
      await svc.as(REP).put('/api/v1/items/REP-1').send({ name: 'Not for reps' }).expect(403);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('warehouses', () => {
    it('creates a warehouse once (409 after) and lists them by priority', async () => {
      await svc.as(ADMIN).post('/api/v1/warehouses').send({ id: 'south', name: 'South', priority: 5 }).expect(201);
      const dup = await svc.as(ADMIN).post('/api/v1/warehouses').send({ id: 'south', name: 'South again' }).expect(409);
      expect(dup.body.code).toBe('WAREHOUSE_EXISTS');
      await svc.as(ADMIN).post('/api/v1/warehouses').send({ id: 'Has Spaces', name: 'x' }).expect(400);
      await svc.as(MANAGER).post('/api/v1/warehouses').send({ id: 'mgr', name: 'x' }).expect(403);
      const list = await svc.as(REP).get('/api/v1/warehouses').expect(200);
      expect(list.body.items.map((w: { id: string }) => w.id)).toEqual(['main', 'south']);
    });
  });

  describe('stock receipts', () => {
    it('increase the level, write the ledger and publish stock.received; the key makes a retry safe', async () => {
      await createItem(svc, 'RCV-1');
      const key = randomUUID();
      const res = await svc
        .as(MANAGER)
        .post('/api/v1/stock/receipts')
        .set('Idempotency-Key', key)
        .send({ sku: 'RCV-1', warehouseId: 'main', quantity: 7, note: 'PO-1' })
        .expect(201);
      expect(res.body).toMatchObject({ sku: 'RCV-1', warehouseId: 'main', quantity: 7, onHand: 7 });
      const retry = await svc
        .as(MANAGER)
        .post('/api/v1/stock/receipts')
        .set('Idempotency-Key', key)
        .send({ sku: 'RCV-1', warehouseId: 'main', quantity: 7, note: 'PO-1' })
        .expect(201);
      expect(retry.body).toEqual(res.body);
      await svc.as(MANAGER).post('/api/v1/stock/receipts').send({ sku: 'RCV-1', warehouseId: 'main', quantity: 3 }).expect(201);

      expect(await onHand(svc, 'RCV-1')).toBe(10);
      const ledger = await svc.as(REP).get('/api/v1/stock/movements?sku=RCV-1').expect(200);
      expect(ledger.body.items.map((m: { delta: number; reason: string; by: string }) => [m.reason, m.delta, m.by])).toEqual([
        ['receipt', 3, 'manager-1'],
        ['receipt', 7, 'manager-1'],
      ]);
      await outboxDrained(svc);
      const received = await publishedFor(svc, 'stock.received', 'RCV-1', 'sku');
      expect(received.map((e) => e.data)).toEqual([expect.objectContaining({ quantity: 7, onHand: 7 }), expect.objectContaining({ quantity: 3, onHand: 10 })]);
    });

    it.each([
      ['an unknown field', { sku: 'RCV-2', warehouseId: 'main', quantity: 1, price: 3 }, 400, 'VALIDATION_FAILED'],
      ['a negative quantity', { sku: 'RCV-2', warehouseId: 'main', quantity: -5 }, 400, 'VALIDATION_FAILED'],
      ['a zero quantity', { sku: 'RCV-2', warehouseId: 'main', quantity: 0 }, 400, 'VALIDATION_FAILED'],
      ['a fractional quantity', { sku: 'RCV-2', warehouseId: 'main', quantity: 1.5 }, 400, 'VALIDATION_FAILED'],
      ['a missing sku', { warehouseId: 'main', quantity: 1 }, 400, 'VALIDATION_FAILED'],
      ['an unknown warehouse', { sku: 'RCV-2', warehouseId: 'atlantis', quantity: 1 }, 404, 'WAREHOUSE_NOT_FOUND'],
      ['an unknown SKU', { sku: 'NOT-IN-CATALOGUE', warehouseId: 'main', quantity: 1 }, 404, 'ITEM_NOT_FOUND'],
    ])('refuse %s with problem+json, storing and publishing nothing', async (_case, body, status, code) => {
      await svc.as(ADMIN).put('/api/v1/items/RCV-2').send({ name: 'Receipt target' });
      const before = await snapshot();
      const res = await svc.as(ADMIN).post('/api/v1/stock/receipts').send(body).expect(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe(code);
      if (status === 400) expect(res.body.errors.length).toBeGreaterThan(0);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses malformed JSON and a caller without the role, storing nothing', async () => {
      await createItem(svc, 'RCV-3');
      const before = await snapshot();
      const res = await svc.as(ADMIN).post('/api/v1/stock/receipts').set('content-type', 'application/json').send('{"sku": "RCV-3", "quantity": ').expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      await svc.as(REP).post('/api/v1/stock/receipts').send({ sku: 'RCV-3', warehouseId: 'main', quantity: 1 }).expect(403);
      await request(svc.app.getHttpServer()).post('/api/v1/stock/receipts').send({ sku: 'RCV-3', warehouseId: 'main', quantity: 1 }).expect(401);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('stock levels', () => {
    it('filters the levels at or below their reorder point', async () => {
      await createItem(svc, 'LVL-LOW', 5);
      await createItem(svc, 'LVL-OK', 5);
      await receive(svc, 'LVL-LOW', 2);
      await receive(svc, 'LVL-OK', 20);
      const low = await svc.as(REP).get('/api/v1/stock?belowReorderPoint=true&limit=200').expect(200);
      const skus = low.body.items.map((l: { sku: string }) => l.sku);
      expect(skus).toContain('LVL-LOW');
      expect(skus).not.toContain('LVL-OK');
      const one = await svc.as(REP).get('/api/v1/stock?sku=LVL-OK').expect(200);
      expect(one.body.items).toEqual([expect.objectContaining({ sku: 'LVL-OK', warehouseId: 'main', onHand: 20, reorderPoint: 5, low: false })]);
      await svc.as(REP).get('/api/v1/stock?belowReorderPoint=maybe').expect(400);
      await svc.as(REP).get('/api/v1/stock/movements?orderId=not-a-uuid').expect(400);
    });

    it('documents the routes in /openapi.json', async () => {
      const doc = await svc.as(REP).get('/openapi.json').expect(200);
      for (const path of ['/api/v1/items/{sku}', '/api/v1/items', '/api/v1/warehouses', '/api/v1/stock/receipts', '/api/v1/stock', '/api/v1/stock/movements']) {
        expect(doc.body.paths[path]).toBeDefined();
      }
      expect(doc.body.components.schemas.ReceiveStockDto.properties.quantity).toMatchObject({ minimum: 1 });
    });
  });
});
