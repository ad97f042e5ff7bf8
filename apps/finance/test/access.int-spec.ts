import { randomUUID } from 'node:crypto';
import { Role } from '@crm/http';
import { checkAccessMatrix, checkCrossOwner, checkUnknownRoutes, OPS_ROUTES, SIGNED, startTestService, type AccessTable, type TestService } from '@crm/testing';
import { AppModule } from '../src/app.module';
import { financeSettings } from '../src/finance.settings';
import { openReceivable } from '../src/testing/finance-fixtures';

const { Admin, SalesManager: Manager, SalesRep: Rep, Integration } = Role;

/**
 * Who may call what (docs/architecture.md#api-conventions, apps/finance/README.md), by hand so a relaxed @Roles fails. Payments come from
 * managers and from the ERP/bank integration, which reads only the receivable it pays (by order or by id), never
 * the list; a rep only reads their own receivables.
 */
const TABLE: AccessTable = {
  ...OPS_ROUTES,
  'POST /api/v1/erp/webhooks/payments': SIGNED, // the ERP's HMAC-signed webhook
  'GET /api/v1/receivables': [Admin, Manager, Rep],
  'GET /api/v1/receivables/by-order/:orderId': [Admin, Integration, Manager, Rep],
  'GET /api/v1/receivables/:id': [Admin, Integration, Manager, Rep],
  'POST /api/v1/receivables/:id/payments': [Admin, Integration, Manager],
  'GET /api/v1/personal-data/finance': [Admin], // a person's data export
  'GET /api/v1/audit/finance': [Admin, Manager, Rep],
};

const admin = { sub: randomUUID(), roles: [Admin] };
const repA = { sub: randomUUID(), roles: [Rep], team: 'acl-t1' };
const repB = { sub: randomUUID(), roles: [Rep], team: 'acl-t2' };
const managerT1 = { sub: randomUUID(), roles: [Manager], team: 'acl-t1' };
const managerT2 = { sub: randomUUID(), roles: [Manager], team: 'acl-t2' };
const integration = { sub: 'acl-bridge', roles: [Integration] };

describe('finance access matrix (OWASP API1/API3/API5)', () => {
  let svc: TestService;
  let receivableA: { id: string; orderId: string };
  let receivableB: { id: string; orderId: string };
  const fingerprint = () =>
    svc.dataSource.query(
      'SELECT (SELECT count(*) FROM payments) AS payments, (SELECT sum(paid) FROM receivables) AS paid, (SELECT count(*) FROM outbox) AS outbox',
    );

  beforeAll(async () => {
    svc = await startTestService('finance', (config) => AppModule.forRoot(config), { settings: financeSettings });
    const a = await openReceivable(svc, { repId: repA.sub, team: 'acl-t1' });
    const b = await openReceivable(svc, { repId: repB.sub, team: 'acl-t2' });
    receivableA = { id: a.receivable.id, orderId: a.event.data.orderId };
    receivableB = { id: b.receivable.id, orderId: b.event.data.orderId };
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

  it("gives another team's rep or manager a 404 on every receivable id route and takes no payment", async () => {
    const before = await fingerprint();
    const { violations, checked } = await checkCrossOwner(svc, {
      prefix: '/api/v1/receivables/',
      params: { id: receivableA.id, orderId: receivableA.orderId },
      callers: [
        { name: 'rep B', claims: repB },
        { name: 'manager of T2', claims: managerT2 },
      ],
      bodies: { 'POST /api/v1/receivables/:id/payments': { amount: '1.00', currency: 'EUR' } },
    });
    expect(violations).toEqual([]);
    expect(checked).toHaveLength(3);
    expect(await fingerprint()).toEqual(before);
  });

  it("keeps other owners' receivables out of lists; a manager sees their team's, admin everything", async () => {
    const ids = async (claims: object, query = '') =>
      (
        (
          await svc
            .as(claims as typeof admin)
            .get(`/api/v1/receivables?limit=100${query}`)
            .expect(200)
        ).body.items as { id: string }[]
      ).map((i) => i.id);
    expect(await ids(repB)).toEqual([receivableB.id]);
    expect(await ids(managerT2)).toEqual([receivableB.id]);
    expect(await ids(repA)).toEqual([receivableA.id]);
    expect(await ids(managerT1)).toEqual([receivableA.id]);
    expect((await ids(admin)).sort()).toEqual([receivableA.id, receivableB.id].sort());
    expect(await ids(repB, `&orderId=${receivableA.orderId}`)).toEqual([]);
  });

  it('refuses fields a payment may not set (mass assignment) with 400 naming the field, storing nothing', async () => {
    const before = await fingerprint();
    for (const [field, value] of Object.entries({
      status: 'paid',
      paid: '255.17',
      receivableId: receivableA.id,
      id: randomUUID(),
      outstanding: '0',
      createdAt: '2020-01-01T00:00:00Z',
    })) {
      const res = await svc
        .as(managerT2)
        .post(`/api/v1/receivables/${receivableB.id}/payments`)
        .send({ amount: '1.00', currency: 'EUR', [field]: value })
        .expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field, constraint: 'whitelistValidation' })]);
    }
    expect(await fingerprint()).toEqual(before);
  });
});
