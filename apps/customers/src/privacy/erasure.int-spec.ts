import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { databaseUrlFor, ERASED, KeyVault, MasterKeys, openEvents, personalDataVault, personalKeyId, sealEvents } from '@crm/privacy';
import { eventually, storedValues, type TestService } from '@crm/testing';
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

/** Where the database holds any of the values byte for byte (every text and json column of every table). */
const valuesFound = (svc: TestService, values: string[]) => storedValues(svc.dataSource, values);

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

    // Each record given out is in the trail as 'exported' by the admin: the contact, its duplicate (in the merge), its records.
    const exported: { record_type: string; record_id: string; actor: string }[] = await svc.dataSource.query(
      `SELECT record_type, record_id, actor FROM audit_trail WHERE action = 'exported' AND record_id = ANY($1) ORDER BY record_type, record_id`,
      [[contactId, body.records.merges[0].mergedId, leadId, opportunityId, orderId, receivableId]],
    );
    const once = exported.filter((e, i) => exported.findIndex((x) => x.record_id === e.record_id) === i);
    expect(once.map((e) => `${e.record_type}:${e.record_id}`).sort()).toEqual(
      [
        `contact:${contactId}`,
        `contact:${body.records.merges[0].mergedId}`,
        `lead:${leadId}`,
        `opportunity:${opportunityId}`,
        `order:${orderId}`,
        `receivable:${receivableId}`,
      ].sort(),
    );
    expect(new Set(exported.map((e) => e.actor))).toEqual(new Set([admin.sub]));
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
    let late: EventEnvelope[];
    const keyId = () => personalKeyId('customers', contactId);
    const recordKeys = () => [personalKeyId('leads', leadId), personalKeyId('opportunities', opportunityId), personalKeyId('orders', orderId)];

    beforeAll(async () => {
      summaryBefore = (await svc.as(admin).get(`/api/v1/contacts/${contactId}/summary`).expect(200)).body;
      expect((await personalDataVault().find([keyId()])).has(keyId())).toBe(true);
      // Events of the person's records as their services seal them, which another service may still consume after the erasure.
      const deal = { opportunityId, leadId, repId: rep.sub, team };
      late = await sealEvents(
        [
          about(lead.captured(leadId, t(0))),
          about(opp.won(deal, '1000.00', 'CNY', t(8))),
          about(ord.drafted({ orderId, opportunityId, repId: rep.sub, team }, '900.50', 'CNY', t(9))),
        ],
        personalDataVault(),
      );
      expect((await personalDataVault().find(recordKeys())).size).toBe(3);
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

    it("destroys the keys of the contact's lead, opportunity and order in the same step: their events open as '[erased]' anywhere", async () => {
      // A vault with nothing cached, as in another service that processes contact.erased later than a late event.
      const elsewhere = new KeyVault(process.env.VAULT_DATABASE_URL || databaseUrlFor('crm_vault'), MasterKeys.fromEnv());
      try {
        expect((await elsewhere.find(recordKeys())).size).toBe(0);
        await openEvents(late, elsewhere);
      } finally {
        await elsewhere.close();
      }
      const people = late.map((e) => (e.data as { contact?: object; customer?: object }).contact ?? (e.data as { customer?: object }).customer);
      expect(people).toEqual([expect.objectContaining({ name: ERASED }), expect.objectContaining({ name: ERASED }), expect.objectContaining({ name: ERASED })]);
      expect(JSON.stringify(late.map((e) => e.data))).not.toContain(person.emails[0]);
      // Each owner destroys its own again on contact.erased: nothing live is left for it, the tombstones stay.
      expect(await personalDataVault().destroy(recordKeys(), 'leads', 'erasure')).toBe(0);
    });

    it('records the erasure in the trail, by the admin, per record scrubbed, and no personal value of the contact reads any more', async () => {
      const { body } = await svc.as(admin).get(`/api/v1/audit/customers?recordType=contact&recordId=${contactId}`).expect(200);
      expect(body.items[0]).toMatchObject({ action: 'erased', actor: admin.sub, recordId: contactId });
      expect(body.items[0].changes.map((c: { field: string }) => c.field)).toEqual(['name', 'title', 'emails', 'phones']);
      const text = JSON.stringify(body.items);
      for (const value of searched) expect(text).not.toContain(value);
      // The creation's sealed values went with the key.
      const created = body.items.find((e: { action: string }) => e.action === 'created');
      expect(created.changes.find((c: { field: string }) => c.field === 'name')).toEqual({ field: 'name', old: ERASED, new: ERASED, personal: true });
      const erased: { record_type: string; record_id: string; actor: string }[] = await svc.dataSource.query(
        `SELECT record_type, record_id, actor FROM audit_trail WHERE action = 'erased' ORDER BY record_type, record_id`,
      );
      const mergedId = (await svc.dataSource.query('SELECT id FROM contacts WHERE merged_into = $1', [contactId]))[0].id;
      expect(erased.filter((e) => [contactId, mergedId, leadId, opportunityId, orderId, receivableId].includes(e.record_id))).toEqual(
        [
          { record_type: 'contact', record_id: contactId, actor: admin.sub },
          { record_type: 'contact', record_id: mergedId, actor: admin.sub },
          { record_type: 'lead', record_id: leadId, actor: admin.sub },
          { record_type: 'opportunity', record_id: opportunityId, actor: admin.sub },
          { record_type: 'order', record_id: orderId, actor: admin.sub },
          { record_type: 'receivable', record_id: receivableId, actor: admin.sub },
        ].sort((a, b) => `${a.record_type}:${a.record_id}`.localeCompare(`${b.record_type}:${b.record_id}`)),
      );
    });

    it('refuses a merge involving the erased contact, either side, with ERASED_RECORD', async () => {
      const other = await createContact(svc, admin, { name: 'Sun Unrelated', emails: ['sun.unrelated@merge-refused.example'] });
      const { headers } = await svc.as(admin).get(`/api/v1/contacts/${contactId}`).expect(200);
      const into = await svc.as(admin).post(`/api/v1/contacts/${contactId}/merge`).set('If-Match', headers.etag).send({ mergedId: other.id }).expect(409);
      const away = await svc
        .as(admin)
        .post(`/api/v1/contacts/${other.id}/merge`)
        .set('If-Match', `"${other.version}"`)
        .send({ mergedId: contactId })
        .expect(409);
      for (const res of [into, away]) {
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body).toMatchObject({ code: 'ERASED_RECORD', detail: `The contact ${contactId} was erased; it can no longer be changed.` });
      }
      expect(await svc.dataSource.query('SELECT merged_into FROM contacts WHERE id = $1', [other.id])).toEqual([{ merged_into: null }]);
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
      expect(res.body).toMatchObject({ code: 'ERASED_RECORD', detail: `The contact ${contactId} was erased; it can no longer be changed.` });
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
    // In the trail by whoever the event names.
    expect(await svc.dataSource.query(`SELECT record_type, actor FROM audit_trail WHERE action = 'erased' AND record_id = $1`, [otherLead])).toEqual([
      { record_type: 'lead', actor: admin.sub },
    ]);
  });
});
