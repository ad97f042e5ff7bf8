import { randomUUID } from 'node:crypto';
import { ALL_ROLES, Role } from '@crm/http';
import { checkAccessMatrix, checkUnknownRoutes, OPS_ROUTES, type AccessTable, type TestService } from '@crm/testing';
import { fanOut, setRecordOwner, startNotifications } from '../src/testing/notifications-fixtures';

const { Admin, SalesManager: Manager, SalesRep: Rep, ProductTeam } = Role;
const EVERYONE = [...ALL_ROLES];

/**
 * Who may call what (apps/notifications/README.md), by hand so a relaxed @Roles fails. Everyone has an inbox,
 * preferences, delivery settings and their own webhook endpoints; the rules, types, routing table and the
 * recipient directory are admin's to change (managers read rules and their team's directory, product teams the
 * routing table).
 */
const TABLE: AccessTable = {
  ...OPS_ROUTES,
  'GET /api/v1/notifications': EVERYONE,
  'GET /api/v1/notifications/unread-count': EVERYONE,
  'GET /api/v1/notifications/stream': EVERYONE,
  'POST /api/v1/notifications/read-all': EVERYONE,
  'POST /api/v1/notifications/:id/read': EVERYONE,
  'POST /api/v1/notifications/:id/unread': EVERYONE,
  'POST /api/v1/notifications/:id/archive': EVERYONE,
  'POST /api/v1/notifications/:id/snooze': EVERYONE,
  'GET /api/v1/notification-preferences': EVERYONE,
  'PUT /api/v1/notification-preferences': EVERYONE,
  'GET /api/v1/notification-settings': EVERYONE,
  'PUT /api/v1/notification-settings': EVERYONE,
  'GET /api/v1/notification-types': EVERYONE,
  'PATCH /api/v1/notification-types/:type': [Admin],
  'GET /api/v1/notification-rules': [Admin, Manager],
  'PUT /api/v1/notification-rules/:id': [Admin],
  'DELETE /api/v1/notification-rules/:id': [Admin],
  'GET /api/v1/product-routes': [Admin, Manager, ProductTeam],
  'PUT /api/v1/product-routes/:productLine': [Admin],
  'DELETE /api/v1/product-routes/:productLine': [Admin],
  'GET /api/v1/recipients': [Admin, Manager],
  'GET /api/v1/personal-data/notifications': [Admin], // a person's data export
  'GET /api/v1/audit/notifications': [Admin, Manager, Rep], // who changed what (the inbox's read, archive and snooze are left out)
  'PUT /api/v1/recipients/:userId': [Admin],
  'POST /api/v1/webhook-endpoints': EVERYONE,
  'GET /api/v1/webhook-endpoints': EVERYONE,
  'GET /api/v1/webhook-endpoints/:id': EVERYONE,
  'PATCH /api/v1/webhook-endpoints/:id': EVERYONE,
  'DELETE /api/v1/webhook-endpoints/:id': EVERYONE,
  'POST /api/v1/webhook-endpoints/:id/rotate-secret': EVERYONE,
  'POST /api/v1/webhook-endpoints/:id/enable': EVERYONE,
  'GET /api/v1/webhook-endpoints/:id/deliveries': EVERYONE,
  'POST /api/v1/webhook-deliveries/:id/replay': EVERYONE,
};

const rep = { sub: randomUUID(), roles: [Role.SalesRep], team: 'acl-east' };
const other = { sub: randomUUID(), roles: [Role.SalesRep], team: 'acl-east' };

describe('notifications access matrix (OWASP API1/API3/API5)', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startNotifications();
  });
  afterAll(() => svc?.close());

  it('answers every route × credential as the access table says', async () => {
    const { violations, routes } = await checkAccessMatrix(svc, TABLE, { sales_rep: rep });
    expect(violations).toEqual([]);
    expect(routes.length).toBe(Object.keys(TABLE).length);
  });

  it('answers unknown routes 404 problem+json, with or without a token', async () => {
    expect(await checkUnknownRoutes(svc, { sub: randomUUID(), roles: [Admin] })).toEqual([]);
  });

  it("never shows or changes another user's notification", async () => {
    const orderId = randomUUID();
    await setRecordOwner(svc, 'order', orderId, rep.sub, { team: rep.team, label: 'Private Co' });
    await fanOut(svc, { eventType: 'order.delayed', record: { kind: 'order', id: orderId }, data: { orderId, reason: 'past_promised_date', daysLate: 1 } });
    const [mine] = (await svc.as(rep).get('/api/v1/notifications').expect(200)).body.items;
    expect(mine.title).toContain('Private Co');
    expect((await svc.as(other).get('/api/v1/notifications').expect(200)).body.items).toEqual([]);
    for (const action of ['read', 'unread', 'archive']) await svc.as(other).post(`/api/v1/notifications/${mine.id}/${action}`).expect(404);
    await svc
      .as(other)
      .post(`/api/v1/notifications/${mine.id}/snooze`)
      .send({ until: new Date(Date.now() + 3_600_000).toISOString() })
      .expect(404);
    const [row] = await svc.dataSource.query('SELECT read_at, archived_at, snoozed_until FROM notifications WHERE id = $1', [mine.id]);
    expect(row).toEqual({ read_at: null, archived_at: null, snoozed_until: null });
    expect((await svc.as(other).get('/api/v1/notifications/unread-count').expect(200)).body).toEqual({ unread: 0 });
  });
});
