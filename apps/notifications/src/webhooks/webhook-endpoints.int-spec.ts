import { randomUUID } from 'node:crypto';
import type { TestService } from '@crm/testing';
import { admin, managerOf, repOf, startNotifications, type Claims } from '../testing/notifications-fixtures';

type Body = Record<string, unknown>;
const fields = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field);

describe('webhook endpoints API (real PostgreSQL)', () => {
  let svc: TestService;
  const rep = repOf('wh-east');
  const otherRep = repOf('wh-east');
  const manager = managerOf('wh-east');
  const westManager = managerOf('wh-west');
  beforeAll(async () => {
    svc = await startNotifications();
  });
  afterAll(() => svc?.close());

  const create = (who: Claims, body: Body) => svc.as(who).post('/api/v1/webhook-endpoints').send(body);

  it('creates an endpoint whose secret is shown once, never in a read', async () => {
    const res = await create(rep, { url: 'https://hooks.example/crm', types: ['lead_assigned'], description: 'my robot' }).expect(201);
    expect(res.body).toMatchObject({ ownerUserId: rep.sub, ownerTeam: null, format: 'standard', types: ['lead_assigned'], enabled: true, version: 1 });
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(res.body).not.toHaveProperty('secrets');
    const read = await svc.as(rep).get(`/api/v1/webhook-endpoints/${res.body.id}`).expect(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.body).not.toHaveProperty('secret');
    expect(read.body).not.toHaveProperty('secrets');
    expect(JSON.stringify(read.body)).not.toContain(res.body.secret.slice(6));
  });

  it('refuses bad input with field errors and stores nothing', async () => {
    expect(fields(await create(rep, { url: 'ftp://hooks.example/x' }).expect(400))).toEqual(['url']);
    expect(fields(await create(rep, { url: 'http://hooks.example/x' }).expect(400))).toEqual(['url']);
    expect(fields(await create(rep, { url: 'https://hooks.example/x', types: ['lead_assigned', 'no_such_type'] }).expect(400))).toEqual(['types']);
    expect(fields(await create(rep, { url: 'https://hooks.example/x', format: 'teams' }).expect(400))).toEqual(['format']);
    expect((await create(rep, { url: 'https://hooks.example/x', secret: 'mine' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    const mine = await svc.as(rep).get('/api/v1/webhook-endpoints').expect(200);
    expect(mine.body.items.map((e: Body) => e.url)).not.toContain('https://hooks.example/x');
  });

  it('takes plain http to this machine outside production, for local receivers', async () => {
    await create(rep, { url: 'http://127.0.0.1:9/hook' }).expect(201);
    await create(rep, { url: 'http://localhost:9/hook', format: 'wecom' }).expect(201);
  });

  it("gives team endpoints to that team's managers and admins only", async () => {
    expect((await create(rep, { url: 'https://hooks.example/team', ownerTeam: 'wh-east' }).expect(403)).body.code).toBe('TEAM_ENDPOINT_FORBIDDEN');
    await create(westManager, { url: 'https://hooks.example/team', ownerTeam: 'wh-east' }).expect(403);
    const team = await create(manager, { url: 'https://hooks.example/team', ownerTeam: 'wh-east' }).expect(201);
    expect(team.body).toMatchObject({ ownerUserId: null, ownerTeam: 'wh-east', createdBy: manager.sub });
    await create(admin, { url: 'https://hooks.example/team-west', ownerTeam: 'wh-west' }).expect(201);

    // Someone else's endpoint does not exist for the caller.
    await svc.as(rep).get(`/api/v1/webhook-endpoints/${team.body.id}`).expect(404);
    await svc.as(westManager).get(`/api/v1/webhook-endpoints/${team.body.id}`).expect(404);
    await svc.as(manager).get(`/api/v1/webhook-endpoints/${team.body.id}`).expect(200);
    await svc.as(admin).get(`/api/v1/webhook-endpoints/${team.body.id}`).expect(200);
  });

  it("hides another user's endpoint from every route (404)", async () => {
    const { body } = await create(rep, { url: 'https://hooks.example/private' }).expect(201);
    const base = `/api/v1/webhook-endpoints/${body.id}`;
    await svc.as(otherRep).get(base).expect(404);
    await svc.as(otherRep).patch(base).set('If-Match', '"1"').send({ description: 'x' }).expect(404);
    await svc.as(otherRep).post(`${base}/rotate-secret`).expect(404);
    await svc.as(otherRep).post(`${base}/enable`).expect(404);
    await svc.as(otherRep).get(`${base}/deliveries`).expect(404);
    await svc.as(otherRep).delete(base).expect(404);
    await svc.as(manager).get(base).expect(404); // a manager sees the team's endpoints, not each member's own
    await svc.as(rep).get(base).expect(200);
  });

  it('lists own endpoints, a manager also their team, an admin all, page by page', async () => {
    const owner = repOf('wh-list');
    for (const n of [1, 2, 3]) await create(owner, { url: `https://hooks.example/list-${n}` }).expect(201);
    const first = await svc.as(owner).get('/api/v1/webhook-endpoints?limit=2').expect(200);
    expect(first.body.items.map((e: Body) => e.url)).toEqual(['https://hooks.example/list-3', 'https://hooks.example/list-2']);
    const second = await svc.as(owner).get(`/api/v1/webhook-endpoints?limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body).toEqual({ items: [expect.objectContaining({ url: 'https://hooks.example/list-1' })], nextCursor: null });

    const managerSees = (await svc.as(manager).get('/api/v1/webhook-endpoints').expect(200)).body.items.map((e: Body) => e.ownerTeam ?? e.ownerUserId);
    expect(new Set(managerSees)).toEqual(new Set(['wh-east']));
    const adminSees = (await svc.as(admin).get('/api/v1/webhook-endpoints?limit=200').expect(200)).body.items.map((e: Body) => e.ownerTeam ?? e.ownerUserId);
    expect(adminSees).toEqual(expect.arrayContaining([owner.sub, rep.sub, 'wh-east', 'wh-west']));
    expect((await svc.as(owner).get('/api/v1/webhook-endpoints?cursor=bm90LWEtY3Vyc29y').expect(400)).body.errors[0].field).toBe('cursor');
  });

  it('edits with If-Match like every service: 428 without, 412 when stale', async () => {
    const { body } = await create(rep, { url: 'https://hooks.example/edit' }).expect(201);
    const url = `/api/v1/webhook-endpoints/${body.id}`;
    await svc.as(rep).patch(url).send({ format: 'slack' }).expect(428);
    const edited = await svc.as(rep).patch(url).set('If-Match', '"1"').send({ format: 'slack', types: [], url: 'https://hooks.example/edited' }).expect(200);
    expect(edited.headers.etag).toBe('"2"');
    expect(edited.body).toMatchObject({ format: 'slack', types: [], url: 'https://hooks.example/edited', version: 2 });
    await svc.as(rep).patch(url).set('If-Match', '"1"').send({ description: 'late' }).expect(412);
    expect(fields(await svc.as(rep).patch(url).set('If-Match', '"2"').send({ url: 'ftp://x' }).expect(400))).toEqual(['url']);
  });

  it('rotates the secret: a new one, shown once; the old one signs on for the overlap', async () => {
    const { body } = await create(rep, { url: 'https://hooks.example/rotate' }).expect(201);
    const rotated = await svc.as(rep).post(`/api/v1/webhook-endpoints/${body.id}/rotate-secret`).expect(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(body.secret);
    const expires = Date.parse(rotated.body.previousSecretsExpireAt);
    expect(Math.abs(expires - (Date.now() + 24 * 3_600_000))).toBeLessThan(60_000);
    const [{ secrets }] = await svc.dataSource.query('SELECT secrets FROM webhook_endpoints WHERE id = $1', [body.id]);
    expect(secrets.map((s: { secret: string }) => s.secret)).toEqual([rotated.body.secret, body.secret]);
    expect((await svc.as(rep).get(`/api/v1/webhook-endpoints/${body.id}`).expect(200)).body).not.toHaveProperty('secret');
  });

  it('deletes an endpoint and cancels its messages not yet sent', async () => {
    const { body } = await create(rep, { url: 'https://hooks.example/delete' }).expect(201);
    const [row] = await svc.dataSource.query(
      `INSERT INTO deliveries (id, dedupe_key, channel, target, next_attempt_at) VALUES (gen_random_uuid(), $1, 'webhook', $2, now() + interval '1 hour') RETURNING id`,
      [randomUUID(), body.id],
    );
    await svc.as(rep).delete(`/api/v1/webhook-endpoints/${body.id}`).expect(204);
    await svc.as(rep).get(`/api/v1/webhook-endpoints/${body.id}`).expect(404);
    const [after] = await svc.dataSource.query('SELECT status, last_error FROM deliveries WHERE id = $1', [row.id]);
    expect(after).toEqual({ status: 'cancelled', last_error: 'endpoint deleted' });
  });
});
