import type { TestService } from '@crm/testing';
import { admin, createAccount, managerOf, repOf, startCustomers, type Claims } from '../testing/customers-fixtures';

describe('accounts (real PostgreSQL and Kafka)', () => {
  let svc: TestService;
  const rep = repOf('acc-east');
  beforeAll(async () => {
    svc = await startCustomers();
  });
  afterAll(() => svc?.close());

  it('creates, reads and edits an account with If-Match, publishing account.created and account.updated', async () => {
    const created = await svc
      .as(rep)
      .post('/api/v1/accounts')
      .send({
        name: 'Harbour Pumps Ltd',
        domains: ['https://WWW.harbour-pumps.example/'],
        industry: 'manufacturing',
        size: 'medium',
        region: 'east',
        taxId: '91310000HP1234567X',
        billingAddress: { line1: '1 Quay Road', city: 'Shanghai', country: 'CN' },
      })
      .expect(201);
    expect(created.body).toMatchObject({ name: 'Harbour Pumps Ltd', domains: ['harbour-pumps.example'], ownerRepId: rep.sub, team: 'acc-east', version: 1 });
    const id = created.body.id as string;

    const got = await svc.as(rep).get(`/api/v1/accounts/${id}`).expect(200);
    expect(got.headers.etag).toBe('"1"');
    expect(got.body.billingAddress).toEqual({ line1: '1 Quay Road', city: 'Shanghai', country: 'CN' });

    await svc.as(rep).patch(`/api/v1/accounts/${id}`).set('If-Match', '"7"').send({ industry: 'energy' }).expect(412);
    const edited = await svc.as(rep).patch(`/api/v1/accounts/${id}`).set('If-Match', '"1"').send({ industry: 'energy' }).expect(200);
    expect(edited.body).toMatchObject({ industry: 'energy', name: 'Harbour Pumps Ltd', version: 2 });

    const events = async (name: 'account.created' | 'account.updated') => (await svc.published(name)).filter((e) => e.subject === id);
    await expect(events('account.created')).resolves.toEqual([
      expect.objectContaining({ data: expect.objectContaining({ accountId: id, version: 1, by: rep.sub }) }),
    ]);
    await expect(events('account.updated')).resolves.toEqual([expect.objectContaining({ data: expect.objectContaining({ industry: 'energy', version: 2 }) })]);
  });

  it('refuses invalid domains, addresses and tax ids with field errors', async () => {
    const res = await svc
      .as(rep)
      .post('/api/v1/accounts')
      .send({ name: 'Bad', domains: ['not a domain'], billingAddress: { line1: '', city: 'X', country: 'ZZ' }, taxId: '!' })
      .expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['billingAddress.country', 'billingAddress.line1', 'domains', 'taxId']);
    // An array where an address goes passed the nested validation and failed later (a 500 the fuzzer found).
    const list = await svc.as(rep).post('/api/v1/accounts').send({ name: '!', shippingAddress: [] }).expect(400);
    expect(list.body.errors.map((e: { field: string }) => e.field)).toEqual(['shippingAddress']);
  });

  it('warns of a shared domain with the candidates, saves on allowDuplicate, and blocks once an admin makes the rule block', async () => {
    const first = await createAccount(svc, rep, { name: 'Delta Valves', domains: ['delta-valves.example'] });
    const warned = await svc
      .as(rep)
      .post('/api/v1/accounts')
      .send({ name: 'Totally Other Name', domains: ['delta-valves.example'] })
      .expect(409);
    expect(warned.headers['content-type']).toContain('application/problem+json');
    expect(warned.body).toMatchObject({ code: 'DUPLICATE_WARNING', matches: [{ id: first.id, name: 'Delta Valves', field: 'domain', action: 'warn' }] });
    expect(warned.body.matches[0].ruleId).toEqual(expect.any(String));

    await svc
      .as(rep)
      .post('/api/v1/accounts')
      .send({ name: 'Totally Other Name', domains: ['delta-valves.example'], allowDuplicate: true })
      .expect(201);

    const rules = (await svc.as(admin).get('/api/v1/duplicate-rules').expect(200)).body.items as {
      id: string;
      entity: string;
      field: string;
      version: number;
    }[];
    const domainRule = rules.find((r) => r.entity === 'account' && r.field === 'domain')!;
    await svc.as(rep).patch(`/api/v1/duplicate-rules/${domainRule.id}`).set('If-Match', `"${domainRule.version}"`).send({ action: 'block' }).expect(403);
    const blocking = await svc
      .as(admin)
      .patch(`/api/v1/duplicate-rules/${domainRule.id}`)
      .set('If-Match', `"${domainRule.version}"`)
      .send({ action: 'block' })
      .expect(200);
    expect(blocking.body).toMatchObject({ id: domainRule.id, action: 'block', version: domainRule.version + 1 });
    try {
      const blocked = await svc
        .as(rep)
        .post('/api/v1/accounts?allowDuplicate=true')
        .send({ name: 'Third Name', domains: ['delta-valves.example'] })
        .expect(409);
      expect(blocked.body).toMatchObject({ code: 'DUPLICATE_BLOCKED' });
      expect(blocked.body.matches.map((m: { id: string }) => m.id)).toContain(first.id);
    } finally {
      const now = (await svc.as(admin).get('/api/v1/duplicate-rules').expect(200)).body.items.find((r: { id: string }) => r.id === domainRule.id);
      await svc.as(admin).patch(`/api/v1/duplicate-rules/${domainRule.id}`).set('If-Match', `"${now.version}"`).send({ action: 'warn' }).expect(200);
    }
  });

  it('warns of a similar Latin name (pg_trgm) and of a Chinese name sharing two characters, also on an edit', async () => {
    const latin = await createAccount(svc, rep, { name: 'Northwind Trading Company' });
    const similar = await svc.as(rep).post('/api/v1/accounts').send({ name: 'Northwind Trading Co.' }).expect(409);
    expect(similar.body.matches).toEqual(expect.arrayContaining([expect.objectContaining({ id: latin.id, field: 'name' })]));
    await svc.as(rep).post('/api/v1/accounts').send({ name: 'Southbank Logistics' }).expect(201);

    const huawei = await createAccount(svc, rep, { name: '北京华为科技' });
    const zh = await svc.as(rep).post('/api/v1/accounts').send({ name: '华为技术' }).expect(409);
    expect(zh.body.matches).toEqual([expect.objectContaining({ id: huawei.id, name: '北京华为科技', field: 'name' })]);
    const other = (await svc.as(rep).post('/api/v1/accounts').send({ name: '华润置地' }).expect(201)).body;

    const edit = await svc.as(rep).patch(`/api/v1/accounts/${other.id}`).set('If-Match', '"1"').send({ name: '上海华为' }).expect(409);
    expect(edit.body).toMatchObject({ code: 'DUPLICATE_WARNING' });
    await svc.as(rep).patch(`/api/v1/accounts/${other.id}?allowDuplicate=true`).set('If-Match', '"1"').send({ name: '上海华为' }).expect(200);
  });

  it('searches by Latin and Chinese fragments and by domain, within the caller’s scope, in cursor pages', async () => {
    const mine = await createAccount(svc, rep, { name: '深圳腾飞电子有限公司', domains: ['tengfei.example'] });
    const theirs = await createAccount(svc, repOf('acc-west'), { name: '深圳腾飞电子有限公司 West', domains: ['tengfei-west.example'] });
    const ids = async (claims: Claims, q: string) =>
      (
        (
          await svc
            .as(claims)
            .get(`/api/v1/accounts?q=${encodeURIComponent(q)}`)
            .expect(200)
        ).body.items as { id: string }[]
      ).map((a) => a.id);
    expect(await ids(rep, '腾飞')).toEqual([mine.id]);
    expect(await ids(rep, 'TENGFEI.ex')).toEqual([mine.id]);
    expect((await ids(admin, '腾飞')).sort()).toEqual([mine.id, theirs.id].sort());
    expect(await ids(managerOf('acc-west'), '腾飞')).toEqual([theirs.id]);
    expect(await ids(rep, 'harbour')).toHaveLength(1);
    expect(await ids(rep, '100%')).toEqual([]);

    const page1 = (await svc.as(admin).get('/api/v1/accounts?limit=2').expect(200)).body;
    expect(page1.items).toHaveLength(2);
    const page2 = (
      await svc
        .as(admin)
        .get(`/api/v1/accounts?limit=2&cursor=${encodeURIComponent(page1.nextCursor)}`)
        .expect(200)
    ).body;
    expect(page2.items.map((a: { id: string }) => a.id)).not.toContain(page1.items[0].id);
  });

  it('keeps a rep to their own accounts and a manager to their team', async () => {
    const a = await createAccount(svc, rep, { name: 'Scoped Widgets' });
    const otherRep = repOf('acc-east');
    await svc.as(otherRep).get(`/api/v1/accounts/${a.id}`).expect(404);
    await svc.as(managerOf('acc-east')).get(`/api/v1/accounts/${a.id}`).expect(200);
    await svc.as(managerOf('acc-west')).get(`/api/v1/accounts/${a.id}`).expect(404);
    await svc.as(otherRep).patch(`/api/v1/accounts/${a.id}`).set('If-Match', '"1"').send({ industry: 'x' }).expect(404);
    await svc.as(rep).post('/api/v1/accounts').send({ name: 'Not Mine', ownerRepId: otherRep.sub }).expect(403);
    await svc.as(managerOf('acc-east')).post('/api/v1/accounts').send({ name: 'Other Team', team: 'acc-west' }).expect(403);
  });
});
