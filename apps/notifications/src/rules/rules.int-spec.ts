import { randomUUID } from 'node:crypto';
import { Role } from '@crm/http';
import type { TestService } from '@crm/testing';
import { addRecipient, admin, fanOut, managerOf, repOf, setRecordOwner, startNotifications } from '../testing/notifications-fixtures';

const fields = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field).sort();

describe('notification rules, types and product routes (real PostgreSQL)', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startNotifications();
  });
  afterAll(() => svc?.close());

  const body = {
    eventType: 'order.delayed',
    match: { reason: 'quality_problem' },
    type: 'quality_problem',
    audiences: ['owner'],
    channels: ['in_app'],
    enabled: true,
  };

  it('lists the shipped rules to admins and managers, with the event types a rule may name', async () => {
    const res = await svc.as(managerOf('east')).get('/api/v1/notification-rules').expect(200);
    expect(res.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'quality-problem', match: { reason: 'quality_problem' }, version: 1 })]),
    );
    expect(res.body.eventTypes).toEqual(expect.arrayContaining(['order.delayed', 'escalation.due']));
  });

  it('creates a rule without If-Match, replaces it with If-Match, refuses a stale one, and deletes it', async () => {
    const created = await svc.as(admin).put('/api/v1/notification-rules/quality-to-team').send(body).expect(201);
    expect(created.body).toMatchObject({ id: 'quality-to-team', ...body, version: 1 });
    expect(created.headers.etag).toBe('"1"');

    await svc.as(admin).put('/api/v1/notification-rules/quality-to-team').send(body).expect(409);
    const replaced = await svc
      .as(admin)
      .put('/api/v1/notification-rules/quality-to-team')
      .set('If-Match', '"1"')
      .send({ ...body, audiences: ['owner', 'product_team'], channels: ['in_app', 'email'] })
      .expect(200);
    expect(replaced.body).toMatchObject({ audiences: ['owner', 'product_team'], channels: ['in_app', 'email'], version: 2 });

    const stale = await svc.as(admin).put('/api/v1/notification-rules/quality-to-team').set('If-Match', '"1"').send(body).expect(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.body.code).toBe('PRECONDITION_FAILED');
    const [{ version }] = await svc.dataSource.query(`SELECT version FROM notification_rules WHERE id = 'quality-to-team'`);
    expect(version).toBe(2);

    await svc.as(admin).delete('/api/v1/notification-rules/quality-to-team').set('If-Match', '"1"').expect(412);
    await svc.as(admin).delete('/api/v1/notification-rules/quality-to-team').set('If-Match', '"2"').expect(204);
    await svc.as(admin).delete('/api/v1/notification-rules/quality-to-team').expect(404);
  });

  it('refuses unknown values and a match field the event does not have, with field errors', async () => {
    const bad = await svc
      .as(admin)
      .put('/api/v1/notification-rules/bad')
      .send({ eventType: 'order.teleported', match: { reason: 1, x: [1] }, type: 'gossip', audiences: ['everyone'], channels: ['fax'], enabled: 'yes' })
      .expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(fields(bad.body)).toEqual(['audiences', 'channels', 'enabled', 'eventType', 'match', 'type']);

    const noField = await svc
      .as(admin)
      .put('/api/v1/notification-rules/bad')
      .send({ ...body, match: { colour: 'red', reason: 'quality_problem' } })
      .expect(400);
    expect(fields(noField.body)).toEqual(['match.colour']);
    const badValue = await svc
      .as(admin)
      .put('/api/v1/notification-rules/bad')
      .send({ ...body, match: { reason: 'late' } })
      .expect(400);
    expect(fields(badValue.body)).toEqual(['match.reason']);
    await svc.as(admin).put('/api/v1/notification-rules/Not%20a%20slug').send(body).expect(400);
    const stored = await svc.dataSource.query(`SELECT id FROM notification_rules WHERE id = 'bad'`);
    expect(stored).toEqual([]);
  });

  it('a disabled rule stops the fan-out at the next event, and enabling it again resumes', async () => {
    const rep = repOf('east');
    await addRecipient(svc, { userId: rep.sub, email: 'rep@example.com', team: 'east' });
    const opp = randomUUID();
    await setRecordOwner(svc, 'opportunity', opp, rep.sub, { team: 'east', label: 'Big deal' });
    const trigger = { eventType: 'opportunity.stage_overdue', record: { kind: 'opportunity' as const, id: opp }, data: { stage: 'proposal' } };
    await expect(fanOut(svc, trigger)).resolves.toBe(1);

    const { body: rules } = await svc.as(admin).get('/api/v1/notification-rules').expect(200);
    const rule = rules.items.find((r: { id: string }) => r.id === 'stage-overdue');
    const { id: _id, version, updatedAt: _at, ...spec } = rule;
    await svc
      .as(admin)
      .put('/api/v1/notification-rules/stage-overdue')
      .set('If-Match', `"${version}"`)
      .send({ ...spec, enabled: false })
      .expect(200);
    await expect(fanOut(svc, trigger)).resolves.toBe(0);

    await svc
      .as(admin)
      .put('/api/v1/notification-rules/stage-overdue')
      .set('If-Match', `"${version + 1}"`)
      .send({ ...spec, enabled: true })
      .expect(200);
    await expect(fanOut(svc, trigger)).resolves.toBe(1);
  });

  it('lists the types to every role and lets an admin change criticality and escalation with If-Match', async () => {
    const list = await svc
      .as({ sub: randomUUID(), roles: [Role.Finance] })
      .get('/api/v1/notification-types')
      .expect(200);
    const type = list.body.items.find((t: { type: string }) => t.type === 'receivable_overdue');
    expect(type).toMatchObject({ critical: false, escalateAfterMinutes: 4320, record: 'receivable', version: expect.any(Number) });

    const bad = await svc
      .as(admin)
      .patch('/api/v1/notification-types/receivable_overdue')
      .set('If-Match', `"${type.version}"`)
      .send({ critical: 'very', escalateAfterMinutes: 0 })
      .expect(400);
    expect(fields(bad.body)).toEqual(['critical', 'escalateAfterMinutes']);
    await svc.as(admin).patch('/api/v1/notification-types/gossip').set('If-Match', `"${type.version}"`).send({ critical: true }).expect(400);

    const edited = await svc
      .as(admin)
      .patch('/api/v1/notification-types/receivable_overdue')
      .set('If-Match', `"${type.version}"`)
      .send({ critical: true, escalateAfterMinutes: null })
      .expect(200);
    expect(edited.body).toMatchObject({ type: 'receivable_overdue', critical: true, escalateAfterMinutes: null, record: 'receivable' });
    expect(edited.body.version).toBeGreaterThan(type.version);
    expect(edited.headers.etag).toBe(`"${edited.body.version}"`);

    await svc.as(admin).patch('/api/v1/notification-types/receivable_overdue').set('If-Match', `"${type.version}"`).send({ critical: false }).expect(412);
    await svc.as(admin).patch('/api/v1/notification-types/receivable_overdue').send({ critical: false }).expect(428);
    const [row] = await svc.dataSource.query(`SELECT critical FROM notification_types WHERE type = 'receivable_overdue'`);
    expect(row.critical).toBe(true);
  });

  it('routes product lines to teams; the product_team audience follows the table', async () => {
    await svc.as(admin).put('/api/v1/product-routes/pumps').send({ team: 'rd-pumps' }).expect(201);
    await svc.as(admin).put('/api/v1/product-routes/pumps').send({ team: 'rd-pumps-2' }).expect(200);
    const bad = await svc.as(admin).put('/api/v1/product-routes/pumps').send({ team: '', extra: 1 }).expect(400);
    expect(fields(bad.body)).toEqual(['extra', 'team']);
    const list = await svc
      .as({ sub: randomUUID(), roles: [Role.ProductTeam], team: 'rd-pumps-2' })
      .get('/api/v1/product-routes')
      .expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ productLine: 'pumps', team: 'rd-pumps-2' })]);

    const engineer = randomUUID();
    await addRecipient(svc, { userId: engineer, roles: ['product_team'], team: 'rd-pumps-2' });
    const order = randomUUID();
    await setRecordOwner(svc, 'order', order, randomUUID(), { productLines: ['pumps'] });
    const quality = { eventType: 'order.delayed', record: { kind: 'order' as const, id: order }, data: { reason: 'quality_problem', note: 'cracked' } };
    await fanOut(svc, quality);
    const told = async () => (await svc.dataSource.query('SELECT 1 FROM notifications WHERE recipient_id = $1', [engineer])).length;
    expect(await told()).toBe(1);

    await svc.as(admin).delete('/api/v1/product-routes/pumps').expect(204);
    await svc.as(admin).delete('/api/v1/product-routes/pumps').expect(404);
    await fanOut(svc, quality);
    expect(await told()).toBe(1);
  });
});
