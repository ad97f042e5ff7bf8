import { randomUUID } from 'node:crypto';
import { Role } from '@crm/http';
import { checkAccessMatrix, checkUnknownRoutes, OPS_ROUTES, SIGNED, type AccessTable, type TestService } from '@crm/testing';
import { AppModule } from '../src/app.module';
import { startInventory } from './inventory-fixtures';

const { Admin, SalesManager: Manager, SalesRep: Rep, Integration } = Role;
const EVERYONE = [Admin, Manager, Rep, Integration];
const PEOPLE = [Admin, Manager, Rep];

/**
 * Who may call what (docs/architecture.md#api-conventions, apps/inventory/README.md), by hand so a relaxed @Roles fails. The catalogue and
 * stock are shared reference data (no owner): everyone reads them, the ERP integration to sync what it maintains;
 * the ERP integration, admin and managers maintain items and receive stock; warehouses are admin's and the
 * ERP's. The movement ledger is audit data for people: a stock sync reads levels.
 */
const TABLE: AccessTable = {
  ...OPS_ROUTES,
  'POST /api/v1/erp/webhooks/stock': SIGNED, // the ERP's HMAC-signed webhook
  'GET /api/v1/items': EVERYONE,
  'GET /api/v1/items/:sku': EVERYONE,
  'PUT /api/v1/items/:sku': [Admin, Integration, Manager],
  'GET /api/v1/stock': EVERYONE,
  'GET /api/v1/stock/movements': PEOPLE,
  'POST /api/v1/stock/receipts': [Admin, Integration, Manager],
  'GET /api/v1/warehouses': EVERYONE,
  'POST /api/v1/warehouses': [Admin, Integration],
  'GET /api/v1/audit/inventory': PEOPLE,
};

const admin = { sub: randomUUID(), roles: [Admin] };
const manager = { sub: randomUUID(), roles: [Manager], team: 'acl-t2' };
const rep = { sub: randomUUID(), roles: [Rep], team: 'acl-t2' };
const integration = { sub: 'acl-bridge', roles: [Integration] };

describe('inventory access matrix (OWASP API1/API3/API5)', () => {
  let svc: TestService;
  const fingerprint = () =>
    svc.dataSource.query(
      'SELECT (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM stock_movements) AS movements, (SELECT count(*) FROM outbox) AS outbox',
    );

  beforeAll(async () => {
    svc = await startInventory((config) => AppModule.forRoot(config));
  });
  afterAll(() => svc?.close());

  it('answers every route × credential as the access table says', async () => {
    const { violations, routes } = await checkAccessMatrix(svc, TABLE, { admin, sales_manager: manager, sales_rep: rep, integration });
    expect(violations).toEqual([]);
    expect(routes.length).toBe(Object.keys(TABLE).length);
  });

  it('answers unknown routes 404 problem+json, with or without a token', async () => {
    expect(await checkUnknownRoutes(svc, admin)).toEqual([]);
  });

  it('refuses stock figures and server fields in item and receipt bodies (mass assignment) with 400 naming the field', async () => {
    const before = await fingerprint();
    const serverOwned = { onHand: 1000, reserved: 0, available: 1000, version: 3, createdAt: '2020-01-01T00:00:00Z', sku: 'OTHER-SKU' };
    for (const [field, value] of Object.entries(serverOwned)) {
      const item = await svc
        .as(manager)
        .put('/api/v1/items/ACL-ITEM')
        .send({ name: 'Acl item', [field]: value })
        .expect(400);
      expect(item.body.errors).toEqual([expect.objectContaining({ field, constraint: 'whitelistValidation' })]);
    }
    for (const [field, value] of Object.entries({ onHand: 1000, reason: 'adjustment', orderId: randomUUID(), id: randomUUID() })) {
      const receipt = await svc
        .as(manager)
        .post('/api/v1/stock/receipts')
        .send({ sku: 'ACL-ITEM', warehouseId: 'main', quantity: 1, [field]: value })
        .expect(400);
      expect(receipt.body.errors).toEqual([expect.objectContaining({ field, constraint: 'whitelistValidation' })]);
    }
    expect(await fingerprint()).toEqual(before);
  });
});
