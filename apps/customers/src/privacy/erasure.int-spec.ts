import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { openEvents, personalDataVault, personalKeyId } from '@crm/privacy';
import { eventually, type TestService } from '@crm/testing';
import { admin, createAccount, createContact, managerOf, repOf, startCustomers } from '../testing/customers-fixtures';
import { financeEvents as fin, leadEvents as lead, opportunityEvents as opp, orderEvents as ord } from '../testing/record-events';

const t = (minute: number) => new Date(Date.UTC(2025, 4, 1, 9, minute)).toISOString();

/** The person: a name, two emails and two phones (the second pair on a duplicate merged into the contact). */
const person = {
  name: '赵可删 Zhao Erasable',
  emails: ['zhao.erasable@erase-pumps.example', 'zhao.private@mail-erase.example'],
  phones: ['+86 139 1234 5678', '+86 10 8765 4321'],
};
const searched = [person.name, ...person.emails, ...person.phones, ...person.phones.map((p) => p.replace(/[^\d+]/g, ''))];
const customer = { name: person.name, company: 'Erase Pumps', email: person.emails[0], phone: person.phones[0] };

/** The event as its service publishes it, about this person. */
function about<E extends EventEnvelope>(event: E, who: Record<string, unknown> = customer): E {
  const data = event.data as Record<string, unknown>;
  for (const key of ['contact', 'customer']) if (data[key]) data[key] = who;
  return event;
}

/** Every row of every table of the database as text, and which of the values occur in it byte for byte. */
async function valuesFound(svc: TestService, values: string[]): Promise<string[]> {
  const tables: { name: string }[] = await svc.dataSource.query(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  const found: string[] = [];
  for (const { name } of tables) {
    const [{ dump }] = await svc.dataSource.query(`SELECT coalesce(string_agg(t::text, E'\\n'), '') AS dump FROM "${name}" t`);
    for (const value of values) if ((dump as string).includes(value)) found.push(`${name}: ${value}`);
  }
  return found;
}

describe('erasure and export of a contact (real PostgreSQL and Kafka)', () => {
  let svc: TestService;
  const team = 'erase-east';
  const rep = repOf(team);
  let accountId: string;
  let contactId: string;
  const leadId = randomUUID();
  const opportunityId = randomUUID();
  const orderId = randomUUID();
  const receivableId = randomUUID();
  const erase = (claims = admin, id = contactId, body: unknown = { reason: 'request under PIPL art. 47' }) =>
    svc
      .as(claims)
      .post(`/api/v1/contacts/${id}/erasure`)
      .send(body as object);
  const exportOf = async (query: string) => (await svc.as(admin).get(`/api/v1/personal-data/customers?${query}`).expect(200)).body;

  beforeAll(async () => {
    svc = await startCustomers();
    accountId = (await createAccount(svc, admin, { name: 'Erase Pumps', domains: ['erase-pumps.example'], ownerRepId: rep.sub, team })).id;
    const contact = await createContact(svc, admin, {
      name: person.name,
      title: '采购经理',
      emails: [person.emails[0]],
      phones: [person.phones[0]],
      accountIds: [accountId],
      ownerRepId: rep.sub,
      team,
    });
    contactId = contact.id;
    // A duplicate of the person, merged into the contact: the merge remembers both.
    const duplicate = await createContact(svc, admin, { name: person.name, emails: [person.emails[1]], phones: [person.phones[1]] });
    await svc.as(admin).post(`/api/v1/contacts/${contactId}/merge`).set('If-Match', `"${contact.version}"`).send({ mergedId: duplicate.id }).expect(201);

    // The person's lead, converted (resolved here to the contact by email), its opportunity, order, receivable and payment.
    const deal = { opportunityId, leadId, repId: rep.sub, team };
    const order = { orderId, opportunityId, repId: rep.sub, team };
    const followUp = lead.followedUp(leadId, rep.sub, t(2), `${person.name} wants 10 pumps, call ${person.phones[0]}`);
    await svc.publish(
      about(lead.captured(leadId, t(0))),
      lead.assigned(leadId, rep.sub, team, t(1)),
      followUp,
      about(lead.converted(leadId, rep.sub, team, t(3))),
      about(opp.created(deal, '1000.00', 'CNY', t(4))),
      about(ord.drafted(order, '900.50', 'CNY', t(5))),
      fin.created(receivableId, orderId, '900.50', 'CNY', t(6)),
      fin.paid(receivableId, orderId, '100.25', '800.25', 'CNY', t(7)),
    );
    await eventually(async () =>
      expect(
        await svc.dataSource.query('SELECT count(*)::int AS n FROM customer_records WHERE contact_id = $1 AND record_id = ANY($2)', [
          contactId,
          [leadId, opportunityId, orderId, receivableId],
        ]),
      ).toEqual([{ n: 4 }]),
    );
  });
  afterAll(() => svc?.close());

  it('exports what the database holds about the contact and about its lead', async () => {
    const body = await exportOf(`contactId=${contactId}`);
    expect(body).toMatchObject({ service: 'customers', subject: { contactId }, generatedAt: expect.any(String) });
    const { records } = body;
    expect(records.contacts).toEqual([expect.objectContaining({ id: contactId, name: person.name, emails: person.emails, phones: person.phones })]);
    expect(records.memberships).toEqual([expect.objectContaining({ contactId, accountId, accountName: 'Erase Pumps' })]);
    expect(records.leadResolutions).toEqual([expect.objectContaining({ leadId, contactId, accountId })]);
    expect(records.merges).toHaveLength(1);
    expect(records.merges[0].survivorBefore).toMatchObject({ name: person.name, emails: [person.emails[0]] });
    const entries: { id: string }[] = await svc.dataSource.query(`SELECT id FROM timeline_entries WHERE contact_id = $1 OR record_id = $1 ORDER BY at, id`, [
      contactId,
    ]);
    expect(records.timelineEntries.map((e: { id: string }) => e.id)).toEqual(entries.map((e) => e.id));
    expect(records.timelineEntries.find((e: { kind: string }) => e.kind === 'lead.followed_up').detail.content).toContain(person.name);
    expect(records.customerRecords.map((r: { recordId: string }) => r.recordId).sort()).toEqual([leadId, opportunityId, orderId, receivableId].sort());

    const ofLead = (await exportOf(`leadId=${leadId}`)).records;
    expect(ofLead.leadResolutions).toEqual([expect.objectContaining({ leadId, contactId })]);
    expect(ofLead.customerRecords.map((r: { recordId: string }) => r.recordId).sort()).toEqual([leadId, opportunityId, orderId, receivableId].sort());
    expect(ofLead.contacts).toEqual([]);

    const nobody = await exportOf(`contactId=${randomUUID()}`);
    expect(Object.values(nobody.records).every((rows) => Array.isArray(rows) && rows.length === 0)).toBe(true);
  });

  it('refuses an export without exactly one subject, and to anyone but an admin', async () => {
    for (const query of ['', `contactId=${contactId}&leadId=${leadId}`, 'contactId=nope']) {
      const res = await svc.as(admin).get(`/api/v1/personal-data/customers?${query}`).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    await svc.as(repOf(team)).get(`/api/v1/personal-data/customers?contactId=${contactId}`).expect(403);
  });

  it('refuses an erasure to a sales rep or manager, without a reason, or of an unknown contact, and changes nothing', async () => {
    await erase(rep).expect(403);
    await erase(managerOf(team)).expect(403);
    const bad = await erase(admin, contactId, { reason: '' }).expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    await erase(admin, contactId, { reason: 'x'.repeat(501) }).expect(400);
    await erase(admin, randomUUID()).expect(404);
    expect(await svc.dataSource.query('SELECT name, erased_at FROM contacts WHERE id = $1', [contactId])).toEqual([{ name: person.name, erased_at: null }]);
  });

  describe('once the contact is erased', () => {
    let answer: Record<string, unknown>;
    let summaryBefore: unknown;
    const keyId = () => personalKeyId('customers', contactId);

    beforeAll(async () => {
      summaryBefore = (await svc.as(admin).get(`/api/v1/contacts/${contactId}/summary`).expect(200)).body;
      expect((await personalDataVault().find([keyId()])).has(keyId())).toBe(true);
      answer = (await erase().expect(200)).body;
    });

    it('answers the ids of the person and the request', () => {
      expect(answer).toEqual({
        requestId: expect.any(String),
        contactId,
        leadIds: [leadId],
        opportunityIds: [opportunityId],
        orderIds: [orderId],
        receivableIds: [receivableId],
        erasedAt: expect.any(String),
      });
    });

    it("holds none of the person's name, emails or phones anywhere in the database, byte for byte", async () => {
      expect(await valuesFound(svc, searched)).toEqual([]);
    });

    it('keeps the business facts: account link, records and the summary', async () => {
      expect((await svc.as(admin).get(`/api/v1/contacts/${contactId}/summary`).expect(200)).body).toEqual(summaryBefore);
      const entries: { kind: string; detail: Record<string, unknown> }[] = (
        await svc.as(admin).get(`/api/v1/contacts/${contactId}/timeline?limit=200`).expect(200)
      ).body.items;
      expect(entries.find((e) => e.kind === 'payment.received')?.detail).toMatchObject({ amount: '100.25', currency: 'CNY' });
      expect(entries.find((e) => e.kind === 'lead.followed_up')?.detail).toMatchObject({ content: '[erased]', channel: 'call' });
      expect(entries.find((e) => e.kind === 'lead.captured')?.detail).toMatchObject({ contact: { name: '[erased]', company: 'Erase Pumps' } });
    });

    it("answers '[erased]' and never finds the contact by its old values", async () => {
      const { body } = await svc.as(admin).get(`/api/v1/contacts/${contactId}`).expect(200);
      expect(body).toMatchObject({ name: '[erased]', title: null, emails: [], phones: [], erasedAt: expect.any(String) });
      expect(body.memberships).toEqual([expect.objectContaining({ accountId })]);
      for (const q of ['Zhao Erasable', '赵可删', person.emails[0], '139 1234']) {
        expect(
          (
            await svc
              .as(admin)
              .get(`/api/v1/contacts?q=${encodeURIComponent(q)}`)
              .expect(200)
          ).body.items,
        ).toEqual([]);
      }
    });

    it("destroys the contact's key: its events on the topic open as '[erased]'", async () => {
      expect((await personalDataVault().find([keyId()])).size).toBe(0);
      const created = (await svc.published('contact.created')).filter((e) => e.subject === contactId);
      expect(created).toHaveLength(1);
      expect(JSON.stringify(created)).not.toContain(person.emails[0]);
      await openEvents(created, personalDataVault());
      expect(created[0].data).toMatchObject({ name: '[erased]', emails: [], phones: [] });
    });

    it('publishes exactly one contact.erased, and a repeated request answers the same and publishes nothing', async () => {
      const events = await eventually(async () => {
        const found = (await svc.published('contact.erased')).filter((e) => e.subject === contactId);
        expect(found).toHaveLength(1);
        return found;
      });
      expect(events[0].data).toEqual({ ...answer, by: admin.sub });
      expect((await erase().expect(200)).body).toEqual(answer);
      const rows = await svc.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE event_type LIKE '%contact.erased'`);
      expect(rows).toEqual([{ n: 1 }]);
    });

    it('refuses an edit of the erased contact', async () => {
      const { headers } = await svc.as(admin).get(`/api/v1/contacts/${contactId}`).expect(200);
      const res = await svc.as(admin).patch(`/api/v1/contacts/${contactId}`).set('If-Match', headers.etag).send({ name: person.name }).expect(409);
      expect(res.body.code).toBe('ERASED_RECORD');
    });
  });

  it('scrubs a lead that never became a contact on lead.erased, and keeps its facts', async () => {
    const otherLead = randomUUID();
    const stranger = { name: 'Qian Forgotten', company: 'Lost Valves', email: 'qian@lost-valves.example', phone: '+86 21 5555 0101' };
    await svc.publish(
      about(lead.captured(otherLead, t(20)), stranger),
      lead.followedUp(otherLead, rep.sub, t(21), `${stranger.name} asked us to call ${stranger.phone}`),
    );
    await eventually(async () =>
      expect(await svc.dataSource.query('SELECT count(*)::int AS n FROM timeline_entries WHERE record_id = $1', [otherLead])).toEqual([{ n: 2 }]),
    );
    expect(await valuesFound(svc, [stranger.name, stranger.email, stranger.phone])).not.toEqual([]);
    await svc.publish(
      createEvent('lead.erased', { subject: otherLead, data: { leadId: otherLead, reason: 'request', opportunityIds: [], by: admin.sub, erasedAt: t(22) } }),
    );
    await eventually(async () => expect(await valuesFound(svc, [stranger.name, stranger.email, stranger.phone])).toEqual([]));
    const [captured] = await svc.dataSource.query(`SELECT detail FROM timeline_entries WHERE record_id = $1 AND kind = 'lead.captured'`, [otherLead]);
    expect(captured.detail).toEqual({ source: 'web_form', contact: { name: '[erased]', company: 'Lost Valves' } });
  });
});
