import { randomUUID } from 'node:crypto';
import { createEvent } from '@crm/contracts';
import { startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { financeSettings } from '../finance.settings';
import { ADMIN, consumed, openReceivable, singleLine } from '../testing/finance-fixtures';

const manager = { sub: randomUUID(), roles: ['sales_manager'], team: 'north' };
const rep = { sub: randomUUID(), roles: ['sales_rep'], team: 'north' };
const REFERENCE = 'REMIT LIU YANG 2041';

describe('finance audit trail (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  let receivableId: string;
  let paymentId: string;
  const contactId = randomUUID();
  const trail = (claims: { sub: string; roles: string[]; team?: string }, query: string) => svc.as(claims).get(`/api/v1/audit/finance?${query}`).expect(200);

  beforeAll(async () => {
    svc = await startTestService('finance', (config) => AppModule.forRoot(config), { settings: financeSettings });
    const { receivable } = await openReceivable(svc, { contactId, customer: { name: 'Liu Yang' }, lines: singleLine('100.00'), total: '100.00' });
    receivableId = receivable.id;
    const paid = await svc
      .as(manager)
      .post(`/api/v1/receivables/${receivableId}/payments`)
      .set('Idempotency-Key', randomUUID())
      .set('X-Forwarded-For', '203.0.113.40')
      .set('User-Agent', 'finance-audit/1.0')
      .send({ amount: '40.00', currency: 'EUR', method: 'bank_transfer', reference: REFERENCE })
      .expect(201);
    paymentId = paid.body.payment.id;
  });
  afterAll(() => svc?.close());

  it('records a payment with who, when, from where and the values, the reference personal; and the receivable it paid', async () => {
    const [payment] = (await trail(ADMIN, `recordType=payment&recordId=${paymentId}`)).body.items;
    expect(payment).toMatchObject({ action: 'created', actor: manager.sub, actorRoles: ['sales_manager'], ip: '203.0.113.40', userAgent: 'finance-audit/1.0' });
    expect(Date.now() - Date.parse(payment.at)).toBeLessThan(60_000);
    expect(payment.changes).toEqual(
      expect.arrayContaining([
        { field: 'amount', old: null, new: '40.00', personal: false },
        { field: 'reference', old: null, new: REFERENCE, personal: true },
      ]),
    );
    const [receivable] = (await trail(ADMIN, `recordType=receivable&recordId=${receivableId}`)).body.items;
    expect(receivable).toMatchObject({ action: 'payment_recorded', actor: manager.sub });
    expect(receivable.changes).toEqual([
      { field: 'paid', old: '0.00', new: '40.00', personal: false },
      { field: 'status', old: 'open', new: 'partially_paid', personal: false },
    ]);
    // Sealed in the database; a rep reads it masked.
    const [{ raw }] = await svc.dataSource.query("SELECT string_agg(changes::text, ' ') AS raw FROM audit_trail");
    expect(raw).not.toContain('LIU YANG');
    const [masked] = (await trail(rep, `recordId=${paymentId}`)).body.items;
    expect(masked.changes).toContainEqual({ field: 'reference', old: null, new: 'R•••', personal: true });
  });

  it('records an export per record returned, and an erasure per record scrubbed by whoever erased', async () => {
    await svc.as(ADMIN).get(`/api/v1/personal-data/finance?contactId=${contactId}`).expect(200);
    const exported = (await trail(ADMIN, `actor=${ADMIN.sub}`)).body.items;
    expect(exported.map((e: { recordType: string; recordId: string; action: string }) => [e.action, e.recordType, e.recordId]).sort()).toEqual([
      ['exported', 'payment', paymentId],
      ['exported', 'receivable', receivableId],
    ]);

    const by = randomUUID();
    const erasure = createEvent('contact.erased', {
      subject: contactId,
      data: { contactId, leadIds: [], opportunityIds: [], orderIds: [], receivableIds: [], requestId: randomUUID(), by, erasedAt: new Date().toISOString() },
    });
    await svc.publish(erasure);
    await consumed(svc, erasure.id);
    const erased = (await trail(ADMIN, `actor=${by}`)).body.items;
    expect(erased.map((e: { recordType: string; recordId: string; action: string }) => [e.action, e.recordType, e.recordId]).sort()).toEqual([
      ['erased', 'payment', paymentId],
      ['erased', 'receivable', receivableId],
    ]);
    expect(erased.find((e: { recordType: string }) => e.recordType === 'receivable').changes).toEqual([
      { field: 'customerName', old: '[erased]', new: '[erased]', personal: true },
    ]);
    // The payment's own entry keeps the facts and loses the reference.
    const [payment] = (await trail(ADMIN, `recordType=payment&recordId=${paymentId}&actor=${manager.sub}`)).body.items;
    expect(payment.changes).toContainEqual({ field: 'reference', old: '[erased]', new: '[erased]', personal: true });
    expect(payment.changes).toContainEqual({ field: 'amount', old: null, new: '40.00', personal: false });
  });
});
