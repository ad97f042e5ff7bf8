import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { ERASED, openEvents, personalDataVault, personalKeyId, sealEvents } from '@crm/privacy';
import { eventually, startTestService, storedValues, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { opportunitiesSettings } from '../opportunities.settings';

const now = () => new Date().toISOString();
const rep = { sub: randomUUID(), roles: ['sales_rep'], team: 'east' };
const admin = { sub: randomUUID(), roles: ['admin'] };
const closeDate = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
const lines = [{ sku: 'PUMP-200', productName: 'Pump 200 W', quantity: 3, unitPrice: '19.99', discount: '5' }];

/** A person with values found nowhere else in the database, so any trace of them is theirs. */
const person = () => {
  const tag = randomUUID().slice(0, 8);
  const digits = String(Date.now()).slice(-8);
  return {
    name: `Orla Vantreese ${tag}`,
    email: `orla.${tag}@vantreese.example`,
    phone: `+86 139 ${digits.slice(0, 4)} ${digits.slice(4)}`,
    digits: `86139${digits}`,
  };
};
type Person = ReturnType<typeof person>;

describe('opportunities: erasure and export of a person (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService('opportunities', (config) => AppModule.forRoot(config), { settings: opportunitiesSettings });
  });
  afterAll(() => svc?.close());

  const applied = (...events: EventEnvelope[]) =>
    eventually(async () => {
      const [{ n }] = await svc.dataSource.query('SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1::uuid[])', [events.map((e) => e.id)]);
      expect(n).toBe(events.length);
    });
  /** Every text and JSON column of every table, searched for each value (case-insensitively: search columns lower-case). */
  const traces = (p: Person) => storedValues(svc.dataSource, [p.name, p.email, p.phone, p.digits], { ignoreCase: true });
  const exportOf = async (query: string) => (await svc.as(admin).get(`/api/v1/personal-data/opportunities?${query}`).expect(200)).body;

  /** A contact's direct opportunity (with a task, a strategy and a field repeating the phone) and a converted lead's. */
  const seed = async (p: Person) => {
    const contactId = randomUUID();
    const customer = { name: p.name, email: p.email, phone: p.phone };
    const direct = (
      await svc
        .as(rep)
        .post('/api/v1/opportunities')
        .set('Idempotency-Key', randomUUID())
        .send({
          customer,
          contactId,
          currency: 'USD',
          expectedCloseDate: closeDate,
          expectedAmount: '12000.50',
          lines,
          fields: { needsReport: `call ${p.phone}` },
        })
        .expect(201)
    ).body;
    await svc
      .as(rep)
      .post(`/api/v1/opportunities/${direct.id}/tasks`)
      .send({ key: 'call', title: `Call ${p.name} on ${p.phone}` })
      .expect(201);
    await svc
      .as(rep)
      .post(`/api/v1/opportunities/${direct.id}/strategies`)
      .send({ rationale: `${p.name} wants a discount, mail ${p.email}` })
      .expect(201);
    const leadId = randomUUID();
    const converted = createEvent('lead.converted', {
      subject: leadId,
      data: { leadId, repId: rep.sub, team: 'east', customer, productNeeds: [`${p.name} needs 40 pumps`], capturedAt: now(), convertedAt: now() },
    });
    await svc.publish(converted);
    const fromLead = await eventually(async () => {
      const [row] = await svc.dataSource.query('SELECT id FROM opportunities WHERE lead_id = $1', [leadId]);
      expect(row).toBeDefined();
      return row.id as string;
    });
    // A confirmed order of the person's, as the purchase history keeps it: keyed by the e-mail (no company named).
    const orderId = randomUUID();
    await svc.dataSource.query(
      `INSERT INTO account_history (order_id, account_key, currency, total, status, confirmed_at) VALUES ($1, $2, 'USD', 99.5, 'confirmed', now())`,
      [orderId, `email:${p.email.toLowerCase()}`],
    );
    return { contactId, leadId, orderId, direct: direct.id as string, fromLead };
  };
  const facts = (ids: string[]) =>
    svc.dataSource.query(
      `SELECT id, stage, status, expected_amount, currency, expected_close_date, score, (SELECT count(*) FROM opportunity_lines l WHERE l.opportunity_id = o.id) AS lines
         FROM opportunities o WHERE id = ANY($1::uuid[]) ORDER BY id`,
      [ids],
    );

  it('scrubs every copy of the person on contact.erased, keeps the business facts and destroys the keys', async () => {
    const p = person();
    const s = await seed(p);
    expect(await traces(p)).not.toEqual([]);
    const before = await facts([s.direct, s.fromLead]);
    const {
      customer: _before,
      version: _v1,
      updatedAt: _u1,
      fields: _f1,
      tasks: _t1,
      ...businessBefore
    } = (await svc.as(admin).get(`/api/v1/opportunities/${s.direct}`).expect(200)).body;
    const [{ total: historyTotal }] = await svc.dataSource.query('SELECT total FROM account_history WHERE order_id = $1', [s.orderId]);

    const erased = createEvent('contact.erased', {
      subject: s.contactId,
      data: {
        contactId: s.contactId,
        leadIds: [s.leadId],
        opportunityIds: [],
        orderIds: [s.orderId],
        receivableIds: [],
        requestId: randomUUID(),
        by: admin.sub,
        erasedAt: now(),
      },
    });
    await svc.publish(erased);
    await applied(erased);

    expect(await traces(p)).toEqual([]);
    expect(await facts([s.direct, s.fromLead])).toEqual(before);
    expect((await svc.dataSource.query('SELECT total FROM account_history WHERE order_id = $1', [s.orderId]))[0].total).toBe(historyTotal);
    for (const id of [s.direct, s.fromLead]) {
      const shown = (await svc.as(admin).get(`/api/v1/opportunities/${id}`).expect(200)).body;
      expect(shown.customer).toEqual({ name: ERASED });
    }
    const {
      customer: _after,
      version: _v2,
      updatedAt: _u2,
      fields,
      tasks,
      ...businessAfter
    } = (await svc.as(admin).get(`/api/v1/opportunities/${s.direct}`).expect(200)).body;
    expect(businessAfter).toEqual(businessBefore);
    // What people wrote keeps its words; only the person's details in it are gone.
    expect(fields).toEqual({ needsReport: `call ${ERASED}` });
    expect(tasks).toEqual([expect.objectContaining({ key: 'call', title: `Call ${ERASED} on ${ERASED}` })]);
    expect(
      (
        await svc
          .as(admin)
          .get(`/api/v1/opportunities?q=${encodeURIComponent(p.email)}`)
          .expect(200)
      ).body.items,
    ).toEqual([]);
    const vault = personalDataVault();
    const keys = [s.direct, s.fromLead].map((id) => personalKeyId('opportunities', id));
    expect((await vault.find(keys)).size).toBe(0);

    // The record's own later event is written erased: its key is gone for good.
    await svc.as(admin).post(`/api/v1/opportunities/${s.direct}/win`).send({ paymentTerms: 'NET30' }).expect(200);
    const [won] = (await svc.dataSource.query(`SELECT payload FROM outbox WHERE event_type = 'crm.opportunity.won' AND message_key = $1`, [s.direct])).map(
      (r: { payload: EventEnvelope }) => r.payload,
    );
    expect(won.personaldata).toBeUndefined();
    await openEvents([won], vault);
    expect((won.data as { customer: object }).customer).toEqual({ name: ERASED });
    expect(await traces(p)).toEqual([]);
  });

  it('stores "[erased]" from a conversion that arrives after the lead was erased', async () => {
    const p = person();
    const leadId = randomUUID();
    const vault = personalDataVault();
    const [converted] = await sealEvents(
      [
        createEvent('lead.converted', {
          subject: leadId,
          data: { leadId, repId: rep.sub, customer: { name: p.name, email: p.email, phone: p.phone }, productNeeds: [], capturedAt: now(), convertedAt: now() },
        }),
      ],
      vault,
    );
    const erased = createEvent('lead.erased', { subject: leadId, data: { leadId, reason: 'request', opportunityIds: [], by: admin.sub, erasedAt: now() } });
    // The leads service erased the lead (its key) before this service read the conversion.
    await vault.destroy([personalKeyId('leads', leadId)], 'leads', 'erasure');
    await svc.publish(erased, converted);
    await applied(erased, converted);
    const [row] = await svc.dataSource.query('SELECT customer FROM opportunities WHERE lead_id = $1', [leadId]);
    expect(row.customer).toEqual({ name: ERASED });
    expect(await traces(p)).toEqual([]);
  });

  it('scrubs the opportunity of a lead on lead.erased', async () => {
    const p = person();
    const s = await seed(p);
    const before = await facts([s.fromLead]);
    const erased = createEvent('lead.erased', {
      subject: s.leadId,
      data: { leadId: s.leadId, reason: 'retention', opportunityIds: [], by: 'system', erasedAt: now() },
    });
    await svc.publish(erased);
    await applied(erased);
    const [row] = await svc.dataSource.query('SELECT customer FROM opportunities WHERE id = $1', [s.fromLead]);
    expect(row.customer).toEqual({ name: ERASED });
    expect(await facts([s.fromLead])).toEqual(before);
    // The contact's own opportunity is not the lead's: it waits for the contact's erasure.
    const [direct] = await svc.dataSource.query('SELECT customer FROM opportunities WHERE id = $1', [s.direct]);
    expect(direct.customer.name).toBe(p.name);
  });

  it("exports a contact's and a lead's opportunities with everything held about them; 400 without exactly one id", async () => {
    const p = person();
    const s = await seed(p);
    const byContact = await exportOf(`contactId=${s.contactId}`);
    expect(byContact).toMatchObject({ service: 'opportunities', subject: { contactId: s.contactId }, generatedAt: expect.any(String) });
    expect(byContact.records.opportunities).toEqual([
      expect.objectContaining({
        id: s.direct,
        contactId: s.contactId,
        customer: { name: p.name, email: p.email, phone: p.phone },
        expectedAmount: '12000.5000',
      }),
    ]);
    expect(byContact.records.opportunities[0].searchText).toBeUndefined();
    expect(byContact.records.opportunityLines).toEqual([expect.objectContaining({ opportunityId: s.direct, sku: 'PUMP-200', quantity: 3 })]);
    expect(byContact.records.opportunityTasks).toEqual([expect.objectContaining({ title: `Call ${p.name} on ${p.phone}` })]);
    expect(byContact.records.strategyRecords).toEqual([expect.objectContaining({ rationale: `${p.name} wants a discount, mail ${p.email}` })]);
    expect(byContact.records.stageHistory.length).toBeGreaterThan(0);

    const byLead = await exportOf(`leadId=${s.leadId}`);
    expect(byLead.records.opportunities).toEqual([
      expect.objectContaining({ id: s.fromLead, leadId: s.leadId, customer: expect.objectContaining({ name: p.name }) }),
    ]);
    expect(byLead.records.leadFacts).toEqual([]);

    const nobody = await exportOf(`contactId=${randomUUID()}`);
    expect(Object.values(nobody.records).every((rows) => Array.isArray(rows) && rows.length === 0)).toBe(true);
    expect(Object.keys(nobody.records)).toEqual(Object.keys(byContact.records));

    for (const query of ['', `contactId=${s.contactId}&leadId=${s.leadId}`, 'contactId=nope']) {
      const bad = await svc.as(admin).get(`/api/v1/personal-data/opportunities?${query}`).expect(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
    }
    await svc.as(rep).get(`/api/v1/personal-data/opportunities?contactId=${s.contactId}`).expect(403);
  });
});
