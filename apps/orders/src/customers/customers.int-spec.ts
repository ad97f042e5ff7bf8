import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { ordersSettings } from '../orders.settings';

const now = () => new Date().toISOString();
const team = 'east';
const rep = { sub: randomUUID(), roles: ['sales_rep'], team };
const manager = { sub: randomUUID(), roles: ['sales_manager'], team };
const billing = { line1: '88 Jianguo Road', city: 'Beijing', postalCode: '100022', country: 'CN' };
const shipping = { line1: 'Dock 4', line2: 'Gate B', city: 'Tianjin', country: 'CN' };
const elsewhere = { line1: '1 Harbour St', city: 'Sydney', country: 'AU' };

const accountEvent = (accountId: string, version: number, over: Record<string, unknown> = {}) =>
  createEvent(version === 1 ? 'account.created' : 'account.updated', {
    subject: accountId,
    data: {
      accountId,
      name: `Acme v${version}`,
      domains: ['acme.example'],
      industry: null,
      size: null,
      region: null,
      billingAddress: billing,
      shippingAddress: shipping,
      ownerRepId: null,
      team: null,
      version,
      by: 'someone',
      at: new Date(Date.UTC(2026, 11, 1, version)).toISOString(),
      ...over,
    },
  });

const order = (over: Record<string, unknown> = {}) => ({
  customer: { name: 'Li Wei', company: 'Acme Trading' },
  currency: 'USD',
  lines: [{ sku: 'PUMP-200', productName: 'Pump 200 W', quantity: 1, unitPrice: '19.99' }],
  ...over,
});

const won = (opportunityId: string, over: Record<string, unknown> = {}) =>
  createEvent('opportunity.won', {
    subject: opportunityId,
    data: {
      opportunityId,
      leadId: null,
      repId: rep.sub,
      customer: { name: 'Zhang San', company: 'Acme' },
      currency: 'CNY',
      amount: '100.00',
      lines: [{ sku: 'PUMP-200', productName: 'Pump', quantity: 1, unitPrice: '100' }],
      createdAt: now(),
      wonAt: now(),
      ...over,
    },
  });

describe('orders: account and contact references (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const row = async (id: string) =>
    (await svc.dataSource.query('SELECT account_id, contact_id, billing_address, shipping_address, customer FROM orders WHERE id = $1', [id]))[0];
  const applied = async (eventId: string) => (await svc.dataSource.query('SELECT 1 FROM inbox WHERE event_id = $1', [eventId])).length > 0;
  const orderOf = (opportunityId: string) =>
    eventually(async () => {
      const [found] = await svc.dataSource.query('SELECT id FROM orders WHERE opportunity_id = $1', [opportunityId]);
      expect(found).toBeDefined();
      return found.id as string;
    });
  const publishAndWait = async (...events: EventEnvelope[]) => {
    await svc.publish(...events);
    for (const e of events) await eventually(async () => expect(await applied(e.id)).toBe(true));
  };

  beforeAll(async () => {
    svc = await startTestService('orders', (c) => AppModule.forRoot(c), { settings: ordersSettings });
    await publishAndWait(
      createEvent('item.upserted', { subject: 'PUMP-200', data: { sku: 'PUMP-200', name: 'Pump', active: true, updatedAt: now() } }),
      createEvent('rep.upserted', {
        subject: rep.sub,
        data: { repId: rep.sub, name: 'Rep A', email: 'a@crm.example', team, capacity: 10, active: true, updatedAt: now() },
      }),
    );
  });
  afterAll(() => svc?.close());

  it('keeps the newest version of an account; a late, older update changes nothing', async () => {
    const accountId = randomUUID();
    await publishAndWait(accountEvent(accountId, 1), accountEvent(accountId, 3, { shippingAddress: elsewhere }), accountEvent(accountId, 2));
    const [copy] = await svc.dataSource.query('SELECT name, version, billing_address, shipping_address FROM accounts WHERE id = $1', [accountId]);
    expect(copy).toEqual({ name: 'Acme v3', version: 3, billing_address: billing, shipping_address: elsewhere });
  });

  it("drafts an order from opportunity.won with the deal's ids and the account's addresses, and its events carry them", async () => {
    const accountId = randomUUID();
    const contactId = randomUUID();
    await publishAndWait(accountEvent(accountId, 1));
    const opportunityId = randomUUID();
    await svc.publish(won(opportunityId, { accountId, contactId }));
    const id = await orderOf(opportunityId);
    const detail = (await svc.as(rep).get(`/api/v1/orders/${id}`).expect(200)).body;
    expect(detail).toMatchObject({ accountId, contactId, billingAddress: billing, shippingAddress: shipping });
    const drafted = await eventually(async () => {
      const [found] = (await svc.published('order.drafted')).filter((e) => e.subject === id);
      expect(found).toBeDefined();
      return found;
    });
    expect(drafted.data).toMatchObject({ accountId, contactId, billingAddress: billing, shippingAddress: shipping });

    await svc.as(rep).post(`/api/v1/orders/${id}/submit`).expect(200);
    await svc.as(manager).post(`/api/v1/orders/${id}/confirm`).expect(200);
    const confirmed = await eventually(async () => {
      const [found] = (await svc.published('order.confirmed')).filter((e) => e.subject === id);
      expect(found).toBeDefined();
      return found;
    });
    expect(confirmed.data).toMatchObject({ accountId, contactId, billingAddress: billing, shippingAddress: shipping });
  });

  it("opportunity.customer_linked fills a draft's ids and addresses, and only the ids of a confirmed order", async () => {
    const accountId = randomUUID();
    const contactId = randomUUID();
    await publishAndWait(accountEvent(accountId, 1));
    const [draftOpp, confirmedOpp] = [randomUUID(), randomUUID()];
    await svc.publish(won(draftOpp), won(confirmedOpp));
    const [draftId, confirmedId] = [await orderOf(draftOpp), await orderOf(confirmedOpp)];
    await svc.as(rep).post(`/api/v1/orders/${confirmedId}/submit`).expect(200);
    await svc.as(manager).post(`/api/v1/orders/${confirmedId}/confirm`).expect(200);
    expect(await row(draftId)).toMatchObject({ account_id: null, billing_address: null });

    const link = (opportunityId: string) =>
      createEvent('opportunity.customer_linked', {
        subject: opportunityId,
        data: { opportunityId, leadId: randomUUID(), accountId, contactId, linkedAt: now() },
      });
    const draftLink = link(draftOpp);
    await publishAndWait(draftLink, link(confirmedOpp));
    expect((await svc.as(rep).get(`/api/v1/orders/${draftId}`).expect(200)).body).toMatchObject({
      accountId,
      contactId,
      billingAddress: billing,
      shippingAddress: shipping,
    });
    expect(await row(confirmedId)).toMatchObject({ account_id: accountId, contact_id: contactId, billing_address: null, shipping_address: null });
    // A link to another account later (a re-resolution) does not take the order away from its account.
    const version = (await svc.as(rep).get(`/api/v1/orders/${draftId}`)).body.version;
    await publishAndWait({ ...draftLink, id: randomUUID(), data: { ...draftLink.data, accountId: randomUUID() } } as EventEnvelope);
    expect((await svc.as(rep).get(`/api/v1/orders/${draftId}`)).body).toMatchObject({ accountId, version });
  });

  it("keeps the addresses a REST order names, takes the account's otherwise, and none for an account not yet known", async () => {
    const accountId = randomUUID();
    await publishAndWait(accountEvent(accountId, 1));
    const named = await svc
      .as(rep)
      .post('/api/v1/orders')
      .send(order({ accountId, billingAddress: { ...elsewhere, country: 'au' }, shippingAddress: elsewhere }))
      .expect(201);
    expect(named.body).toMatchObject({ accountId, billingAddress: elsewhere, shippingAddress: elsewhere });
    const defaulted = await svc
      .as(rep)
      .post('/api/v1/orders')
      .send(order({ accountId, contactId: randomUUID() }))
      .expect(201);
    expect(defaulted.body).toMatchObject({ accountId, billingAddress: billing, shippingAddress: shipping });
    const unknown = randomUUID();
    const lagging = await svc
      .as(rep)
      .post('/api/v1/orders')
      .send(order({ accountId: unknown }))
      .expect(201);
    expect(lagging.body).toMatchObject({ accountId: unknown, billingAddress: null, shippingAddress: null });
    const listed = (await svc.as(rep).get('/api/v1/orders?limit=200').expect(200)).body.items.find((o: { id: string }) => o.id === defaulted.body.id);
    expect(listed).toMatchObject({ accountId, billingAddress: billing });
  });

  it('refuses an invalid address with 400 naming each field, and stores nothing', async () => {
    const [{ n: before }] = await svc.dataSource.query('SELECT count(*)::int AS n FROM orders');
    const res = await svc
      .as(rep)
      .post('/api/v1/orders')
      .send(order({ accountId: 'not-a-uuid', billingAddress: { ...billing, country: 'XX' }, shippingAddress: { city: 'Tianjin', country: 'CN', extra: 1 } }))
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['accountId', 'billingAddress.country', 'shippingAddress.line1', 'shippingAddress.extra']),
    );
    const [{ n: after }] = await svc.dataSource.query('SELECT count(*)::int AS n FROM orders');
    expect(after).toBe(before);
  });

  it('re-points account and contact on merges and back on undos; a redelivered merge changes nothing more', async () => {
    const [merged, survivor, mergedContact, survivorContact, other] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await publishAndWait(accountEvent(merged, 1));
    const mk = async (accountId: string, contactId: string) =>
      (await svc.as(rep).post('/api/v1/orders').send(order({ accountId, contactId })).expect(201)).body.id as string;
    const [a, b, c] = [await mk(merged, mergedContact), await mk(merged, other), await mk(other, other)];
    const before = await row(a);

    const mergeId = randomUUID();
    const contactMergeId = randomUUID();
    const accountMerged = createEvent('account.merged', {
      subject: survivor,
      data: { mergeId, survivorId: survivor, mergedId: merged, by: 'admin', at: now() },
    });
    const contactMerged = createEvent('contact.merged', {
      subject: survivorContact,
      data: { mergeId: contactMergeId, survivorId: survivorContact, mergedId: mergedContact, by: 'admin', at: now() },
    });
    await publishAndWait(accountMerged, contactMerged);
    expect(await row(a)).toEqual({ ...before, account_id: survivor, contact_id: survivorContact });
    expect(await row(b)).toMatchObject({ account_id: survivor, contact_id: other });
    expect(await row(c)).toMatchObject({ account_id: other, contact_id: other });
    expect((await svc.as(rep).get(`/api/v1/orders/${a}`).expect(200)).body).toMatchObject({ accountId: survivor, contactId: survivorContact });

    // An order filed for the survivor after the merge is not the merge's to move back.
    const d = await mk(survivor, survivorContact);
    const undo = createEvent('account.merge_undone', {
      subject: survivor,
      data: { mergeId, survivorId: survivor, restoredId: merged, by: 'admin', at: now() },
    });
    const contactUndo = createEvent('contact.merge_undone', {
      subject: survivorContact,
      data: { mergeId: contactMergeId, survivorId: survivorContact, restoredId: mergedContact, by: 'admin', at: now() },
    });
    await publishAndWait(undo, contactUndo);
    expect(await row(a)).toEqual(before);
    expect(await row(b)).toMatchObject({ account_id: merged, contact_id: other });
    expect(await row(d)).toMatchObject({ account_id: survivor, contact_id: survivorContact });

    // The same merge again (a redelivery under a new id, or a replay) and the undo again change nothing.
    await publishAndWait({ ...accountMerged, id: randomUUID() } as EventEnvelope, { ...undo, id: randomUUID() } as EventEnvelope);
    await publishAndWait({ ...contactMerged, id: randomUUID() } as EventEnvelope);
    expect(await row(a)).toEqual(before);
    expect(await row(b)).toMatchObject({ account_id: merged });
  });
});
