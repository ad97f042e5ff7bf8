import { randomUUID } from 'node:crypto';
import { Role } from '@crm/http';
import type { TestService } from '@crm/testing';
import { admin, managerOf, repOf, startNotifications } from '../testing/notifications-fixtures';

const fields = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field).sort();

describe("recipients and each user's delivery settings (real PostgreSQL)", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startNotifications();
  });
  afterAll(() => svc?.close());

  /** A rep's row as rep.upserted leaves it. */
  const addRep = (userId: string, team: string) =>
    svc.dataSource.query(
      `INSERT INTO recipients (user_id, name, email, roles, team, source) VALUES ($1, 'Li Lei', 'li@example.com', '{sales_rep}', $2, 'rep')`,
      [userId, team],
    );

  it('gives a user without a row the defaults, in the language their client asks for', async () => {
    const user = repOf('east');
    const en = await svc.as(user).get('/api/v1/notification-settings').set('Accept-Language', 'en-GB,en;q=0.9').expect(200);
    expect(en.body).toEqual({ userId: user.sub, locale: 'en', timeZone: 'UTC', quietHours: null, digestAt: null, email: null });
    expect(en.headers.etag).toBeUndefined();
    const fr = await svc.as(user).get('/api/v1/notification-settings').set('Accept-Language', 'fr-FR').expect(200);
    expect(fr.body.locale).toBe('zh-CN');
  });

  it('creates the row on the first PUT (source self), then replaces it only with the current ETag', async () => {
    const user = { sub: randomUUID(), roles: [Role.Finance] };
    const settings = { locale: 'en', timeZone: 'europe/berlin', quietHours: { start: '22:00', end: '07:30' }, digestAt: '08:15', email: 'me@example.com' };
    const created = await svc.as(user).put('/api/v1/notification-settings').send(settings).expect(201);
    expect(created.body).toMatchObject({ ...settings, timeZone: 'Europe/Berlin', source: 'self' });
    const etag = created.headers.etag;
    expect(etag).toBe(`"${created.body.version}"`);

    const read = await svc.as(user).get('/api/v1/notification-settings').expect(200);
    expect(read.headers.etag).toBe(etag);
    expect(read.body).toMatchObject({ quietHours: { start: '22:00', end: '07:30' }, digestAt: '08:15' });

    await svc.as(user).put('/api/v1/notification-settings').send(settings).expect(409);
    const replaced = await svc
      .as(user)
      .put('/api/v1/notification-settings')
      .set('If-Match', etag)
      .send({ ...settings, quietHours: null, digestAt: null, email: undefined })
      .expect(200);
    expect(replaced.body).toMatchObject({ quietHours: null, digestAt: null, email: 'me@example.com', locale: 'en' });

    const stale = await svc
      .as(user)
      .put('/api/v1/notification-settings')
      .set('If-Match', etag)
      .send({ ...settings, locale: 'zh-CN' })
      .expect(412);
    expect(stale.body.code).toBe('PRECONDITION_FAILED');
    await expect(svc.dataSource.query('SELECT locale FROM recipients WHERE user_id = $1', [user.sub])).resolves.toEqual([{ locale: 'en' }]);
  });

  it('refuses bad settings with field errors and stores nothing', async () => {
    const user = repOf('east');
    const bad = await svc
      .as(user)
      .put('/api/v1/notification-settings')
      .send({ locale: 'fr', timeZone: 'UTC', quietHours: { start: '25:00', end: '7:00' }, digestAt: 'noon', email: 'nope' })
      .expect(400);
    expect(fields(bad.body)).toEqual(['digestAt', 'email', 'locale', 'quietHours.end', 'quietHours.start']);
    const zone = await svc
      .as(user)
      .put('/api/v1/notification-settings')
      .send({ locale: 'en', timeZone: 'Mars/Olympus', quietHours: null, digestAt: null })
      .expect(400);
    expect(fields(zone.body)).toEqual(['timeZone']);
    await expect(svc.dataSource.query('SELECT 1 FROM recipients WHERE user_id = $1', [user.sub])).resolves.toEqual([]);
  });

  it("lets a rep set their own settings on their rep row without losing the directory's data", async () => {
    const rep = repOf('east');
    await addRep(rep.sub, 'east');
    const { headers } = await svc.as(rep).get('/api/v1/notification-settings').expect(200);
    const res = await svc
      .as(rep)
      .put('/api/v1/notification-settings')
      .set('If-Match', headers.etag)
      .send({ locale: 'en', timeZone: 'Asia/Shanghai', quietHours: null, digestAt: '09:00' })
      .expect(200);
    expect(res.body).toMatchObject({ source: 'rep', email: 'li@example.com', digestAt: '09:00' });
    const [row] = await svc.dataSource.query('SELECT roles, team, name FROM recipients WHERE user_id = $1', [rep.sub]);
    expect(row).toEqual({ roles: ['sales_rep'], team: 'east', name: 'Li Lei' });
  });

  it('lets an admin add people who are not reps, and a manager list their own team', async () => {
    const finance = `fin-${randomUUID()}`;
    const entry = {
      name: 'Zhao Min',
      email: 'zhao@example.com',
      roles: ['finance'],
      team: 'dir-north',
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      active: true,
    };
    const created = await svc.as(admin).put(`/api/v1/recipients/${finance}`).send(entry).expect(201);
    expect(created.body).toMatchObject({ userId: finance, ...entry, source: 'admin', managerId: null });
    await svc.as(admin).put(`/api/v1/recipients/${finance}`).send(entry).expect(409);
    await svc.as(admin).put(`/api/v1/recipients/${finance}`).set('If-Match', '"1"').send(entry).expect(412);
    const edited = await svc
      .as(admin)
      .put(`/api/v1/recipients/${finance}`)
      .set('If-Match', created.headers.etag)
      .send({ ...entry, active: false })
      .expect(200);
    expect(edited.body.active).toBe(false);

    const bad = await svc
      .as(admin)
      .put(`/api/v1/recipients/${finance}`)
      .send({ name: '', roles: ['boss'], locale: 'de', active: 'yes', timeZone: 'Nowhere/Land' })
      .expect(400);
    expect(fields(bad.body)).toEqual(['active', 'locale', 'name', 'roles']);

    const rep = randomUUID();
    await addRep(rep, 'dir-north');
    await addRep(randomUUID(), 'dir-south');
    const mine = await svc.as(managerOf('dir-north')).get('/api/v1/recipients?team=dir-north').expect(200);
    expect(mine.body.items.map((r: { userId: string }) => r.userId).sort()).toEqual([finance, rep].sort());
    const allSeen = await svc.as(managerOf('dir-north')).get('/api/v1/recipients').expect(200);
    expect(allSeen.body.items.every((r: { team: string }) => r.team === 'dir-north')).toBe(true);
    await expect(svc.as(managerOf('dir-north')).get('/api/v1/recipients?team=dir-south').expect(200)).resolves.toMatchObject({ body: { items: [] } });

    const page1 = await svc.as(admin).get('/api/v1/recipients?limit=1').expect(200);
    expect(page1.body.items).toHaveLength(1);
    const page2 = await svc.as(admin).get(`/api/v1/recipients?limit=1&cursor=${page1.body.nextCursor}`).expect(200);
    expect(page2.body.items[0].userId > page1.body.items[0].userId).toBe(true);
    await svc.as(admin).get('/api/v1/recipients?cursor=bm90LWEtY3Vyc29y').expect(400);
  });

  it("keeps a rep's row the reps directory's when an admin edits it: source rep, roles added, locale set", async () => {
    const rep = randomUUID();
    await addRep(rep, 'east');
    const [{ version }] = (await svc.as(admin).get('/api/v1/recipients?team=east').expect(200)).body.items.filter((r: { userId: string }) => r.userId === rep);
    const entry = { name: 'Li Lei', email: 'li@example.com', roles: ['product_team'], team: 'east', locale: 'en', active: true };
    const res = await svc.as(admin).put(`/api/v1/recipients/${rep}`).set('If-Match', `"${version}"`).send(entry).expect(200);
    expect(res.body).toMatchObject({ source: 'rep', roles: ['sales_rep', 'product_team'], locale: 'en', team: 'east' });

    const moved = await svc
      .as(admin)
      .put(`/api/v1/recipients/${rep}`)
      .set('If-Match', res.headers.etag)
      .send({ ...entry, team: 'west' })
      .expect(409);
    expect(moved.body).toMatchObject({ code: 'REP_MANAGED_FIELDS', errors: [expect.objectContaining({ field: 'team' })] });
  });
});
