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
import { analyticsSettings } from '../src/analytics.settings';
import { AppModule } from '../src/app.module';

const { Admin, SalesManager: Manager, SalesRep: Rep, Integration } = Role;
const PEOPLE = [Admin, Manager, Rep];

/**
 * Who may call what (docs/architecture.md#api-conventions, apps/analytics/README.md), by hand so a relaxed @Roles fails. Dashboards read
 * the aggregates, each caller narrowed to their scope; reports are for people, so the integration role (which
 * only feeds data in) gets none of these routes (it may back-fill forecast snapshots after a historical import);
 * forecast accuracy is for admin and managers, quotas and incentive plans are set by admin and managers.
 */
const TABLE: AccessTable = {
  ...OPS_ROUTES,
  'GET /api/v1/analytics/sales': PEOPLE,
  'GET /api/v1/analytics/funnel': PEOPLE,
  'GET /api/v1/analytics/pipeline': PEOPLE,
  'GET /api/v1/analytics/cycle-time': PEOPLE,
  'GET /api/v1/analytics/forecast': PEOPLE,
  'GET /api/v1/analytics/kpis': PEOPLE,
  'GET /api/v1/analytics/rankings': PEOPLE,
  'GET /api/v1/analytics/reps/:repId/report': [Admin, Manager, Rep],
  'GET /api/v1/analytics/forecast/accuracy': [Admin, Manager],
  'POST /api/v1/analytics/forecast/snapshots/backfill': [Admin, Integration],
  'PUT /api/v1/quotas/:period/:repId': [Admin, Manager],
  'GET /api/v1/quotas': [Admin, Manager, Rep],
  'PUT /api/v1/incentive-plans/:period/:team': [Admin, Manager],
  'DELETE /api/v1/incentive-plans/:period/:team': [Admin, Manager],
  'GET /api/v1/incentive-plans/:period/:team': PEOPLE,
  'GET /api/v1/incentive-plans': PEOPLE,
  'GET /api/v1/incentives': PEOPLE,
  'GET /api/v1/audit/analytics': [Admin, Manager, Rep],
};

const admin = { sub: randomUUID(), roles: [Admin] };
const repA = { sub: randomUUID(), roles: [Rep], team: 'acl-t1' };
const repB = { sub: randomUUID(), roles: [Rep], team: 'acl-t2' };
const managerT1 = { sub: randomUUID(), roles: [Manager], team: 'acl-t1' };
const managerT2 = { sub: randomUUID(), roles: [Manager], team: 'acl-t2' };
const integration = { sub: 'acl-bridge', roles: [Integration] };
const month = new Date().toISOString().slice(0, 7);

describe('analytics access matrix (OWASP API1/API3/API5)', () => {
  let svc: TestService;
  const quotas = () => svc.dataSource.query('SELECT period, rep_id::text, amount::text, version FROM quotas ORDER BY rep_id');

  beforeAll(async () => {
    svc = await startTestService('analytics', (config) => AppModule.forRoot(config), { settings: analyticsSettings });
    const now = new Date().toISOString();
    for (const rep of [repA, repB]) {
      const orderId = randomUUID();
      await svc.publish(
        createEvent('rep.upserted', {
          subject: rep.sub,
          data: { repId: rep.sub, name: `acl ${rep.team}`, email: `${rep.team}@crm.example`, team: rep.team, capacity: 10, active: true, updatedAt: now },
        }),
        createEvent('order.confirmed', {
          subject: orderId,
          data: {
            orderId,
            opportunityId: null,
            repId: rep.sub,
            team: rep.team,
            customer: { name: 'Acme' },
            currency: 'EUR',
            paymentTerms: 'NET30',
            total: '100.00',
            lines: [{ lineId: randomUUID(), sku: 'ACL-1', productName: 'Acl', quantity: 1, unitPrice: '100.00', discount: '0', lineTotal: '100.00' }],
            by: rep.sub,
            autoConfirmed: false,
            confirmedAt: now,
          },
        }),
      );
    }
    await eventually(
      async () => {
        const rows = (await svc.as(admin).get(`/api/v1/analytics/kpis?period=${month}&currency=EUR&by=rep`).expect(200)).body.rows as {
          key: string;
          revenue: string;
        }[];
        expect(rows.filter((r) => r.key === repA.sub || r.key === repB.sub).map((r) => r.revenue)).toEqual(['100.00', '100.00']);
      },
      { timeoutMs: 40_000 },
    );
    await svc.as(admin).put(`/api/v1/quotas/${month}/${repA.sub}`).send({ amount: '500.00', currency: 'EUR' }).expect(200);
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

  it("gives another team's rep or manager a 404 for a rep's report", async () => {
    const { violations, checked } = await checkCrossOwner(svc, {
      prefix: '/api/v1/analytics/reps/',
      params: { repId: repA.sub },
      query: `?period=${month}&currency=EUR`,
      callers: [
        { name: 'rep B', claims: repB },
        { name: 'manager of T2', claims: managerT2 },
      ],
      bodies: {},
    });
    expect(violations).toEqual([]);
    expect(checked).toEqual(['GET /api/v1/analytics/reps/:repId/report']);
    await svc.as(managerT1).get(`/api/v1/analytics/reps/${repA.sub}/report?period=${month}&currency=EUR`).expect(200);
  });

  it("keeps other reps' and teams' figures out of KPIs, rankings, sales and quotas", async () => {
    const keys = async (claims: object, url: string) =>
      (
        (
          await svc
            .as(claims as typeof admin)
            .get(url)
            .expect(200)
        ).body.rows as { key: string }[]
      ).map((r) => r.key);
    for (const url of [
      `/api/v1/analytics/kpis?period=${month}&currency=EUR&by=rep`,
      `/api/v1/analytics/rankings?period=${month}&currency=EUR&by=rep&metric=revenue`,
    ]) {
      expect(await keys(repB, url)).not.toContain(repA.sub);
      expect(await keys(managerT2, url)).not.toContain(repA.sub);
      expect(await keys(managerT1, url)).toContain(repA.sub);
    }
    const team = async (claims: object) => keys(claims, `/api/v1/analytics/kpis?period=${month}&currency=EUR&by=team`);
    expect(await team(managerT2)).not.toContain('acl-t1');
    expect(await team(admin)).toEqual(expect.arrayContaining(['acl-t1', 'acl-t2']));
    const sales = async (claims: object) =>
      (
        (
          await svc
            .as(claims as typeof admin)
            .get('/api/v1/analytics/sales?groupBy=rep&currency=EUR')
            .expect(200)
        ).body.series as { points: { x: string }[] }[]
      ).flatMap((s) => s.points.map((p) => p.x));
    expect(await sales(repB)).not.toContain(repA.sub);
    expect(await sales(managerT2)).not.toContain(repA.sub);
    const quotaReps = async (claims: object) =>
      (
        (
          await svc
            .as(claims as typeof admin)
            .get(`/api/v1/quotas?period=${month}`)
            .expect(200)
        ).body.rows as { repId: string }[]
      ).map((r) => r.repId);
    expect(await quotaReps(repB)).toEqual([]);
    expect(await quotaReps(managerT2)).toEqual([]);
    expect(await quotaReps(repA)).toEqual([repA.sub]);
  });

  it("refuses a manager setting another team's quota and server fields in a quota body, changing nothing", async () => {
    const before = await quotas();
    await svc.as(managerT2).put(`/api/v1/quotas/${month}/${repA.sub}`).send({ amount: '1.00', currency: 'EUR' }).expect(403);
    for (const [field, value] of Object.entries({ version: 9, updatedBy: repB.sub, repId: repB.sub, period: '2020-01' })) {
      const res = await svc
        .as(admin)
        .put(`/api/v1/quotas/${month}/${repA.sub}`)
        .send({ amount: '1.00', currency: 'EUR', [field]: value })
        .expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field, constraint: 'whitelistValidation' })]);
    }
    expect(await quotas()).toEqual(before);
  });
});
