import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope, type EventData } from '@crm/contracts';
import { eventually, type TestService } from '@crm/testing';
import { admin, createAccount, createContact, startCustomers } from '../testing/customers-fixtures';

const now = () => new Date().toISOString();
const repId = randomUUID();

const conversion = (customer: EventData<'lead.converted'>['customer'], extra: Partial<EventData<'lead.converted'>> = {}) => {
  const leadId = randomUUID();
  return createEvent('lead.converted', {
    subject: leadId,
    data: { leadId, repId, team: 'res-east', customer, productNeeds: [], capturedAt: now(), convertedAt: now(), ...extra },
  });
};

describe('lead resolution (real PostgreSQL and Kafka)', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startCustomers();
  });
  afterAll(() => svc?.close());

  /** The events the service wrote for these subjects or this lead, from its outbox (what the relay publishes). */
  const outbox = async (type: string): Promise<EventEnvelope[]> =>
    (await svc.dataSource.query('SELECT payload FROM outbox WHERE event_type = $1 ORDER BY seq', [type])).map((r: { payload: EventEnvelope }) => r.payload);
  const resolvedFor = async (leadId: string) => (await outbox('crm.contact.lead_resolved')).filter((e) => (e.data as { leadId: string }).leadId === leadId);
  const applied = (...events: EventEnvelope[]) =>
    eventually(async () => {
      const [{ n }] = await svc.dataSource.query('SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1::uuid[])', [events.map((e) => e.id)]);
      expect(n).toBe(new Set(events.map((e) => e.id)).size);
    });
  const resolution = async (leadId: string) =>
    eventually(async () => {
      const [r] = await resolvedFor(leadId);
      expect(r).toBeDefined();
      return r.data as EventData<'contact.lead_resolved'>;
    });
  const count = async (sql: string, params: unknown[]) => Number((await svc.dataSource.query(sql, params))[0].n);

  it('creates the account and the contact of a new customer, owned by the rep, and publishes them with the resolution', async () => {
    const converted = conversion({ name: '李伟', company: 'Lotus Robotics', email: 'Li.Wei@Lotus-Robotics.example', phone: '+86 138-0013 9000' });
    await svc.publish(converted);
    const r = await resolution(converted.data.leadId);
    expect(r).toMatchObject({ contactCreated: true, accountCreated: true, accountId: expect.any(String) });

    const account = (await svc.as(admin).get(`/api/v1/accounts/${r.accountId}`).expect(200)).body;
    expect(account).toMatchObject({ name: 'Lotus Robotics', domains: ['lotus-robotics.example'], ownerRepId: repId, team: 'res-east' });
    const contact = (await svc.as(admin).get(`/api/v1/contacts/${r.contactId}`).expect(200)).body;
    expect(contact).toMatchObject({ name: '李伟', emails: ['Li.Wei@Lotus-Robotics.example'], phones: ['+86 138-0013 9000'], ownerRepId: repId });
    expect(contact.memberships).toEqual([expect.objectContaining({ accountId: r.accountId, until: null })]);

    const [accountCreated] = (await outbox('crm.account.created')).filter((e) => e.subject === r.accountId);
    const [contactCreated] = (await outbox('crm.contact.created')).filter((e) => e.subject === r.contactId);
    expect(accountCreated).toMatchObject({ correlationid: converted.correlationid, causationid: converted.id });
    expect(contactCreated.data).toMatchObject({ accountIds: [r.accountId] });
    const [published] = await eventually(async () => {
      const events = (await svc.published('contact.lead_resolved')).filter((e) => e.subject === r.contactId);
      expect(events).toHaveLength(1);
      return events;
    });
    expect(published).toMatchObject({ causationid: converted.id, data: { leadId: converted.data.leadId } });
  });

  it('reuses the contact and account for a second lead from the same email, and creates nothing on a redelivery', async () => {
    const first = conversion({ name: 'Zhao Min', company: 'Harbour Tools', email: 'zhao.min@harbour.example' });
    await svc.publish(first);
    const one = await resolution(first.data.leadId);

    const second = conversion({ name: 'Min Zhao', company: 'Harbour Tools Ltd', email: 'ZHAO.MIN@Harbour.example' });
    // The same conversion twice, and again under another event id: one resolution.
    const again = [
      { ...second, id: randomUUID() },
      { ...first, id: randomUUID() },
    ] as EventEnvelope[];
    await svc.publish(second, second, ...again);
    const two = await resolution(second.data.leadId);
    expect(two).toMatchObject({ contactId: one.contactId, accountId: one.accountId, contactCreated: false, accountCreated: false });
    await applied(second, ...again);

    expect(await resolvedFor(first.data.leadId)).toHaveLength(1);
    expect(await resolvedFor(second.data.leadId)).toHaveLength(1);
    expect(await count(`SELECT count(*) AS n FROM contacts WHERE 'zhao.min@harbour.example' = ANY(normalized_emails)`, [])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM accounts WHERE normalized_name LIKE 'harbour tools%'`, [])).toBe(1);
  });

  it('matches an existing account by the email domain, else by the company name, and ignores public mail domains', async () => {
    const byDomain = await createAccount(svc, admin, { name: 'Quartz Instruments', domains: ['quartz.example'] });
    const byName = await createAccount(svc, admin, { name: '上海贝塔机械' });
    const atDomain = conversion({ name: 'Sun Li', company: 'QI Shanghai', email: 'sun.li@quartz.example' });
    const atName = conversion({ name: 'Wu Gang', company: ' 上海贝塔机械 ', email: 'wugang@qq.com' });
    const qq = await createAccount(svc, admin, { name: 'Somebody at QQ', domains: ['qq.com'] });
    await svc.publish(atDomain, atName);

    expect(await resolution(atDomain.data.leadId)).toMatchObject({ accountId: byDomain.id, accountCreated: false, contactCreated: true });
    const named = await resolution(atName.data.leadId);
    expect(named).toMatchObject({ accountId: byName.id, accountCreated: false });
    expect(named.accountId).not.toBe(qq.id);
  });

  it('matches a contact by phone, and gives an existing contact without an account the one found', async () => {
    const lone = await createContact(svc, admin, { name: 'Ma Lin', phones: ['021 5555 0101'] });
    const gamma = await createAccount(svc, admin, { name: 'Gamma Pumps' });
    const converted = conversion({ name: 'Ma Lin', company: 'Gamma Pumps', phone: '02155550101' });
    await svc.publish(converted);
    expect(await resolution(converted.data.leadId)).toMatchObject({ contactId: lone.id, accountId: gamma.id, contactCreated: false });
    const contact = (await svc.as(admin).get(`/api/v1/contacts/${lone.id}`).expect(200)).body;
    expect(contact.memberships).toEqual([expect.objectContaining({ accountId: gamma.id, until: null })]);
    expect((await outbox('crm.contact.updated')).filter((e) => e.subject === lone.id)).toHaveLength(1);
  });

  it('resolves a lead without a company to a contact only, and a historical conversion at its own time', async () => {
    const converted = conversion({ name: 'Solo Buyer', email: 'solo@gmail.com' }, { historical: true, convertedAt: '2025-06-01T08:00:00.000Z' });
    await svc.publish(converted);
    const r = await resolution(converted.data.leadId);
    expect(r).toMatchObject({ accountId: null, accountCreated: false, contactCreated: true, resolvedAt: '2025-06-01T08:00:00.000Z' });
  });

  it('creates one contact and one account when two leads of the same new person convert at once', async () => {
    const customer = { name: 'Twin', company: 'Twin Peaks Trading', email: 'twin@twinpeaks.example' };
    const leads = Array.from({ length: 4 }, () => conversion(customer));
    await Promise.all(leads.map((e) => svc.publish(e)));
    await applied(...leads);
    const results = await Promise.all(leads.map((e) => resolution(e.data.leadId)));
    expect(new Set(results.map((r) => r.contactId)).size).toBe(1);
    expect(new Set(results.map((r) => r.accountId)).size).toBe(1);
    expect(results.filter((r) => r.contactCreated)).toHaveLength(1);
    expect(await count(`SELECT count(*) AS n FROM contacts WHERE 'twin@twinpeaks.example' = ANY(normalized_emails)`, [])).toBe(1);
  });

  it('never resolves to a record merged away: the survivor, which took its email, is matched', async () => {
    const older = await createAccount(svc, admin, { name: 'Quarry Mills', domains: ['quarry-mills.example'] });
    const newer = await createAccount(svc, admin, { name: 'Quarry Mills Group' });
    const lost = await createContact(svc, admin, { name: 'Sun Yue', emails: ['sun.yue@quarry-mills.example'], accountIds: [older.id] });
    const kept = await createContact(svc, admin, { name: 'Yue Sun', emails: ['yue@quarry-group.example'], accountIds: [newer.id] });
    await svc.as(admin).post(`/api/v1/accounts/${newer.id}/merge`).set('If-Match', '"1"').send({ mergedId: older.id }).expect(201);
    const survivor = (await svc.as(admin).get(`/api/v1/contacts/${kept.id}`).expect(200)).body;
    await svc.as(admin).post(`/api/v1/contacts/${kept.id}/merge`).set('If-Match', `"${survivor.version}"`).send({ mergedId: lost.id }).expect(201);

    const converted = conversion({ name: 'Sun Yue', company: 'Quarry Mills', email: 'sun.yue@quarry-mills.example' });
    await svc.publish(converted);
    const r = await resolution(converted.data.leadId);
    expect(r).toMatchObject({ contactId: kept.id, accountId: newer.id, contactCreated: false, accountCreated: false });
  });
});
