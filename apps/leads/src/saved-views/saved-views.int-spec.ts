import { randomUUID } from 'node:crypto';
import { startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { leadsSettings } from '../leads.settings';

const rep = { sub: randomUUID(), roles: ['sales_rep'], team: 'east' };
const mate = { sub: randomUUID(), roles: ['sales_rep'], team: 'east' };
const west = { sub: randomUUID(), roles: ['sales_manager'], team: 'west' };

describe('saved views (PostgreSQL)', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService('leads', (config) => AppModule.forRoot(config), { settings: leadsSettings });
  });
  afterAll(() => svc?.close());

  it('saves, lists (own + team-shared), refuses a duplicate name with problem+json, and deletes only for the owner', async () => {
    const query = { status: 'assigned', q: '王伟', sort: '-score' };
    const mine = (await svc.as(rep).post('/api/v1/saved-views').send({ list: 'leads', name: 'Hot east', query, shared: true }).expect(201)).body;
    expect(mine).toMatchObject({ ownerId: rep.sub, team: 'east', list: 'leads', name: 'Hot east', query, shared: true });
    await svc.as(rep).post('/api/v1/saved-views').send({ list: 'leads', name: 'Private', query: {} }).expect(201);

    const dup = await svc.as(rep).post('/api/v1/saved-views').send({ list: 'leads', name: 'hot EAST', query: {} }).expect(409);
    expect(dup.headers['content-type']).toContain('application/problem+json');
    expect(dup.body).toMatchObject({ code: 'SAVED_VIEW_NAME_TAKEN', errors: [expect.objectContaining({ field: 'name' })] });
    // Another user may use the same name; so may the same user on another list.
    await svc.as(mate).post('/api/v1/saved-views').send({ list: 'leads', name: 'Hot east', query: {} }).expect(201);
    await svc.as(rep).post('/api/v1/saved-views').send({ list: 'orders', name: 'Hot east', query: {} }).expect(201);

    const bad = await svc
      .as(rep)
      .post('/api/v1/saved-views')
      .send({ list: 'nope', name: '', query: { sort: 3 } })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['list', 'name']));
    expect(
      (
        await svc
          .as(rep)
          .post('/api/v1/saved-views')
          .send({ list: 'leads', name: 'x', query: { sort: 3 } })
          .expect(400)
      ).body.errors,
    ).toEqual([expect.objectContaining({ field: 'query.sort' })]);

    const names = async (user: typeof rep) =>
      ((await svc.as(user).get('/api/v1/saved-views?list=leads').expect(200)).body.items as { name: string }[]).map((v) => v.name);
    expect(await names(rep)).toEqual(['Hot east', 'Private']);
    expect(await names(mate)).toEqual(['Hot east', 'Hot east']);
    expect(await names(west)).toEqual([]);
    await svc.as(rep).get('/api/v1/saved-views').expect(400);

    await svc.as(west).get(`/api/v1/saved-views/${mine.id}`).expect(404);
    expect((await svc.as(mate).delete(`/api/v1/saved-views/${mine.id}`).expect(403)).body.code).toBe('NOT_VIEW_OWNER');
    await svc.as(west).delete(`/api/v1/saved-views/${mine.id}`).expect(404);
    await svc.as(rep).delete(`/api/v1/saved-views/${mine.id}`).expect(204);
    await svc.as(rep).get(`/api/v1/saved-views/${mine.id}`).expect(404);
    expect(await names(mate)).toEqual(['Hot east']);
  });
});
