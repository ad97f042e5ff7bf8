import { randomUUID } from 'node:crypto';
import { createEvent, type EventOf } from '@crm/contracts';
import { startTestService, storedValues, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { financeSettings } from '../finance.settings';
import { ADMIN, consumed, openReceivable, orderCancelled, singleLine } from '../testing/finance-fixtures';

const PERSON = { name: 'Qiao Xiaoyun', email: 'qiao.xiaoyun@example.cn', phone: '+86 139 0000 4242' };
const REFERENCE = `REMIT ${PERSON.name.toUpperCase()} 77`;

const erased = (data: Partial<EventOf<'contact.erased'>['data']> & { contactId: string }): EventOf<'contact.erased'> =>
  createEvent('contact.erased', {
    subject: data.contactId,
    data: {
      leadIds: [],
      opportunityIds: [],
      orderIds: [],
      receivableIds: [],
      requestId: randomUUID(),
      by: 'admin-1',
      erasedAt: new Date().toISOString(),
      ...data,
    },
  });

describe("a person's data in finance: export and erasure (real Kafka and PostgreSQL)", () => {
  let svc: TestService;

  beforeAll(async () => {
    svc = await startTestService('finance', (config) => AppModule.forRoot(config), { settings: financeSettings });
  });
  afterAll(() => svc?.close());

  const totals = (ids: string[]) =>
    svc.dataSource.query(
      `SELECT (SELECT sum(amount)::text FROM receivables WHERE id = ANY($1::uuid[])) AS amount,
              (SELECT sum(paid)::text FROM receivables WHERE id = ANY($1::uuid[])) AS paid,
              (SELECT string_agg(status || currency || due_date, ',' ORDER BY id) FROM receivables WHERE id = ANY($1::uuid[])) AS facts,
              (SELECT sum(amount)::text FROM payments WHERE receivable_id = ANY($1::uuid[])) AS payments,
              (SELECT sum(amount)::text FROM credit_notes WHERE receivable_id = ANY($1::uuid[])) AS credited`,
      [ids],
    );
  const exportOf = async (contactId: string) => (await svc.as(ADMIN).get(`/api/v1/personal-data/finance?contactId=${contactId}`).expect(200)).body;

  it('exports the receivables, payments and credit notes of the contact, then erases the name and references to the cent', async () => {
    const contactId = randomUUID();
    const customer = PERSON;
    const paidOne = await openReceivable(svc, { contactId, customer, lines: singleLine('100.00'), total: '100.00' });
    // The order of a contact known to customers only by its id (no contact on the event): found by order id.
    const byOrder = await openReceivable(svc, { customer, lines: singleLine('50.00'), total: '50.00' });
    const bystander = await openReceivable(svc, { contactId: randomUUID(), customer: { name: 'Someone Else' } });

    const payment = await svc
      .as(ADMIN)
      .post(`/api/v1/receivables/${paidOne.receivable.id}/payments`)
      .set('Idempotency-Key', randomUUID())
      .send({ amount: '40.00', currency: 'EUR', method: 'bank_transfer', reference: REFERENCE })
      .expect(201);
    expect(JSON.stringify(payment.body)).toContain(PERSON.name);
    const cancel = orderCancelled(paidOne.event.data.orderId, `${PERSON.name} withdrew`);
    await svc.publish(cancel);
    await consumed(svc, cancel.id);

    const before = await exportOf(contactId);
    expect(before).toMatchObject({ service: 'finance', subject: { contactId }, generatedAt: expect.any(String) });
    expect(before.records.receivables).toEqual([
      expect.objectContaining({ id: paidOne.receivable.id, customerName: PERSON.name, contactId, amount: '100.00' }),
    ]);
    expect(before.records.payments).toEqual([expect.objectContaining({ receivableId: paidOne.receivable.id, amount: '40.00', reference: REFERENCE })]);
    expect(before.records.creditNotes).toEqual([
      expect.objectContaining({ receivableId: paidOne.receivable.id, amount: '40.00', reason: `${PERSON.name} withdrew` }),
    ]);

    const ids = [paidOne.receivable.id, byOrder.receivable.id];
    const totalsBefore = await totals(ids);
    const erasure = erased({ contactId, orderIds: [byOrder.event.data.orderId] });
    await svc.publish(erasure);
    await consumed(svc, erasure.id);

    expect(await totals(ids)).toEqual(totalsBefore);
    expect(await storedValues(svc.dataSource, [...Object.values(PERSON), REFERENCE])).toEqual([]);
    const after = await exportOf(contactId);
    expect(after.records.receivables).toEqual([expect.objectContaining({ customerName: '[erased]', amount: '100.00', paid: '40.00', status: 'voided' })]);
    expect(after.records.payments).toEqual([expect.objectContaining({ amount: '40.00', reference: null, method: 'bank_transfer' })]);
    expect(after.records.creditNotes).toEqual([expect.objectContaining({ amount: '40.00', reason: '[erased] withdrew' })]);
    const other = await svc.as(ADMIN).get(`/api/v1/receivables/${byOrder.receivable.id}`).expect(200);
    expect(other.body.customerName).toBe('[erased]');
    const untouched = await svc.as(ADMIN).get(`/api/v1/receivables/${bystander.receivable.id}`).expect(200);
    expect(untouched.body.customerName).toBe('Someone Else');
  });

  it('answers an unknown contact and any lead with empty records (finance holds nothing by lead), and refuses a missing or malformed id with 400', async () => {
    const contactId = randomUUID();
    expect(await exportOf(contactId)).toMatchObject({ records: { receivables: [], payments: [], creditNotes: [] } });
    await svc.as(ADMIN).get('/api/v1/personal-data/finance').expect(400);
    await svc.as(ADMIN).get('/api/v1/personal-data/finance?contactId=nope').expect(400);
    const lead = await svc.as(ADMIN).get(`/api/v1/personal-data/finance?leadId=${contactId}`).expect(200);
    expect(lead.body).toMatchObject({ subject: { leadId: contactId }, records: { receivables: [], payments: [], creditNotes: [] } });
    await svc.as(ADMIN).get(`/api/v1/personal-data/finance?leadId=${contactId}&contactId=${contactId}`).expect(400);
  });
});
