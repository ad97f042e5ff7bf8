import { randomUUID } from 'node:crypto';
import { Role } from '@crm/http';
import { checkAccessMatrix, checkCrossOwner, checkUnknownRoutes, OPS_ROUTES, startTestService, type AccessTable, type TestService } from '@crm/testing';
import { AppModule } from '../src/app.module';
import { opportunitiesSettings } from '../src/opportunities.settings';

const { Admin, SalesManager: Manager, SalesRep: Rep, Integration } = Role;
const SALES = [Admin, Manager, Rep];
const MANAGERS = [Admin, Manager];

/**
 * Who may call what (docs/architecture.md, apps/opportunities/README.md), by hand so a relaxed @Roles fails. No integration
 * feeds or needs opportunities, so the integration role gets none of these routes but the historical import; the scoring model and the
 * pipelines are admin's.
 */
const TABLE: AccessTable = {
  ...OPS_ROUTES,
  'POST /api/v1/opportunities': SALES,
  'POST /api/v1/history/opportunities': [Admin, Integration],
  'GET /api/v1/opportunities': SALES,
  'GET /api/v1/opportunities/:id': SALES,
  'PATCH /api/v1/opportunities/:id': SALES,
  'POST /api/v1/opportunities/:id/tasks': SALES,
  'POST /api/v1/opportunities/:id/tasks/:taskId/complete': SALES,
  'POST /api/v1/opportunities/:id/stage': SALES,
  'POST /api/v1/opportunities/:id/win': SALES,
  'POST /api/v1/opportunities/:id/lose': SALES,
  'POST /api/v1/opportunities/:id/reopen': MANAGERS,
  'POST /api/v1/opportunities/:id/hand-over': MANAGERS,
  'POST /api/v1/opportunities/:id/strategies': SALES,
  'GET /api/v1/opportunities/:id/strategies': SALES,
  'GET /api/v1/pipeline/summary': SALES,
  'GET /api/v1/pipelines': SALES,
  'POST /api/v1/pipelines': [Admin],
  'GET /api/v1/scoring-model': SALES,
  'GET /api/v1/scoring-model/versions': MANAGERS,
  'PUT /api/v1/scoring-model': [Admin],
  'POST /api/v1/scoring-model/train': [Admin],
  'GET /api/v1/reminders': SALES,
  'GET /api/v1/personal-data/opportunities': [Admin],
  'GET /api/v1/audit/opportunities': SALES,
};

const admin = { sub: randomUUID(), roles: [Admin] };
const repA = { sub: randomUUID(), roles: [Rep], team: 'acl-t1' };
const repB = { sub: randomUUID(), roles: [Rep], team: 'acl-t2' };
const managerT1 = { sub: randomUUID(), roles: [Manager], team: 'acl-t1' };
const managerT2 = { sub: randomUUID(), roles: [Manager], team: 'acl-t2' };
const integration = { sub: 'acl-bridge', roles: [Integration] };

const opportunity = (overrides: Record<string, unknown> = {}) => ({
  customer: { name: 'Acl Buyer', company: 'Acme Trading' },
  currency: 'USD',
  expectedCloseDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
  expectedAmount: '12000',
  ...overrides,
});

describe('opportunities access matrix (OWASP API1/API3/API5)', () => {
  let svc: TestService;
  let oppA: string;
  let oppB: string;
  let taskA: string;
  const fingerprint = () =>
    svc.dataSource.query(`SELECT (SELECT count(*) FROM opportunities) AS opportunities, (SELECT max(updated_at) FROM opportunities) AS updated_at,
                                 (SELECT sum(activity_count) FROM opportunities) AS activity, (SELECT count(*) FROM opportunity_tasks WHERE done_at IS NOT NULL) AS tasks_done,
                                 (SELECT count(*) FROM opportunity_tasks) AS tasks, (SELECT count(*) FROM outbox) AS outbox`);

  beforeAll(async () => {
    svc = await startTestService('opportunities', (config) => AppModule.forRoot(config), { settings: opportunitiesSettings });
    oppA = (await svc.as(repA).post('/api/v1/opportunities').send(opportunity()).expect(201)).body.id;
    oppB = (await svc.as(repB).post('/api/v1/opportunities').send(opportunity()).expect(201)).body.id;
    await svc.as(repA).post(`/api/v1/opportunities/${oppA}/tasks`).send({ key: 'acl_task', title: 'call the buyer' }).expect(201);
    [{ id: taskA }] = await svc.dataSource.query('SELECT id FROM opportunity_tasks WHERE opportunity_id = $1', [oppA]);
    await svc.as(repA).post(`/api/v1/opportunities/${oppA}/strategies`).send({ rationale: 'price first' }).expect(201);
    // A stage-overdue reminder for rep A, as the scheduler would write it.
    await svc.dataSource.query(
      `INSERT INTO stage_overdue_reminders (id, opportunity_id, rep_id, team, stage, stage_entered_at, limit_hours, due_at, detected_at)
       VALUES ($1, $2, $3, 'acl-t1', 'qualification', now() - interval '3 days', 24, now() - interval '2 days', now())`,
      [randomUUID(), oppA, repA.sub],
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

  it("gives another team's rep or manager a 404 on every opportunity id route and changes nothing", async () => {
    const before = await fingerprint();
    const { violations, checked } = await checkCrossOwner(svc, {
      prefix: '/api/v1/opportunities/',
      params: { id: oppA, taskId: taskA },
      callers: [
        { name: 'rep B', claims: repB },
        { name: 'manager of T2', claims: managerT2 },
      ],
      headers: { 'if-match': '"1"' },
      bodies: {
        'PATCH /api/v1/opportunities/:id': { expectedAmount: '1' },
        'POST /api/v1/opportunities/:id/tasks': { key: 'acl_other', title: 'not mine' },
        'POST /api/v1/opportunities/:id/tasks/:taskId/complete': {},
        'POST /api/v1/opportunities/:id/stage': { toStage: 'qualification' },
        'POST /api/v1/opportunities/:id/win': { lines: [{ sku: 'X-1', productName: 'X', quantity: 1, unitPrice: '1' }] },
        'POST /api/v1/opportunities/:id/lose': { reason: 'taken over' },
        'POST /api/v1/opportunities/:id/reopen': {},
        'POST /api/v1/opportunities/:id/hand-over': { toRepId: repB.sub, reason: 'not mine to give' },
        'POST /api/v1/opportunities/:id/strategies': { rationale: 'not mine' },
      },
    });
    expect(violations).toEqual([]);
    expect(checked).toHaveLength(11);
    expect(await fingerprint()).toEqual(before);
  });

  it("keeps other owners' opportunities out of lists and the pipeline summary; a manager sees their team's, admin everything", async () => {
    const ids = async (claims: object, url = '/api/v1/opportunities?limit=100') =>
      (
        (
          await svc
            .as(claims as typeof admin)
            .get(url)
            .expect(200)
        ).body.items as { id: string }[]
      ).map((i) => i.id);
    expect(await ids(repB)).toEqual([oppB]);
    expect(await ids(managerT2)).toEqual([oppB]);
    expect(await ids(managerT1)).toEqual([oppA]);
    expect((await ids(admin)).sort()).toEqual([oppA, oppB].sort());
    expect(await ids(repB, `/api/v1/opportunities?repId=${repA.sub}`)).toEqual([]);
    expect(await ids(managerT2, '/api/v1/opportunities?team=acl-t1')).toEqual([]);
    const counted = async (claims: object, query = '') =>
      (
        (
          await svc
            .as(claims as typeof admin)
            .get(`/api/v1/pipeline/summary${query}`)
            .expect(200)
        ).body.stages as { count: number }[] | undefined
      )?.reduce((n, s) => n + s.count, 0);
    expect(await counted(repB, `?repId=${repA.sub}`)).toBe(0);
    expect(await counted(managerT2, '?team=acl-t1')).toBe(0);
    expect(await counted(admin)).toBe(2);
    const reminded = async (claims: object) =>
      (
        (
          await svc
            .as(claims as typeof admin)
            .get('/api/v1/reminders?limit=100')
            .expect(200)
        ).body.items as { opportunityId: string }[]
      ).map((r) => r.opportunityId);
    expect(await reminded(repB)).toEqual([]);
    expect(await reminded(managerT2)).toEqual([]);
    expect(await reminded(managerT1)).toEqual([oppA]);
    expect(await reminded(repA)).toEqual([oppA]);
  });

  it('refuses fields a caller may not set (mass assignment) with 400 naming the field, storing nothing', async () => {
    const before = await fingerprint();
    const serverOwned = {
      status: 'won',
      stage: 'negotiation',
      score: 99,
      wonAmount: '1',
      id: randomUUID(),
      version: 7,
      createdAt: '2020-01-01T00:00:00Z',
      leadId: randomUUID(),
    };
    for (const [field, value] of Object.entries(serverOwned)) {
      const created = await svc
        .as(repB)
        .post('/api/v1/opportunities')
        .send(opportunity({ [field]: value }))
        .expect(400);
      expect(created.body.errors).toEqual([expect.objectContaining({ field, constraint: 'whitelistValidation' })]);
    }
    for (const [field, value] of Object.entries({ ...serverOwned, repId: repB.sub, team: 'acl-t2' })) {
      const patched = await svc
        .as(repB)
        .patch(`/api/v1/opportunities/${oppB}`)
        .set('if-match', '"1"')
        .send({ [field]: value })
        .expect(400);
      expect(patched.body.errors).toEqual([expect.objectContaining({ field, constraint: 'whitelistValidation' })]);
    }
    // Owner and team on create: a rep names only themself, only an admin names a team.
    const asOther = await svc
      .as(repB)
      .post('/api/v1/opportunities')
      .send(opportunity({ repId: repA.sub }))
      .expect(400);
    expect(asOther.body.errors).toEqual([expect.objectContaining({ field: 'repId' })]);
    const team = await svc
      .as(managerT2)
      .post('/api/v1/opportunities')
      .send(opportunity({ team: 'acl-t1' }))
      .expect(400);
    expect(team.body.errors).toEqual([expect.objectContaining({ field: 'team' })]);
    expect(await fingerprint()).toEqual(before);
  });
});
