import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { ERASED, openEvents, personalDataVault, personalKeyId, sealEvents } from '@crm/privacy';
import { eventually, startTestService, storedValues, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { ordersSettings } from '../orders.settings';

const now = () => new Date().toISOString();
const rep = { sub: randomUUID(), roles: ['sales_rep'], team: 'east' };
const manager = { sub: randomUUID(), roles: ['sales_manager'], team: 'east' };
const integration = { sub: 'erp-bridge', roles: ['integration'] };
const admin = { sub: randomUUID(), roles: ['admin'] };
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
    comment: `the crate arrived crushed ${tag}`,
  };
};
type Person = ReturnType<typeof person>;

describe('orders: erasure and export of a person (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService('orders', (config) => AppModule.forRoot(config), { settings: ordersSettings });
    const item = createEvent('item.upserted', { subject: 'PUMP-200', data: { sku: 'PUMP-200', name: 'Pump', active: true, updatedAt: now() } });
    await svc.publish(item);
    await applied(item);
  });
  afterAll(() => svc?.close());

  const applied = (...events: EventEnvelope[]) =>
    eventually(async () => {
      const [{ n }] = await svc.dataSource.query('SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1::uuid[])', [events.map((e) => e.id)]);
      expect(n).toBe(new Set(events.map((e) => e.id)).size);
    });
  /** Every text and JSON column of every table, searched for each value (case-insensitively: search columns lower-case). */
  const traces = (p: Person) => storedValues(svc.dataSource, [p.name, p.email, p.phone, p.digits, p.comment], { ignoreCase: true });
  const won = (p: { name: string; email?: string; phone?: string }, leadId: string | null = randomUUID(), opportunityId = randomUUID()) =>
    createEvent('opportunity.won', {
      subject: opportunityId,
      data: {
        opportunityId,
        leadId,
        repId: rep.sub,
        team: 'east',
        customer: { name: p.name, email: p.email, phone: p.phone },
        currency: 'CNY',
        amount: '1000.00',
        lines: [{ sku: 'PUMP-200', productName: 'Pump', quantity: 10, unitPrice: '100' }],
        paymentTerms: 'NET60',
        createdAt: now(),
        wonAt: now(),
      },
    });
  const orderOf = (opportunityId: string) =>
    eventually(async () => {
      const [row] = await svc.dataSource.query('SELECT id, customer FROM orders WHERE opportunity_id = $1', [opportunityId]);
      expect(row).toBeDefined();
      return row as { id: string; customer: Record<string, unknown> };
    });

  /** A contact's completed order with tracking notes and feedback, and a draft from their won opportunity. */
  const seed = async (p: Person) => {
    const contactId = randomUUID();
    const customer = { name: p.name, company: 'Vantreese Pumps', email: p.email, phone: p.phone };
    const created = await svc
      .as(rep)
      .post('/api/v1/orders')
      .set('Idempotency-Key', randomUUID())
      .send({ customer, contactId, currency: 'USD', paymentTerms: 'NET30', promisedDeliveryDate: '2027-01-15', lines })
      .expect(201);
    const id: string = created.body.id;
    await svc.as(rep).post(`/api/v1/orders/${id}/submit`).expect(200);
    await svc.as(manager).post(`/api/v1/orders/${id}/confirm`).expect(200);
    await svc.publish(
      createEvent('stock.deducted', { subject: id, data: { orderId: id, warehouseId: 'main', lines: [{ sku: 'PUMP-200', quantity: 3 }], at: now() } }),
    );
    await eventually(async () => expect((await svc.as(rep).get(`/api/v1/orders/${id}`)).body.status).toBe('allocated'));
    const track = (body: object) => svc.as(integration).post(`/api/v1/orders/${id}/tracking`).send(body).expect(200);
    await track({ kind: 'production', percent: 100, note: `checked with ${p.name}` });
    await track({ kind: 'shipment', carrier: 'SF Express', trackingNumber: 'SF777' });
    await track({ kind: 'delivered', note: `signed by ${p.name}, ${p.phone}` });
    const paid = createEvent('payment.received', {
      subject: randomUUID(),
      data: { paymentId: randomUUID(), receivableId: randomUUID(), orderId: id, amount: '54.97', currency: 'USD', outstanding: '0.00', receivedAt: now() },
    });
    await svc.publish(paid);
    await eventually(async () => expect((await svc.as(rep).get(`/api/v1/orders/${id}`)).body.status).toBe('completed'));
    await svc.as(rep).post(`/api/v1/orders/${id}/feedback`).send({ rating: 2, category: 'delivery', comment: p.comment, complaint: true }).expect(201);
    const leadId = randomUUID();
    const fromWin = won(p, leadId);
    await svc.publish(fromWin);
    const draft = await orderOf(fromWin.data.opportunityId);
    return { contactId, leadId, opportunityId: fromWin.data.opportunityId, completed: id, draft: draft.id };
  };
  const facts = (ids: string[]) =>
    svc.dataSource.query(
      `SELECT o.id, o.status, o.total, o.currency, o.payment_status, o.outstanding, o.promised_delivery_date, o.carrier, o.tracking_number, o.billing_address,
              (SELECT json_agg(json_build_object('sku', l.sku, 'q', l.quantity, 'p', l.unit_price, 't', l.line_total) ORDER BY l.position) FROM order_lines l WHERE l.order_id = o.id) AS lines,
              (SELECT json_agg(h.to_status ORDER BY h.id) FROM order_status_history h WHERE h.order_id = o.id) AS history,
              (SELECT json_agg(json_build_object('rating', f.rating, 'category', f.category, 'complaint', f.complaint)) FROM feedback f WHERE f.order_id = o.id) AS feedback
         FROM orders o WHERE o.id = ANY($1::uuid[]) ORDER BY o.id`,
      [ids],
    );
  const erasedContact = (s: { contactId: string; opportunityId: string }) =>
    createEvent('contact.erased', {
      subject: s.contactId,
      data: {
        contactId: s.contactId,
        leadIds: [],
        opportunityIds: [s.opportunityId],
        orderIds: [],
        receivableIds: [],
        requestId: randomUUID(),
        by: admin.sub,
        erasedAt: now(),
      },
    });

  it('scrubs every copy of the person on contact.erased, keeps lines, totals and statuses, and destroys the keys', async () => {
    const p = person();
    const s = await seed(p);
    expect(await traces(p)).not.toEqual([]);
    const before = await facts([s.completed, s.draft]);

    const erased = erasedContact(s);
    await svc.publish(erased);
    await applied(erased);

    expect(await traces(p)).toEqual([]);
    expect(await facts([s.completed, s.draft])).toEqual(before);
    const shown = (await svc.as(admin).get(`/api/v1/orders/${s.completed}`).expect(200)).body;
    expect(shown).toMatchObject({ customer: { name: ERASED, company: 'Vantreese Pumps' }, total: '54.97', status: 'completed' });
    expect(shown.customer).not.toHaveProperty('email');
    expect((await svc.as(admin).get(`/api/v1/orders/${s.completed}/feedback`).expect(200)).body.feedback).toMatchObject({ rating: 2, comment: null });
    expect((await svc.as(admin).get(`/api/v1/orders/${s.draft}`).expect(200)).body.customer).toEqual({ name: ERASED });
    expect(
      (
        await svc
          .as(admin)
          .get(`/api/v1/orders?q=${encodeURIComponent(p.email)}`)
          .expect(200)
      ).body.items,
    ).toEqual([]);
    const vault = personalDataVault();
    expect((await vault.find([s.completed, s.draft].map((id) => personalKeyId('orders', id)))).size).toBe(0);

    // The draft's own later event is written erased: its key is gone for good.
    await svc.as(rep).post(`/api/v1/orders/${s.draft}/submit`).expect(200);
    await svc.as(manager).post(`/api/v1/orders/${s.draft}/confirm`).expect(200);
    const [confirmed] = (await svc.dataSource.query(`SELECT payload FROM outbox WHERE event_type = 'crm.order.confirmed' AND message_key = $1`, [s.draft])).map(
      (r: { payload: EventEnvelope }) => r.payload,
    );
    expect(confirmed.personaldata).toBeUndefined();
    await openEvents([confirmed], vault);
    expect((confirmed.data as { customer: object }).customer).toEqual({ name: ERASED });
    expect(await traces(p)).toEqual([]);
  });

  it('stores "[erased]" from a win that arrives after the erasure, and scrubs an order on lead.erased', async () => {
    const p = person();
    const vault = personalDataVault();
    const [late] = await sealEvents([won(p)], vault);
    const contactId = randomUUID();
    const erased = erasedContact({ contactId, opportunityId: late.subject });
    // The opportunities service erased the deal (its key) before this service read the win.
    await vault.destroy([personalKeyId('opportunities', late.subject)], 'opportunities', 'erasure');
    await svc.publish(erased, late);
    await applied(erased, late);
    expect((await orderOf(late.subject)).customer).toEqual({ name: ERASED });

    const q = person();
    const fromLead = won(q);
    await svc.publish(fromLead);
    const { id } = await orderOf(fromLead.data.opportunityId);
    const before = await facts([id]);
    const leadErased = createEvent('lead.erased', {
      subject: fromLead.data.leadId!,
      data: { leadId: fromLead.data.leadId!, reason: 'retention', opportunityIds: [fromLead.data.opportunityId], by: 'system', erasedAt: now() },
    });
    await svc.publish(leadErased);
    await applied(leadErased);
    expect((await orderOf(fromLead.data.opportunityId)).customer).toEqual({ name: ERASED });
    expect(await facts([id])).toEqual(before);
    expect(await traces(q)).toEqual([]);
  });

  it("exports a contact's and a lead's orders with lines, status history, tracking and feedback; 400 without exactly one id", async () => {
    const p = person();
    const s = await seed(p);
    const exportOf = async (query: string) => (await svc.as(admin).get(`/api/v1/personal-data/orders?${query}`).expect(200)).body;
    const byContact = await exportOf(`contactId=${s.contactId}`);
    expect(byContact).toMatchObject({ service: 'orders', subject: { contactId: s.contactId }, generatedAt: expect.any(String) });
    expect(byContact.records.orders).toEqual([
      expect.objectContaining({
        id: s.completed,
        contactId: s.contactId,
        customer: expect.objectContaining({ name: p.name, email: p.email }),
        total: '54.9700',
      }),
    ]);
    expect(byContact.records.orders[0].searchText).toBeUndefined();
    expect(byContact.records.orderLines).toEqual([expect.objectContaining({ orderId: s.completed, sku: 'PUMP-200', quantity: 3 })]);
    expect(byContact.records.statusHistory.map((h: { toStatus: string }) => h.toStatus)).toContain('completed');
    expect(byContact.records.tracking).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'delivered', note: `signed by ${p.name}, ${p.phone}` })]),
    );
    expect(byContact.records.feedback).toEqual([expect.objectContaining({ orderId: s.completed, rating: 2, comment: p.comment })]);

    const byLead = await exportOf(`leadId=${s.leadId}`);
    expect(byLead.records.orders).toEqual([expect.objectContaining({ id: s.draft, leadId: s.leadId, opportunityId: s.opportunityId })]);
    expect(byLead.records.orderLines).toHaveLength(1);

    const nobody = await exportOf(`leadId=${randomUUID()}`);
    expect(Object.keys(nobody.records)).toEqual(Object.keys(byContact.records));
    expect(Object.values(nobody.records).every((rows) => Array.isArray(rows) && rows.length === 0)).toBe(true);
    for (const query of ['', `contactId=${s.contactId}&leadId=${s.leadId}`, 'leadId=nope']) {
      const bad = await svc.as(admin).get(`/api/v1/personal-data/orders?${query}`).expect(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
    }
    await svc.as(rep).get(`/api/v1/personal-data/orders?contactId=${s.contactId}`).expect(403);
  });
});
