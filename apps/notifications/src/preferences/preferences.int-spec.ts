import { randomUUID } from 'node:crypto';
import type { TestService } from '@crm/testing';
import { CHANNELS, NOTIFICATION_TYPE_NAMES } from '../catalogue/catalogue';
import { addRecipient, admin, fanOut, repOf, setRecordOwner, startNotifications } from '../testing/notifications-fixtures';

type Cell = { type: string; channel: string; enabled: boolean; critical: boolean };
const cell = (items: Cell[], type: string, channel: string) => items.find((c) => c.type === type && c.channel === channel);

describe('notification preferences (real PostgreSQL)', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startNotifications();
  });
  afterAll(() => svc?.close());

  it("answers the caller's full matrix, critical types marked", async () => {
    const { body } = await svc.as(repOf('east')).get('/api/v1/notification-preferences').expect(200);
    // Every type of the catalogue on every channel: a type added there shows here without a change.
    expect(body.items).toHaveLength(NOTIFICATION_TYPE_NAMES.length * CHANNELS.length);
    expect(new Set(body.items.map((c: Cell) => c.type))).toEqual(new Set(NOTIFICATION_TYPE_NAMES));
    expect(cell(body.items, 'stock_shortage', 'email')).toEqual({ type: 'stock_shortage', channel: 'email', enabled: true, critical: true });
    expect(cell(body.items, 'stage_overdue', 'email')).toEqual({ type: 'stage_overdue', channel: 'email', enabled: true, critical: false });
  });

  it('turns channels off and on for the caller only', async () => {
    const rep = repOf('east');
    const res = await svc
      .as(rep)
      .put('/api/v1/notification-preferences')
      .send({ items: [{ type: 'stage_overdue', channel: 'email', enabled: false }] })
      .expect(200);
    expect(cell(res.body.items, 'stage_overdue', 'email')?.enabled).toBe(false);
    const other = await svc.as(repOf('east')).get('/api/v1/notification-preferences').expect(200);
    expect(cell(other.body.items, 'stage_overdue', 'email')?.enabled).toBe(true);
    await svc
      .as(rep)
      .put('/api/v1/notification-preferences')
      .send({ items: [{ type: 'stage_overdue', channel: 'email', enabled: true }] })
      .expect(200);
    expect(cell((await svc.as(rep).get('/api/v1/notification-preferences')).body.items, 'stage_overdue', 'email')?.enabled).toBe(true);
  });

  it('refuses turning off a critical type with 409 CRITICAL_TYPE and stores nothing of the change', async () => {
    const rep = repOf('east');
    const res = await svc
      .as(rep)
      .put('/api/v1/notification-preferences')
      .send({
        items: [
          { type: 'stage_overdue', channel: 'email', enabled: false },
          { type: 'stock_shortage', channel: 'email', enabled: false },
        ],
      })
      .expect(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'CRITICAL_TYPE', types: ['stock_shortage'] });
    expect(res.body.detail).toContain('stock_shortage');
    await expect(svc.dataSource.query('SELECT * FROM preferences WHERE user_id = $1', [rep.sub])).resolves.toEqual([]);
  });

  it('refuses unknown types, channels and a missing flag with field errors', async () => {
    const res = await svc
      .as(repOf('east'))
      .put('/api/v1/notification-preferences')
      .send({ items: [{ type: 'gossip', channel: 'fax' }] })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['items[0].channel', 'items[0].enabled', 'items[0].type']);
    await svc.as(repOf('east')).put('/api/v1/notification-preferences').send({ items: [] }).expect(400);
  });

  it('in the fan-out: an "off" removes that channel (no ledger row), and is ignored once the type is critical', async () => {
    const rep = repOf('east');
    await addRecipient(svc, { userId: rep.sub, email: 'pref-rep@example.com', team: 'east' });
    const opp = randomUUID();
    await setRecordOwner(svc, 'opportunity', opp, rep.sub, { team: 'east' });
    const overdue = async () => {
      const eventId = randomUUID();
      await fanOut(svc, { eventId, eventType: 'opportunity.stage_overdue', record: { kind: 'opportunity', id: opp }, data: { stage: 'proposal' } });
      return svc.dataSource.query(
        `SELECT n.in_app AS "inApp", d.channel FROM notifications n LEFT JOIN deliveries d ON d.notification_id = n.id WHERE n.event_id = $1`,
        [eventId],
      ) as Promise<{ inApp: boolean; channel: string | null }[]>;
    };
    await expect(overdue()).resolves.toEqual([{ inApp: true, channel: 'email' }]);

    await svc
      .as(rep)
      .put('/api/v1/notification-preferences')
      .send({ items: [{ type: 'stage_overdue', channel: 'email', enabled: false }] })
      .expect(200);
    await expect(overdue()).resolves.toEqual([{ inApp: true, channel: null }]);

    const types = (await svc.as(admin).get('/api/v1/notification-types').expect(200)).body.items as { type: string; version: number }[];
    const version = types.find((t) => t.type === 'stage_overdue')!.version;
    await svc.as(admin).patch('/api/v1/notification-types/stage_overdue').set('If-Match', `"${version}"`).send({ critical: true }).expect(200);
    await expect(overdue()).resolves.toEqual([{ inApp: true, channel: 'email' }]);
    const matrix = (await svc.as(rep).get('/api/v1/notification-preferences').expect(200)).body.items as Cell[];
    expect(cell(matrix, 'stage_overdue', 'email')).toMatchObject({ enabled: true, critical: true });
  });
});
