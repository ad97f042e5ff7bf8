import { randomUUID } from 'node:crypto';
import { createEvent } from '@crm/contracts';
import { eventually, type TestService } from '@crm/testing';
import { admin, assignLead, managerOf, repOf, startNotifications } from '../testing/notifications-fixtures';

const rep = repOf('aud-north');
const entry = {
  name: 'Zhao Min',
  email: 'zhao.min@example.com',
  roles: ['finance'],
  team: 'aud-north',
  locale: 'zh-CN',
  timeZone: 'Asia/Shanghai',
  active: true,
};

describe('notifications audit trail (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const userId = `fin-${randomUUID()}`;
  const trail = (claims: { sub: string; roles: string[]; team?: string }, query: string) =>
    svc.as(claims).get(`/api/v1/audit/notifications?${query}`).expect(200);
  const actions = (items: { action: string; recordType: string; recordId: string }[]) => items.map((e) => [e.action, e.recordType, e.recordId]).sort();

  beforeAll(async () => {
    svc = await startNotifications({ NOTIFICATIONS_SCAN_INTERVAL_MS: '3600000' });
    const created = await svc.as(admin).put(`/api/v1/recipients/${userId}`).send(entry).expect(201);
    await svc
      .as(admin)
      .put(`/api/v1/recipients/${userId}`)
      .set('If-Match', created.headers.etag)
      .set('X-Forwarded-For', '203.0.113.50')
      .set('User-Agent', 'notifications-audit/1.0')
      .send({ ...entry, email: 'min.zhao@example.com', team: 'aud-south' })
      .expect(200);
  });
  afterAll(() => svc?.close());

  it("records a directory edit with who, when, from where and the old and new values, the colleague's email sealed", async () => {
    const { items } = (await trail(managerOf('aud-north'), `recordType=recipient&recordId=${userId}`)).body;
    expect(items.map((e: { action: string }) => e.action)).toEqual(['updated', 'created']);
    const [edit] = items;
    expect(edit).toMatchObject({ actor: admin.sub, actorRoles: ['admin'], ip: '203.0.113.50', userAgent: 'notifications-audit/1.0' });
    expect(Date.now() - Date.parse(edit.at)).toBeLessThan(60_000);
    expect(edit.changes).toEqual([
      { field: 'email', old: 'zhao.min@example.com', new: 'min.zhao@example.com', personal: true },
      { field: 'team', old: 'aud-north', new: 'aud-south', personal: false },
    ]);
    const [{ raw }] = await svc.dataSource.query("SELECT string_agg(changes::text, ' ') AS raw FROM audit_trail");
    expect(raw).not.toContain('example.com');
    // A rep reads a colleague's email masked.
    const masked = (await trail(rep, `recordId=${userId}`)).body.items[0];
    expect(masked.changes[0]).toEqual({ field: 'email', old: 'z•••@example.com', new: 'm•••@example.com', personal: true });
  });

  it("records a user's own settings and preferences, and an admin's change of the routing table", async () => {
    await svc.as(rep).put('/api/v1/notification-settings').send({ locale: 'en', timeZone: 'Europe/Berlin', quietHours: null, digestAt: '08:00' }).expect(201);
    await svc
      .as(rep)
      .put('/api/v1/notification-preferences')
      .send({ items: [{ type: 'lead_assigned', channel: 'email', enabled: false }] })
      .expect(200);
    const mine = (await trail(admin, `actor=${rep.sub}`)).body.items;
    expect(actions(mine)).toEqual([
      ['created', 'recipient', rep.sub],
      ['updated', 'preferences', rep.sub],
    ]);
    expect(mine.find((e: { recordType: string }) => e.recordType === 'preferences').changes).toEqual([
      { field: 'lead_assigned.email', old: true, new: false, personal: false },
    ]);
    const line = `aud-${randomUUID().slice(0, 8)}`;
    await svc.as(admin).put(`/api/v1/product-routes/${line}`).send({ team: 'aud-north' }).expect(201);
    await svc.as(admin).put(`/api/v1/product-routes/${line}`).send({ team: 'aud-south' }).expect(200);
    await svc.as(admin).delete(`/api/v1/product-routes/${line}`).expect(204);
    const route = (await trail(admin, `recordType=product_route&recordId=${line}`)).body.items;
    expect(route.map((e: { action: string; changes: unknown[] }) => [e.action, e.changes])).toEqual([
      ['deleted', [{ field: 'team', old: 'aud-south', new: null, personal: false }]],
      ['updated', [{ field: 'team', old: 'aud-north', new: 'aud-south', personal: false }]],
      ['created', [{ field: 'team', old: null, new: 'aud-north', personal: false }]],
    ]);
  });

  it('records an export per record returned, and an erasure per record scrubbed by whoever erased', async () => {
    const leadId = await assignLead(svc, rep.sub, 'Haitang Pumps · Ouyang Audit');
    const exported = (await svc.as(admin).get(`/api/v1/personal-data/notifications?leadId=${leadId}`).expect(200)).body;
    const notificationIds = exported.records.notifications.map((n: { id: string }) => n.id);
    expect(notificationIds.length).toBeGreaterThan(0);
    const exportEntries = (await trail(admin, `actor=${admin.sub}`)).body.items.filter((e: { action: string }) => e.action === 'exported');
    expect(actions(exportEntries)).toEqual(
      [['exported', 'record', `lead:${leadId}`], ...notificationIds.map((id: string) => ['exported', 'notification', id])].sort(),
    );

    const by = randomUUID();
    const erasure = createEvent('lead.erased', {
      subject: leadId,
      data: { leadId, reason: 'request', opportunityIds: [], by, erasedAt: new Date().toISOString() },
    });
    await svc.publish(erasure);
    await eventually(async () => expect((await svc.dataSource.query('SELECT 1 FROM inbox WHERE event_id = $1', [erasure.id])).length).toBe(1));
    const erased = (await trail(admin, `actor=${by}`)).body.items;
    expect(actions(erased)).toEqual([['erased', 'record', `lead:${leadId}`], ...notificationIds.map((id: string) => ['erased', 'notification', id])].sort());
    expect(erased.find((e: { recordType: string }) => e.recordType === 'record').changes).toEqual([
      { field: 'label', old: '[erased]', new: '[erased]', personal: true },
    ]);
  });
});
