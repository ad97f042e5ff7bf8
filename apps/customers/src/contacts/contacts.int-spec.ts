import { randomUUID } from 'node:crypto';
import type { TestService } from '@crm/testing';
import { admin, createAccount, createContact, managerOf, repOf, startCustomers, type Claims } from '../testing/customers-fixtures';

describe('contacts (real PostgreSQL and Kafka)', () => {
  let svc: TestService;
  const rep = repOf('con-east');
  beforeAll(async () => {
    svc = await startCustomers();
  });
  afterAll(() => svc?.close());

  it('creates a contact in an account, moves them to another keeping the old membership, and publishes both events', async () => {
    const acme = await createAccount(svc, rep, { name: 'Acme Robotics' });
    const beta = await createAccount(svc, rep, { name: '上海贝塔机械' });
    const created = await svc
      .as(rep)
      .post('/api/v1/contacts')
      .send({
        name: '李伟',
        title: 'Buyer',
        emails: [' Li.Wei@Acme.example'],
        phones: ['+86 138-0013 8000'],
        preferredChannel: 'wechat',
        accountIds: [acme.id],
      })
      .expect(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ name: '李伟', emails: ['Li.Wei@Acme.example'], ownerRepId: rep.sub, version: 1 });
    expect(created.body.memberships).toEqual([expect.objectContaining({ accountId: acme.id, accountName: 'Acme Robotics', until: null })]);

    await svc
      .as(rep)
      .patch(`/api/v1/contacts/${id}`)
      .send({ accountIds: [beta.id] })
      .expect(428);
    const moved = await svc
      .as(rep)
      .patch(`/api/v1/contacts/${id}`)
      .set('If-Match', '"1"')
      .send({ accountIds: [beta.id] })
      .expect(200);
    expect(moved.body.version).toBe(2);
    expect(moved.body.memberships).toEqual([
      expect.objectContaining({ accountId: beta.id, until: null }),
      expect.objectContaining({ accountId: acme.id, until: expect.any(String) }),
    ]);
    const current = (await svc.as(rep).get(`/api/v1/contacts?accountId=${beta.id}`).expect(200)).body.items.map((c: { id: string }) => c.id);
    expect(current).toEqual([id]);
    expect((await svc.as(rep).get(`/api/v1/contacts?accountId=${acme.id}`).expect(200)).body.items).toEqual([]);

    const created_ = (await svc.published('contact.created')).filter((e) => e.subject === id);
    expect(created_).toEqual([expect.objectContaining({ data: expect.objectContaining({ contactId: id, accountIds: [acme.id] }) })]);
    const updated = (await svc.published('contact.updated')).filter((e) => e.subject === id);
    expect(updated).toEqual([expect.objectContaining({ data: expect.objectContaining({ accountIds: [beta.id], version: 2 }) })]);
  });

  it('refuses invalid emails, phones and unknown accounts with field errors', async () => {
    const bad = await svc
      .as(rep)
      .post('/api/v1/contacts')
      .send({ name: 'X', emails: ['not-an-email'], phones: ['abc'] })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['emails', 'phones']);
    const unknown = await svc
      .as(rep)
      .post('/api/v1/contacts')
      .send({ name: 'X', accountIds: ['00000000-0000-4000-8000-000000000000'] })
      .expect(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'accountIds[0]', message: 'no such account' })]);
  });

  it('blocks a second contact with the same email however written, and warns of a shared phone until told to save', async () => {
    const first = await createContact(svc, rep, { name: 'Wang Fang', emails: ['wang.fang@delta.example'], phones: ['010 6552 9988'] });
    const blocked = await svc
      .as(rep)
      .post('/api/v1/contacts?allowDuplicate=true')
      .send({ name: 'F. Wang', emails: ['WANG.FANG@delta.example '] })
      .expect(409);
    expect(blocked.body).toMatchObject({ code: 'DUPLICATE_BLOCKED', matches: [{ id: first.id, name: 'Wang Fang', field: 'email', action: 'block' }] });

    const warned = await svc
      .as(rep)
      .post('/api/v1/contacts')
      .send({ name: 'Switchboard', phones: ['(010) 6552-9988'] })
      .expect(409);
    expect(warned.body).toMatchObject({ code: 'DUPLICATE_WARNING', matches: [{ id: first.id, field: 'phone', action: 'warn' }] });
    const saved = await svc
      .as(rep)
      .post('/api/v1/contacts?allowDuplicate=true')
      .send({ name: 'Switchboard', phones: ['(010) 6552-9988'] })
      .expect(201);

    // An edit is checked too, against every contact but itself.
    await svc
      .as(rep)
      .patch(`/api/v1/contacts/${saved.body.id}`)
      .set('If-Match', '"1"')
      .send({ emails: ['wang.fang@delta.example'] })
      .expect(409);
    await svc.as(rep).patch(`/api/v1/contacts/${first.id}`).set('If-Match', '"1"').send({ title: 'CFO', allowDuplicate: true }).expect(200);
  });

  it('finds contacts by name, company (Latin and Chinese), email and phone fragment within the caller’s scope', async () => {
    const gamma = await createAccount(svc, rep, { name: '杭州伽马电气' });
    const c = await createContact(svc, rep, { name: 'Zhao Lei', emails: ['zhao.lei@gamma.example'], phones: ['+86 139 1111 2222'], accountIds: [gamma.id] });
    const other = await createContact(svc, repOf('con-west'), { name: 'Zhao Lei West', emails: ['zl@west.example'] });
    const ids = async (claims: Claims, q: string) =>
      (
        (
          await svc
            .as(claims)
            .get(`/api/v1/contacts?q=${encodeURIComponent(q)}`)
            .expect(200)
        ).body.items as { id: string }[]
      ).map((x) => x.id);
    expect(await ids(rep, 'zhao')).toEqual([c.id]);
    expect(await ids(rep, '伽马')).toEqual([c.id]);
    expect(await ids(rep, 'GAMMA.ex')).toEqual([c.id]);
    expect(await ids(rep, '139-1111')).toEqual([c.id]);
    expect(await ids(rep, '99999')).toEqual([]);
    expect((await ids(admin, 'zhao lei')).sort()).toEqual([c.id, other.id].sort());
    expect(await ids(managerOf('con-west'), 'zhao')).toEqual([other.id]);
    await svc.as(repOf('con-east')).get(`/api/v1/contacts/${c.id}`).expect(404);
    await svc.as(managerOf('con-east')).get(`/api/v1/contacts/${c.id}`).expect(200);
  });

  it('pages a rep through their search results newest first, with none of another rep’s', async () => {
    const mine = repOf('con-west');
    const other = repOf('con-west');
    const ids: string[] = [];
    for (const name of ['Ada Marlowe', 'Ben Marlowe', 'Cai Marlowe']) ids.push((await createContact(svc, mine, { name })).id);
    await createContact(svc, other, { name: 'Dee Marlowe' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await svc
        .as(mine)
        .get('/api/v1/contacts')
        .query({ q: 'marlowe', limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...page.body.items.map((c) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });
  it('pages a rep through the matches they see by open work on an account or their own open record, and none other', async () => {
    const [owner, mine, stranger] = [repOf('con-south'), repOf('con-south'), repOf('con-south')];
    const account = await createAccount(svc, admin, { name: 'Ostrander Works', ownerRepId: owner.sub, team: 'con-south' });
    const contact = async (name: string, by: Claims, extra: object = {}) =>
      (await createContact(svc, admin, { name, ownerRepId: by.sub, team: 'con-south', ...extra })).id;
    const viaAccount = await contact('Ada Ostrander', owner, { accountIds: [account.id] });
    const viaRecord = await contact('Ben Ostrander', owner);
    const closed = await contact('Cai Ostrander', owner);
    const own = await contact('Dee Ostrander', mine);
    const record = (kind: string, open: boolean, ids: { account?: string; contact?: string }) =>
      svc.dataSource.query(
        `INSERT INTO customer_records (record_id, record_kind, account_id, contact_id, rep_id, team, status, open) VALUES ($1, $2, $3, $4, $5, 'con-south', 'x', $6)`,
        [randomUUID(), kind, ids.account ?? null, ids.contact ?? null, mine.sub, open],
      );
    await record('opportunity', true, { account: account.id });
    await record('order', true, { contact: viaRecord });
    await record('lead', false, { contact: closed });
    await record('receivable', true, { contact: closed });
    const search = async (claims: Claims) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await svc
          .as(claims)
          .get('/api/v1/contacts')
          .query({ q: 'ostrander', limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200);
        seen.push(...page.body.items.map((c) => c.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await search(mine)).toEqual([own, viaRecord, viaAccount]);
    expect(await search(stranger)).toEqual([]);
    expect(await search(admin)).toEqual([own, closed, viaRecord, viaAccount]);
  });
});
