import type { TestService } from '@crm/testing';
import { admin, createAccount, createContact, managerOf, repOf, startCustomers } from '../testing/customers-fixtures';

describe('merges and their undo (real PostgreSQL and Kafka)', () => {
  let svc: TestService;
  const team = 'mrg-east';
  const manager = managerOf(team);
  const rep = repOf(team);
  beforeAll(async () => {
    svc = await startCustomers();
  });
  afterAll(() => svc?.close());

  const account = async (id: string) => (await svc.as(admin).get(`/api/v1/accounts/${id}`).expect(200)).body;
  const contact = async (id: string) => (await svc.as(admin).get(`/api/v1/contacts/${id}`).expect(200)).body;
  const counts = () =>
    svc.dataSource.query(
      `SELECT (SELECT count(*) FROM merges)::int AS merges, (SELECT count(*) FROM outbox)::int AS outbox,
              (SELECT count(*) FROM accounts WHERE merged_into IS NOT NULL)::int AS merged, (SELECT sum(version) FROM accounts)::int AS versions`,
    );

  it('merges two accounts: chosen fields, union of domains, members moved, loser marked, events on the topic; undo restores both', async () => {
    const survivor = await createAccount(svc, rep, { name: 'Granite Tools', domains: ['granite.example'], industry: 'tools', currency: 'CNY' });
    const loser = await createAccount(svc, rep, { name: 'Granite Tools Ltd', domains: ['granite-tools.example'], region: 'east', industry: 'hardware' });
    const person = await createContact(svc, rep, { name: 'Zhou Min', emails: ['zhou@granite-tools.example'], accountIds: [loser.id] });

    await svc.as(rep).post(`/api/v1/accounts/${survivor.id}/merge`).set('If-Match', '"1"').send({ mergedId: loser.id }).expect(403);
    await svc.as(manager).post(`/api/v1/accounts/${survivor.id}/merge`).set('If-Match', '"9"').send({ mergedId: loser.id }).expect(412);
    const res = await svc
      .as(manager)
      .post(`/api/v1/accounts/${survivor.id}/merge`)
      .set('If-Match', '"1"')
      .send({ mergedId: loser.id, fields: { name: 'merged', industry: 'survivor' } })
      .expect(201);
    expect(res.body).toMatchObject({ kind: 'account', survivorId: survivor.id, mergedId: loser.id, by: manager.sub });
    expect(res.body.survivor).toMatchObject({ name: 'Granite Tools Ltd', industry: 'tools', region: 'east', currency: 'CNY', version: 2 });
    expect(res.body.survivor.domains.sort()).toEqual(['granite-tools.example', 'granite.example']);
    const mergeId = res.body.mergeId as string;

    expect(await account(loser.id)).toMatchObject({ mergedInto: survivor.id });
    expect((await contact(person.id)).memberships[0]).toMatchObject({ accountId: survivor.id, until: null });
    const listed = (await svc.as(admin).get('/api/v1/accounts?q=granite').expect(200)).body.items.map((a: { id: string }) => a.id);
    expect(listed).toEqual([survivor.id]);
    const refused = await svc.as(rep).patch(`/api/v1/accounts/${loser.id}`).set('If-Match', '"2"').send({ industry: 'x' }).expect(409);
    expect(refused.body).toMatchObject({ code: 'MERGED_RECORD', mergedInto: survivor.id });

    const merged = (await svc.published('account.merged')).filter((e) => e.subject === survivor.id);
    expect(merged).toEqual([expect.objectContaining({ data: expect.objectContaining({ mergeId, survivorId: survivor.id, mergedId: loser.id }) })]);
    const updated = (await svc.published('account.updated')).filter((e) => e.subject === survivor.id);
    expect(updated.at(-1)?.data).toMatchObject({ name: 'Granite Tools Ltd', version: 2, currency: 'CNY' });
    expect((await svc.published('contact.updated')).filter((e) => e.subject === person.id).at(-1)?.data).toMatchObject({ accountIds: [survivor.id] });

    const history = (await svc.as(manager).get(`/api/v1/merges?recordId=${loser.id}`).expect(200)).body.items;
    expect(history).toEqual([expect.objectContaining({ id: mergeId, by: manager.sub, mergedData: expect.objectContaining({ name: 'Granite Tools Ltd' }) })]);
    expect((await svc.as(managerOf('mrg-west')).get(`/api/v1/merges?recordId=${loser.id}`).expect(200)).body.items).toEqual([]);

    const undone = await svc.as(manager).post(`/api/v1/merges/${mergeId}/undo`).expect(200);
    expect(undone.body).toMatchObject({ mergeId, undoneBy: manager.sub });
    expect(await account(survivor.id)).toMatchObject({ name: 'Granite Tools', industry: 'tools', region: null, domains: ['granite.example'], version: 3 });
    expect(await account(loser.id)).toMatchObject({ mergedInto: null, name: 'Granite Tools Ltd', version: 4 });
    expect((await contact(person.id)).memberships.filter((mb: { until: string | null }) => !mb.until)).toEqual([
      expect.objectContaining({ accountId: loser.id }),
    ]);
    const undoneEvents = (await svc.published('account.merge_undone')).filter((e) => e.subject === survivor.id);
    expect(undoneEvents).toEqual([expect.objectContaining({ data: expect.objectContaining({ mergeId, restoredId: loser.id }) })]);
    expect((await svc.published('account.updated')).filter((e) => e.subject === loser.id).at(-1)?.data).toMatchObject({ version: 4 });

    const twice = await svc.as(manager).post(`/api/v1/merges/${mergeId}/undo`).expect(409);
    expect(twice.body.code).toBe('MERGE_ALREADY_UNDONE');
  });

  it('refuses a merge into itself, of a merged record, across currencies and of an unknown id, changing nothing', async () => {
    const a = await createAccount(svc, rep, { name: 'Quartz Mills', currency: 'EUR' });
    const b = await createAccount(svc, rep, { name: 'Quartz Mills GmbH', currency: 'USD' });
    const c = await createAccount(svc, rep, { name: 'Basalt Works' });
    const d = await createAccount(svc, rep, { name: 'Basalt Works Co' });
    await svc.as(admin).post(`/api/v1/accounts/${c.id}/merge`).set('If-Match', '"1"').send({ mergedId: d.id }).expect(201);
    const before = await counts();

    const self = await svc.as(admin).post(`/api/v1/accounts/${a.id}/merge`).set('If-Match', '"1"').send({ mergedId: a.id }).expect(400);
    expect(self.body.code).toBe('MERGE_INTO_SELF');
    const currency = await svc.as(admin).post(`/api/v1/accounts/${a.id}/merge`).set('If-Match', '"1"').send({ mergedId: b.id }).expect(409);
    expect(currency.headers['content-type']).toContain('application/problem+json');
    expect(currency.body.code).toBe('CURRENCY_MISMATCH');
    const again = await svc.as(admin).post(`/api/v1/accounts/${a.id}/merge`).set('If-Match', '"1"').send({ mergedId: d.id }).expect(409);
    expect(again.body.code).toBe('ALREADY_MERGED');
    const from = await svc.as(admin).post(`/api/v1/accounts/${d.id}/merge`).set('If-Match', '"2"').send({ mergedId: a.id }).expect(409);
    expect(from.body.code).toBe('ALREADY_MERGED');
    await svc.as(admin).post(`/api/v1/accounts/${a.id}/merge`).set('If-Match', '"1"').send({ mergedId: '00000000-0000-4000-8000-000000000000' }).expect(404);
    await svc.as(admin).post(`/api/v1/merges/00000000-0000-4000-8000-000000000000/undo`).expect(404);
    // Another team's manager does not see the records: as unknown.
    await svc.as(managerOf('mrg-west')).post(`/api/v1/accounts/${a.id}/merge`).set('If-Match', '"1"').send({ mergedId: c.id }).expect(404);
    expect(await counts()).toEqual(before);
  });

  it('undoes only the latest merge into a survivor, not one whose survivor was merged away, and not after the period', async () => {
    const keep = await createAccount(svc, rep, { name: 'Cobalt Freight' });
    const first = await createAccount(svc, rep, { name: 'Cobalt Freight East' });
    const second = await createAccount(svc, rep, { name: 'Cobalt Freight West' });
    const m1 = (await svc.as(manager).post(`/api/v1/accounts/${keep.id}/merge`).set('If-Match', '"1"').send({ mergedId: first.id }).expect(201)).body.mergeId;
    const m2 = (await svc.as(manager).post(`/api/v1/accounts/${keep.id}/merge`).set('If-Match', '"2"').send({ mergedId: second.id }).expect(201)).body.mergeId;
    expect((await svc.as(manager).post(`/api/v1/merges/${m1}/undo`).expect(409)).body.code).toBe('NOT_LATEST_MERGE');

    const outer = await createAccount(svc, rep, { name: 'Cobalt Holdings' });
    await svc.as(manager).post(`/api/v1/accounts/${outer.id}/merge`).set('If-Match', '"1"').send({ mergedId: keep.id }).expect(201);
    expect((await svc.as(manager).post(`/api/v1/merges/${m2}/undo`).expect(409)).body.code).toBe('SURVIVOR_MERGED');

    const late = await createAccount(svc, rep, { name: 'Nickel Parts' });
    const gone = await createAccount(svc, rep, { name: 'Nickel Parts Co' });
    const m3 = (await svc.as(manager).post(`/api/v1/accounts/${late.id}/merge`).set('If-Match', '"1"').send({ mergedId: gone.id }).expect(201)).body.mergeId;
    // The period (CUSTOMERS_MERGE_UNDO_DAYS, 30 by default) has passed for a merge made 31 days ago.
    await svc.dataSource.query(`UPDATE merges SET merged_at = merged_at - interval '31 days' WHERE id = $1`, [m3]);
    expect((await svc.as(manager).post(`/api/v1/merges/${m3}/undo`).expect(409)).body.code).toBe('UNDO_PERIOD_OVER');
    expect(await account(gone.id)).toMatchObject({ mergedInto: late.id });
  });

  it('merges two contacts: chosen fields, union of emails, phones and accounts, loser marked; undo restores both', async () => {
    const acme = await createAccount(svc, rep, { name: 'Mica Labs' });
    const other = await createAccount(svc, rep, { name: 'Slate Studio' });
    const keep = await createContact(svc, rep, { name: 'Wang Li', emails: ['wang@mica.example'], phones: ['+86 138 0000 0001'], accountIds: [acme.id] });
    const lose = await createContact(svc, rep, { name: 'Li Wang', title: 'Buyer', emails: ['li.wang@slate.example'], accountIds: [other.id] });
    await svc.as(rep).post(`/api/v1/contacts/${keep.id}/merge`).set('If-Match', '"1"').send({ mergedId: lose.id }).expect(403);
    const res = await svc
      .as(manager)
      .post(`/api/v1/contacts/${keep.id}/merge`)
      .set('If-Match', '"1"')
      .send({ mergedId: lose.id, fields: { title: 'merged', name: 'survivor' } })
      .expect(201);
    expect(res.body.survivor).toMatchObject({ name: 'Wang Li', title: 'Buyer', emails: ['wang@mica.example', 'li.wang@slate.example'], version: 2 });
    const current = (c: { memberships: { accountId: string; until: string | null }[] }) =>
      c.memberships
        .filter((mb) => !mb.until)
        .map((mb) => mb.accountId)
        .sort();
    expect(current(res.body.survivor)).toEqual([acme.id, other.id].sort());
    expect(await contact(lose.id)).toMatchObject({ mergedInto: keep.id });
    expect(current(await contact(lose.id))).toEqual([]);
    expect((await svc.as(admin).get(`/api/v1/contacts?accountId=${other.id}`).expect(200)).body.items.map((c: { id: string }) => c.id)).toEqual([keep.id]);
    await svc.as(rep).patch(`/api/v1/contacts/${lose.id}`).set('If-Match', '"2"').send({ title: 'x' }).expect(409);
    const events = (await svc.published('contact.merged')).filter((e) => e.subject === keep.id);
    expect(events).toEqual([expect.objectContaining({ data: expect.objectContaining({ survivorId: keep.id, mergedId: lose.id }) })]);

    await svc.as(manager).post(`/api/v1/merges/${res.body.mergeId}/undo`).expect(200);
    expect(await contact(keep.id)).toMatchObject({ name: 'Wang Li', title: null, emails: ['wang@mica.example'] });
    expect(current(await contact(keep.id))).toEqual([acme.id]);
    expect(await contact(lose.id)).toMatchObject({ mergedInto: null, title: 'Buyer' });
    expect(current(await contact(lose.id))).toEqual([other.id]);
    expect((await svc.published('contact.merge_undone')).filter((e) => e.subject === keep.id)).toHaveLength(1);
    expect((await svc.published('contact.updated')).filter((e) => e.subject === lose.id).at(-1)?.data).toMatchObject({ accountIds: [other.id] });
  });
});
