import { randomUUID } from 'node:crypto';
import { Role } from '@crm/http';
import { checkAccessMatrix, checkCrossOwner, checkUnknownRoutes, OPS_ROUTES, SIGNED, startTestService, type AccessTable, type TestService } from '@crm/testing';
import { AppModule } from '../src/app.module';
import { leadsSettings } from '../src/leads.settings';

const { Admin, SalesManager: Manager, SalesRep: Rep, Integration } = Role;
const SALES = [Admin, Manager, Rep];
const MANAGERS = [Admin, Manager];

/**
 * Who may call what (docs/architecture.md, apps/leads/README.md). Written out by hand on purpose: the matrix compares it
 * with the routes' @Roles, so relaxing a decorator fails the test. Integration (web forms, lead sources): capture
 * and CSV import, its channels, the historical import, and nothing else: no lead, follow-up or rep directory reads, no sales workflow.
 */
const TABLE: AccessTable = {
  ...OPS_ROUTES,
  'POST /api/v1/intake/web-form': SIGNED, // HMAC-signed instead of a bearer token
  'GET /api/v1/reps': SALES,
  'GET /api/v1/reps/:id': SALES,
  'POST /api/v1/reps': MANAGERS,
  'PATCH /api/v1/reps/:id': MANAGERS,
  'GET /api/v1/assignment-rules': MANAGERS,
  'GET /api/v1/assignment-rules/:id': MANAGERS,
  'POST /api/v1/assignment-rules': MANAGERS,
  'POST /api/v1/assignment-rules/simulate': MANAGERS,
  'PATCH /api/v1/assignment-rules/:id': MANAGERS,
  'DELETE /api/v1/assignment-rules/:id': MANAGERS,
  'POST /api/v1/leads': [...SALES, Integration],
  'POST /api/v1/leads/import': [...MANAGERS, Integration],
  'POST /api/v1/history/leads': [Admin, Integration],
  'GET /api/v1/leads': SALES,
  'GET /api/v1/leads/:id': SALES,
  'PATCH /api/v1/leads/:id': SALES,
  'POST /api/v1/leads/:id/follow-ups': SALES,
  'GET /api/v1/leads/:id/follow-ups': SALES,
  'POST /api/v1/leads/:id/qualify': SALES,
  'POST /api/v1/leads/:id/disqualify': SALES,
  'POST /api/v1/leads/:id/convert': SALES,
  'POST /api/v1/leads/:id/reassign': MANAGERS,
  'POST /api/v1/leads/:id/hand-over': MANAGERS,
  'POST /api/v1/reps/:repId/hand-over': MANAGERS,
  'GET /api/v1/hand-overs/:id': MANAGERS,
  'GET /api/v1/follow-ups/overdue': SALES,
  // A person's rights over their data: erasure of a lead that never became a contact, and the data export.
  'POST /api/v1/leads/:id/erasure': [Admin],
  'GET /api/v1/personal-data/leads': [Admin],
  // Each person's own saved views of a list (and the team's shared ones); not for integrations.
  'GET /api/v1/saved-views': SALES,
  'GET /api/v1/saved-views/:id': SALES,
  'POST /api/v1/saved-views': SALES,
  'DELETE /api/v1/saved-views/:id': SALES,
  'GET /api/v1/audit/leads': SALES,
};

const admin = { sub: randomUUID(), roles: [Admin] };
const repA = { sub: randomUUID(), roles: [Rep], team: 'acl-t1' };
const repB = { sub: randomUUID(), roles: [Rep], team: 'acl-t2' };
const managerT1 = { sub: randomUUID(), roles: [Manager], team: 'acl-t1' };
const managerT2 = { sub: randomUUID(), roles: [Manager], team: 'acl-t2' };
const integration = { sub: 'acl-bridge', roles: [Integration] };

describe('leads access matrix (OWASP API1/API3/API5)', () => {
  let svc: TestService;
  let leadA: string;
  let leadB: string;
  const fingerprint = () =>
    svc.dataSource
      .query(`SELECT (SELECT count(*) FROM leads) AS leads, (SELECT max(updated_at) FROM leads) AS leads_at, (SELECT count(*) FROM follow_ups) AS follow_ups,
                                 (SELECT count(*) FROM assignments) AS assignments, (SELECT count(*) FROM outbox) AS outbox`);

  beforeAll(async () => {
    svc = await startTestService('leads', (config) => AppModule.forRoot(config), {
      env: { LEADS_WEBFORM_SECRET: 'acl-web-form-secret' },
      settings: leadsSettings,
    });
    for (const [rep, name] of [
      [repA, 'acl-a'],
      [repB, 'acl-b'],
    ] as const) {
      await svc
        .as(admin)
        .post('/api/v1/reps')
        .send({ id: rep.sub, name, email: `${name}@crm.example`, team: rep.team, capacity: 50 })
        .expect(201);
    }
    for (const [position, region, team] of [
      [1, 'r1', 'acl-t1'],
      [2, 'r2', 'acl-t2'],
    ] as const) {
      await svc
        .as(admin)
        .post('/api/v1/assignment-rules')
        .send({ name: `acl ${region}`, position, match: { regions: [region] }, target: { kind: 'team', team } })
        .expect(201);
    }
    const capture = async (region: string, email: string) =>
      (await svc.as(admin).post('/api/v1/leads').send({ name: 'Acl Person', email, region, source: 'phone' }).expect(201)).body.lead;
    const a = await capture('r1', 'owner.a@acme.example');
    const b = await capture('r2', 'owner.b@acme.example');
    expect([a.ownerRepId, b.ownerRepId]).toEqual([repA.sub, repB.sub]);
    [leadA, leadB] = [a.id, b.id];
    await svc
      .as(repA)
      .post(`/api/v1/leads/${leadA}/follow-ups`)
      .send({ channel: 'call', content: 'first call', nextAction: 'send quote', nextActionDueAt: '2020-01-01T00:00:00Z' })
      .expect(201);
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

  it("gives another team's rep or manager a 404 on every lead id route and changes nothing", async () => {
    const before = await fingerprint();
    const { violations, checked } = await checkCrossOwner(svc, {
      prefix: '/api/v1/leads/',
      params: { id: leadA },
      callers: [
        { name: 'rep B', claims: repB },
        { name: 'manager of T2', claims: managerT2 },
      ],
      headers: { 'if-match': '"1"' },
      bodies: {
        'PATCH /api/v1/leads/:id': { needs: 'taken over' },
        'POST /api/v1/leads/:id/follow-ups': { channel: 'call', content: 'not mine' },
        'POST /api/v1/leads/:id/qualify': {},
        'POST /api/v1/leads/:id/disqualify': { reason: 'spam' },
        'POST /api/v1/leads/:id/convert': {},
        'POST /api/v1/leads/:id/reassign': { repId: repB.sub },
        'POST /api/v1/leads/:id/hand-over': { toRepId: repB.sub, reason: 'not mine to give' },
        'POST /api/v1/leads/:id/erasure': { reason: 'not mine to erase' },
      },
    });
    expect(violations).toEqual([]);
    expect(checked).toHaveLength(10);
    expect(await fingerprint()).toEqual(before);
    expect((await svc.as(repA).get(`/api/v1/leads/${leadA}`).expect(200)).body.ownerRepId).toBe(repA.sub);
  });

  it("keeps other owners' leads and follow-ups out of lists; a manager sees their team's, admin everything", async () => {
    const ids = async (claims: object, url = '/api/v1/leads?limit=100') =>
      (
        (
          await svc
            .as(claims as typeof admin)
            .get(url)
            .expect(200)
        ).body.items as { id: string; leadId?: string }[]
      ).map((i) => i.leadId ?? i.id);
    expect(await ids(repB)).toEqual([leadB]);
    expect(await ids(managerT2)).toEqual([leadB]);
    expect(await ids(repA)).toEqual([leadA]);
    expect(await ids(managerT1)).toEqual([leadA]);
    expect((await ids(admin)).sort()).toEqual([leadA, leadB].sort());
    // Filters cannot widen the scope.
    expect(await ids(repB, `/api/v1/leads?ownerId=${repA.sub}`)).toEqual([]);
    expect(await ids(managerT2, '/api/v1/leads?team=acl-t1')).toEqual([]);
    expect(await ids(repB, `/api/v1/follow-ups/overdue?repId=${repA.sub}`)).toEqual([]);
    expect(await ids(managerT2, '/api/v1/follow-ups/overdue')).toEqual([]);
    expect(await ids(managerT1, '/api/v1/follow-ups/overdue')).toEqual([leadA]);
  });

  it("does not hand another rep's lead to a rep whose capture merges into it or is routed to it", async () => {
    const secret = (await svc.as(repA).get(`/api/v1/leads/${leadA}`).expect(200)).body;
    // Same person by email, and by a phone-less/email-less lookalike: the merge answer carries no lead.
    const merged = await svc.as(repB).post('/api/v1/leads').send({ name: 'Someone', email: 'OWNER.A@acme.example', source: 'phone' }).expect(200);
    expect(merged.body).toEqual({ merged: true, leadId: leadA });
    // A new lead the rules route to rep A: rep B learns its id, not its owner.
    const routed = await svc.as(repB).post('/api/v1/leads').send({ name: 'Routed', email: 'routed@acme.example', source: 'phone', region: 'r1' }).expect(201);
    expect(routed.body).toEqual({ merged: false, leadId: expect.any(String) });
    await svc.as(repB).get(`/api/v1/leads/${routed.body.leadId}`).expect(404);
    // The owner, their manager and admin still get the lead in the answer.
    const own = await svc.as(repA).post('/api/v1/leads').send({ name: 'Someone', email: 'owner.a@acme.example', source: 'phone' }).expect(200);
    expect(own.body.lead).toMatchObject({ id: leadA, ownerRepId: repA.sub, email: secret.email });
    expect((await svc.as(admin).post('/api/v1/leads').send({ name: 'Someone', email: 'owner.a@acme.example', source: 'phone' }).expect(200)).body.lead.id).toBe(
      leadA,
    );
  });

  it('refuses fields a caller may not set (mass assignment) with 400 naming the field, storing nothing', async () => {
    const before = await fingerprint();
    const lead = { name: 'Mass Assign', email: 'mass@acme.example', source: 'phone', region: 'r2' };
    for (const [field, value] of Object.entries({
      ownerRepId: repB.sub,
      status: 'qualified',
      team: 'acl-t1',
      id: randomUUID(),
      version: 9,
      createdAt: '2020-01-01T00:00:00Z',
    })) {
      const created = await svc
        .as(repB)
        .post('/api/v1/leads')
        .send({ ...lead, [field]: value })
        .expect(400);
      expect(created.body.errors).toEqual([expect.objectContaining({ field, constraint: 'whitelistValidation' })]);
      const patched = await svc
        .as(repB)
        .patch(`/api/v1/leads/${leadB}`)
        .set('if-match', '"1"')
        .send({ [field]: value })
        .expect(400);
      expect(patched.body.errors).toEqual([expect.objectContaining({ field, constraint: 'whitelistValidation' })]);
    }
    // The CSV import goes through the same whitelist, row by row.
    const csv = `name,email,source,ownerRepId,status\nCsv Person,csv@acme.example,import,${repB.sub},qualified`;
    const imported = await svc.as(managerT2).post('/api/v1/leads/import').set('content-type', 'text/csv').send(csv).expect(200);
    expect(imported.body).toMatchObject({
      imported: 0,
      merged: 0,
      rejected: [{ line: 2, errors: expect.arrayContaining([expect.objectContaining({ field: 'ownerRepId' }), expect.objectContaining({ field: 'status' })]) }],
    });
    // A rep cannot make themself a manager's team or another team's rep through the rep directory either.
    await svc.as(repB).patch(`/api/v1/reps/${repB.sub}`).set('if-match', '"1"').send({ team: 'acl-t1' }).expect(403);
    await svc.as(managerT2).patch(`/api/v1/reps/${repA.sub}`).set('if-match', '"1"').send({ team: 'acl-t2' }).expect(403);
    // Nor take over another team's rep by re-creating it under its id.
    const taken = await svc.as(managerT2).post('/api/v1/reps').send({ id: repA.sub, name: 'mine now', email: 'x@crm.example', team: 'acl-t2', capacity: 1 });
    expect(taken.status).toBe(409);
    expect(await fingerprint()).toEqual(before);
  });
});
