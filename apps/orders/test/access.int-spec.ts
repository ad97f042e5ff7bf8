import { randomUUID } from 'node:crypto';
import { createEvent } from '@crm/contracts';
import { Role } from '@crm/http';
import {
  checkAccessMatrix,
  checkCrossOwner,
  checkUnknownRoutes,
  eventually,
  OPS_ROUTES,
  startTestService,
  type AccessTable,
  type TestService,
} from '@crm/testing';
import { AppModule } from '../src/app.module';
import { ordersSettings } from '../src/orders.settings';

const { Admin, SalesManager: Manager, SalesRep: Rep, Integration } = Role;
const SALES = [Admin, Manager, Rep];
const MANAGERS = [Admin, Manager];

/**
 * Who may call what (docs/architecture.md, apps/orders/README.md), by hand so a relaxed @Roles fails. Integration
 * (production systems, carriers) only reports tracking on an order it was given the id of: it cannot list or
 * read orders or feedback, nor draft, approve or cancel; with admin it may import past orders (the historical import).
 */
const TABLE: AccessTable = {
  ...OPS_ROUTES,
  'POST /api/v1/orders': SALES,
  'POST /api/v1/history/orders': [Admin, Integration],
  'GET /api/v1/orders': SALES,
  'GET /api/v1/orders/:id': SALES,
  'PATCH /api/v1/orders/:id': SALES,
  'POST /api/v1/orders/:id/submit': SALES,
  'POST /api/v1/orders/:id/confirm': MANAGERS,
  'POST /api/v1/orders/:id/reject': MANAGERS,
  'POST /api/v1/orders/:id/cancel': SALES,
  'POST /api/v1/orders/:id/complete': MANAGERS,
  'POST /api/v1/orders/:id/erp-retry': MANAGERS,
  'POST /api/v1/orders/:id/hand-over': MANAGERS,
  'POST /api/v1/orders/:id/tracking': [...SALES, Integration],
  'POST /api/v1/orders/:id/feedback': SALES,
  'GET /api/v1/orders/:id/feedback': SALES,
  'GET /api/v1/alerts': SALES,
  'POST /api/v1/alerts/:id/acknowledge': SALES,
  'GET /api/v1/personal-data/orders': [Admin],
  'GET /api/v1/audit/orders': SALES,
};

const admin = { sub: randomUUID(), roles: [Admin] };
const repA = { sub: randomUUID(), roles: [Rep], team: 'acl-t1' };
const repB = { sub: randomUUID(), roles: [Rep], team: 'acl-t2' };
const managerT1 = { sub: randomUUID(), roles: [Manager], team: 'acl-t1' };
const managerT2 = { sub: randomUUID(), roles: [Manager], team: 'acl-t2' };
const integration = { sub: 'acl-bridge', roles: [Integration] };

const order = (overrides: Record<string, unknown> = {}) => ({
  customer: { name: 'Acl Buyer', company: 'Acme Trading' },
  currency: 'USD',
  lines: [{ sku: 'ACL-1', productName: 'Acl pump', quantity: 2, unitPrice: '10.00' }],
  ...overrides,
});

describe('orders access matrix (OWASP API1/API3/API5)', () => {
  let svc: TestService;
  let orderA: string;
  let orderB: string;
  let alertA: string;
  const fingerprint = () =>
    svc.dataSource
      .query(`SELECT (SELECT count(*) FROM orders) AS orders, (SELECT max(updated_at) FROM orders) AS updated_at, (SELECT count(*) FROM outbox) AS outbox,
                                 (SELECT count(*) FROM alerts WHERE acknowledged_at IS NOT NULL) AS acknowledged`);

  beforeAll(async () => {
    svc = await startTestService('orders', (config) => AppModule.forRoot(config), { settings: ordersSettings });
    await svc.publish(
      createEvent('item.upserted', { subject: 'ACL-1', data: { sku: 'ACL-1', name: 'Acl pump', active: true, updatedAt: new Date().toISOString() } }),
    );
    await eventually(async () => expect(Number((await svc.dataSource.query('SELECT count(*) AS n FROM catalogue_items'))[0].n)).toBe(1));
    orderA = (await svc.as(repA).post('/api/v1/orders').send(order()).expect(201)).body.id;
    orderB = (await svc.as(repB).post('/api/v1/orders').send(order()).expect(201)).body.id;
    alertA = randomUUID();
    await svc.dataSource.query(
      `INSERT INTO alerts (id, order_id, rep_id, team, kind, dedupe_key, message, details) VALUES ($1, $2, $3, 'acl-t1', 'quality_problem', $4, 'acl alert', '{}')`,
      [alertA, orderA, repA.sub, `acl-${alertA}`],
    );
  });
  afterAll(() => svc?.close());

  it('answers every route × credential as the access table says', async () => {
    const { violations, routes } = await checkAccessMatrix(svc, TABLE, { admin, sales_manager: managerT2, sales_rep: repB, integration });
    expect(violations).toEqual([]);
    expect(routes.length).toBe(Object.keys(TABLE).length);
  });

  it('answers unknown routes 404 problem+json, with or without a token', async () => {
    expect(await checkUnknownRoutes(svc, admin)).toEqual([]);
  });

  it("gives another team's rep or manager a 404 on every order and alert id route and changes nothing", async () => {
    const before = await fingerprint();
    const callers = [
      { name: 'rep B', claims: repB },
      { name: 'manager of T2', claims: managerT2 },
    ];
    const orders = await checkCrossOwner(svc, {
      prefix: '/api/v1/orders/',
      params: { id: orderA },
      callers,
      // The edit needs If-Match (428 before anything is looked up); the other actions take it as optional.
      headers: { 'If-Match': '"1"' },
      bodies: {
        'PATCH /api/v1/orders/:id': { paymentTerms: 'NET45' },
        'POST /api/v1/orders/:id/submit': {},
        'POST /api/v1/orders/:id/confirm': {},
        'POST /api/v1/orders/:id/reject': { note: 'not mine' },
        'POST /api/v1/orders/:id/cancel': { reason: 'not mine' },
        'POST /api/v1/orders/:id/complete': {},
        'POST /api/v1/orders/:id/erp-retry': {},
        'POST /api/v1/orders/:id/hand-over': { toRepId: repB.sub, reason: 'not mine to give' },
        'POST /api/v1/orders/:id/tracking': { kind: 'production', percent: 50 },
        'POST /api/v1/orders/:id/feedback': { rating: 1, category: 'quality' },
      },
    });
    const alerts = await checkCrossOwner(svc, {
      prefix: '/api/v1/alerts/',
      params: { id: alertA },
      callers,
      bodies: { 'POST /api/v1/alerts/:id/acknowledge': {} },
    });
    expect([...orders.violations, ...alerts.violations]).toEqual([]);
    expect([orders.checked.length, alerts.checked.length]).toEqual([12, 1]);
    expect(await fingerprint()).toEqual(before);
  });

  it("keeps other owners' orders and alerts out of lists; a manager sees their team's, admin everything", async () => {
    const ids = async (claims: object, url: string) =>
      (
        (
          await svc
            .as(claims as typeof admin)
            .get(url)
            .expect(200)
        ).body.items as { id: string }[]
      ).map((i) => i.id);
    expect(await ids(repB, '/api/v1/orders?limit=100')).toEqual([orderB]);
    expect(await ids(managerT2, '/api/v1/orders?limit=100')).toEqual([orderB]);
    expect(await ids(managerT1, '/api/v1/orders?limit=100')).toEqual([orderA]);
    expect((await ids(admin, '/api/v1/orders?limit=100')).sort()).toEqual([orderA, orderB].sort());
    expect(await ids(repB, `/api/v1/orders?repId=${repA.sub}`)).toEqual([]);
    expect(await ids(repB, '/api/v1/alerts')).toEqual([]);
    expect(await ids(managerT2, '/api/v1/alerts')).toEqual([]);
    expect(await ids(managerT1, '/api/v1/alerts')).toEqual([alertA]);
  });

  it('refuses fields a caller may not set (mass assignment) with 400 naming the field, storing nothing', async () => {
    const before = await fingerprint();
    const serverOwned = {
      status: 'confirmed',
      total: '0.01',
      team: 'acl-t1',
      id: randomUUID(),
      version: 5,
      createdAt: '2020-01-01T00:00:00Z',
      opportunityId: randomUUID(),
    };
    for (const [field, value] of Object.entries(serverOwned)) {
      const res = await svc
        .as(repB)
        .post('/api/v1/orders')
        .send(order({ [field]: value }))
        .expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field, constraint: 'whitelistValidation' })]);
    }
    const computedLine = order({ lines: [{ sku: 'ACL-1', productName: 'Acl pump', quantity: 2, unitPrice: '10.00', lineTotal: '0.01' }] });
    const line = await svc.as(repB).post('/api/v1/orders').send(computedLine).expect(400);
    expect(line.body.errors).toEqual([expect.objectContaining({ field: 'lines[0].lineTotal', constraint: 'whitelistValidation' })]);
    // The owner: a rep names only themself, a manager only a rep of their team.
    expect(
      (
        await svc
          .as(repB)
          .post('/api/v1/orders')
          .send(order({ repId: repA.sub }))
          .expect(400)
      ).body.errors,
    ).toEqual([expect.objectContaining({ field: 'repId' })]);
    expect(
      (
        await svc
          .as(managerT2)
          .post('/api/v1/orders')
          .send(order({ repId: repA.sub }))
          .expect(400)
      ).body.errors,
    ).toEqual([expect.objectContaining({ field: 'repId' })]);
    // Actions take no state from the body either.
    const tracked = await svc.as(repB).post(`/api/v1/orders/${orderB}/tracking`).send({ kind: 'production', percent: 10, status: 'shipped' }).expect(400);
    expect(tracked.body.errors).toEqual([expect.objectContaining({ field: 'status', constraint: 'whitelistValidation' })]);
    expect(await fingerprint()).toEqual(before);
  });
});
