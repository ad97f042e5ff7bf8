import { randomUUID } from 'node:crypto';
import { Role } from '@crm/http';
import { checkAccessMatrix, checkCrossOwner, checkUnknownRoutes, OPS_ROUTES, type AccessTable, type TestService } from '@crm/testing';
import { createAccount, createContact, startCustomers } from '../src/testing/customers-fixtures';

const { Admin, SalesManager: Manager, SalesRep: Rep, Integration } = Role;

/**
 * Who may call what (docs/architecture.md#api-conventions, apps/customers/README.md), by hand so a relaxed @Roles fails.
 * Sales roles work with accounts and contacts within their scope; managers read the duplicate rules, admins change them;
 * merges, their undo and the duplicate scan's pairs are for managers (their team's records) and admins.
 */
const TABLE: AccessTable = {
  ...OPS_ROUTES,
  'POST /api/v1/accounts': [Admin, Manager, Rep],
  'GET /api/v1/accounts': [Admin, Manager, Rep],
  'GET /api/v1/accounts/:id': [Admin, Manager, Rep],
  'PATCH /api/v1/accounts/:id': [Admin, Manager, Rep],
  'GET /api/v1/accounts/:id/timeline': [Admin, Manager, Rep],
  'GET /api/v1/accounts/:id/summary': [Admin, Manager, Rep],
  'POST /api/v1/contacts': [Admin, Manager, Rep],
  'GET /api/v1/contacts': [Admin, Manager, Rep],
  'GET /api/v1/contacts/:id': [Admin, Manager, Rep],
  'PATCH /api/v1/contacts/:id': [Admin, Manager, Rep],
  'GET /api/v1/contacts/:id/timeline': [Admin, Manager, Rep],
  'GET /api/v1/contacts/:id/summary': [Admin, Manager, Rep],
  'GET /api/v1/duplicate-rules': [Admin, Manager],
  'PATCH /api/v1/duplicate-rules/:id': [Admin],
  'POST /api/v1/accounts/:id/merge': [Admin, Manager],
  'POST /api/v1/contacts/:id/merge': [Admin, Manager],
  'POST /api/v1/merges/:mergeId/undo': [Admin, Manager],
  'GET /api/v1/merges': [Admin, Manager],
  'GET /api/v1/duplicate-candidates': [Admin, Manager],
  'POST /api/v1/duplicate-candidates/:id/dismiss': [Admin, Manager],
  'POST /api/v1/duplicate-scans': [Admin, Manager],
  // A person's rights over their data (ADR 0024): admins only.
  'POST /api/v1/contacts/:id/erasure': [Admin],
  'GET /api/v1/personal-data/customers': [Admin],
  'GET /api/v1/audit/customers': [Admin, Manager, Rep],
};

const admin = { sub: randomUUID(), roles: [Admin] };
const repA = { sub: randomUUID(), roles: [Rep], team: 'acl-t1' };
const repB = { sub: randomUUID(), roles: [Rep], team: 'acl-t2' };
const managerT2 = { sub: randomUUID(), roles: [Manager], team: 'acl-t2' };
const integration = { sub: 'acl-bridge', roles: [Integration] };

describe('customers access matrix (OWASP API1/API3/API5)', () => {
  let svc: TestService;
  let accountA: string;
  let contactA: string;
  let accountA2: string;
  let contactA2: string;
  const fingerprint = () =>
    svc.dataSource.query(
      'SELECT (SELECT max(version) FROM accounts) AS accounts, (SELECT max(version) FROM contacts) AS contacts, (SELECT count(*) FROM outbox) AS outbox',
    );

  beforeAll(async () => {
    svc = await startCustomers();
    accountA = (await createAccount(svc, repA, { name: 'ACL Alpha' })).id;
    contactA = (await createContact(svc, repA, { name: 'ACL Person', emails: ['acl@alpha.example'], accountIds: [accountA] })).id;
    accountA2 = (await createAccount(svc, repA, { name: 'ACL Alpha Two' })).id;
    contactA2 = (await createContact(svc, repA, { name: 'ACL Person Two', emails: ['acl2@alpha.example'] })).id;
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

  it("gives another team's rep or manager a 404 on every account and contact id route and changes nothing", async () => {
    const before = await fingerprint();
    const callers = [
      { name: 'rep B', claims: repB },
      { name: 'manager of T2', claims: managerT2 },
    ];
    const accounts = await checkCrossOwner(svc, {
      prefix: '/api/v1/accounts/',
      params: { id: accountA },
      callers,
      headers: { 'If-Match': '"1"' },
      bodies: { 'PATCH /api/v1/accounts/:id': { industry: 'taken over' }, 'POST /api/v1/accounts/:id/merge': { mergedId: accountA2 } },
    });
    const contacts = await checkCrossOwner(svc, {
      prefix: '/api/v1/contacts/',
      params: { id: contactA },
      callers,
      headers: { 'If-Match': '"1"' },
      bodies: {
        'PATCH /api/v1/contacts/:id': { title: 'taken over' },
        'POST /api/v1/contacts/:id/merge': { mergedId: contactA2 },
        'POST /api/v1/contacts/:id/erasure': { reason: 'taken over' },
      },
    });
    expect([...accounts.violations, ...contacts.violations]).toEqual([]);
    expect([...accounts.checked, ...contacts.checked]).toHaveLength(11);
    expect(await fingerprint()).toEqual(before);
  });

  it('refuses fields an account may not set (mass assignment) with 400 naming the field', async () => {
    for (const [field, value] of Object.entries({ id: randomUUID(), version: 9, createdBy: 'x', searchText: 'x', createdAt: '2020-01-01T00:00:00Z' })) {
      const res = await svc
        .as(repA)
        .patch(`/api/v1/accounts/${accountA}`)
        .set('If-Match', '"1"')
        .send({ [field]: value })
        .expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field, constraint: 'whitelistValidation' })]);
    }
  });
});
