import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { ERASED } from '@crm/privacy';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { ordersSettings } from '../orders.settings';

const now = () => new Date().toISOString();
const rep = { sub: randomUUID(), roles: ['sales_rep'], team: 'aud' };
const manager = { sub: randomUUID(), roles: ['sales_manager'], team: 'aud' };
const admin = { sub: randomUUID(), roles: ['admin'] };
const lines = [{ sku: 'PUMP-200', productName: 'Pump 200 W', quantity: 3, unitPrice: '19.99', discount: '5' }];
type Claims = { sub: string; roles: string[]; team?: string };
interface Entry {
  action: string;
  actor: string;
  at: string;
  changes: { field: string; old: unknown; new: unknown; personal: boolean }[];
}

describe('orders audit trail (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  let id: string;
  const contactId = randomUUID();
  const trailOf = async (claims: Claims): Promise<Entry[]> =>
    (await svc.as(claims).get(`/api/v1/audit/orders?recordType=order&recordId=${id}`).expect(200)).body.items;
  const entry = (entries: Entry[], action: string) => entries.find((e) => e.action === action)!;
  const applied = (event: EventEnvelope) =>
    eventually(async () => {
      const [{ n }] = await svc.dataSource.query('SELECT count(*)::int AS n FROM inbox WHERE event_id = $1', [event.id]);
      expect(n).toBe(1);
    });

  beforeAll(async () => {
    svc = await startTestService('orders', (config) => AppModule.forRoot(config), { settings: ordersSettings });
    const item = createEvent('item.upserted', { subject: 'PUMP-200', data: { sku: 'PUMP-200', name: 'Pump', active: true, updatedAt: now() } });
    await svc.publish(item);
    await applied(item);
    const customer = { name: 'Lin Yutang', company: 'Audit Pumps', email: 'lin.yutang@audit.example', phone: '+86 138 0099 4411' };
    const draft = await svc
      .as(rep)
      .post('/api/v1/orders')
      .send({ customer, contactId, currency: 'USD', paymentTerms: 'NET30', promisedDeliveryDate: '2027-01-15', lines })
      .expect(201);
    id = draft.body.id;
    await svc
      .as(rep)
      .patch(`/api/v1/orders/${id}`)
      .set('If-Match', `"${draft.body.version}"`)
      .set('X-Forwarded-For', '203.0.113.31')
      .set('User-Agent', 'order-audit/1.0')
      .send({ paymentTerms: 'NET60', note: 'Lin asked for 60 days' })
      .expect(200);
    await svc.as(rep).post(`/api/v1/orders/${id}/submit`).expect(200);
    await svc.as(manager).post(`/api/v1/orders/${id}/confirm`).expect(200);
    const deducted = createEvent('stock.deducted', {
      subject: id,
      data: { orderId: id, warehouseId: 'main', lines: [{ sku: 'PUMP-200', quantity: 3 }], at: now() },
    });
    await svc.publish(deducted);
    await applied(deducted);
    await svc.as(rep).post(`/api/v1/orders/${id}/tracking`).send({ kind: 'production', percent: 100 }).expect(200);
    await svc.as(rep).post(`/api/v1/orders/${id}/tracking`).send({ kind: 'shipment', carrier: 'SF Express', trackingNumber: 'SF123' }).expect(200);
    await svc.as(rep).post(`/api/v1/orders/${id}/tracking`).send({ kind: 'delivered', note: 'signed by Lin' }).expect(200);
    await svc
      .as(rep)
      .post(`/api/v1/orders/${id}/feedback`)
      .send({ rating: 2, category: 'delivery', comment: 'the crate was crushed', complaint: true })
      .expect(201);
  });
  afterAll(() => svc?.close());

  it('records the draft, its edit with who, when, where, old and new values, the workflow and the feedback; an admin reads them in clear', async () => {
    const entries = await trailOf(admin);
    expect(entries.map((e) => e.action)).toEqual([
      'feedback_received',
      'tracked',
      'tracked',
      'tracked',
      'stock_answered',
      'confirmed',
      'submitted',
      'draft_edited',
      'created',
    ]);
    const edit = entry(entries, 'draft_edited');
    expect(edit).toMatchObject({ actor: rep.sub, actorRoles: ['sales_rep'], ip: '203.0.113.31', userAgent: 'order-audit/1.0' });
    expect(Date.now() - Date.parse(edit.at)).toBeLessThan(60_000);
    expect(edit.changes).toEqual([
      { field: 'paymentTerms', old: 'NET30', new: 'NET60', personal: false },
      { field: 'editNote', old: null, new: 'Lin asked for 60 days', personal: true },
    ]);
    expect(entry(entries, 'created').changes).toEqual(
      expect.arrayContaining([
        { field: 'customerName', old: null, new: 'Lin Yutang', personal: true },
        { field: 'customerEmail', old: null, new: 'lin.yutang@audit.example', personal: true },
        { field: 'customerPhone', old: null, new: '+86 138 0099 4411', personal: true },
        { field: 'status', old: null, new: 'draft', personal: false },
      ]),
    );
    expect(entry(entries, 'confirmed')).toMatchObject({ actor: manager.sub });
    expect(entry(entries, 'confirmed').changes).toContainEqual({ field: 'status', old: 'submitted', new: 'confirmed', personal: false });
    expect(entry(entries, 'stock_answered')).toMatchObject({ actor: 'system' });
    expect(entries[1].changes).toEqual(
      expect.arrayContaining([
        { field: 'status', old: 'shipped', new: 'delivered', personal: false },
        { field: 'tracking.note', old: null, new: 'signed by Lin', personal: true },
      ]),
    );
    expect(entries[0].changes).toEqual([
      { field: 'feedback.rating', old: null, new: 2, personal: false },
      { field: 'feedback.category', old: null, new: 'delivery', personal: false },
      { field: 'feedback.comment', old: null, new: 'the crate was crushed', personal: true },
      { field: 'feedback.complaint', old: null, new: true, personal: false },
    ]);
    // Stored sealed: the table holds none of the personal values.
    const [{ raw }] = await svc.dataSource.query("SELECT string_agg(changes::text, ' ') AS raw FROM audit_trail WHERE record_id = $1", [id]);
    expect(raw).toContain('NET60');
    for (const value of ['Lin Yutang', 'lin.yutang', '0099 4411', '60 days', 'crate was crushed', 'signed by Lin']) expect(raw).not.toContain(value);
  });

  it('shows the owning sales rep the personal values masked', async () => {
    const entries = await trailOf(rep);
    expect(entry(entries, 'created').changes).toEqual(
      expect.arrayContaining([
        { field: 'customerName', old: null, new: 'L•••', personal: true },
        { field: 'customerEmail', old: null, new: 'l•••@audit.example', personal: true },
        { field: 'customerPhone', old: null, new: '•••11', personal: true },
      ]),
    );
    expect(entries[0].changes).toContainEqual({ field: 'feedback.comment', old: null, new: 't•••', personal: true });
  });

  it("records the person's export per order handed out, and their erasure by whoever erased them", async () => {
    await svc.as(admin).get(`/api/v1/personal-data/orders?contactId=${contactId}`).expect(200);
    expect(entry(await trailOf(admin), 'exported')).toMatchObject({ actor: admin.sub, changes: [] });

    const erasedBy = randomUUID();
    const erased = createEvent('contact.erased', {
      subject: contactId,
      data: { contactId, leadIds: [], opportunityIds: [], orderIds: [], receivableIds: [], requestId: randomUUID(), by: erasedBy, erasedAt: now() },
    });
    await svc.publish(erased);
    await applied(erased);
    const entries = await trailOf(admin);
    expect(entries[0]).toMatchObject({ action: 'erased', actor: erasedBy, actorRoles: [] });
    expect(entries[0].changes).toEqual([
      { field: 'customerName', old: ERASED, new: ERASED, personal: true },
      { field: 'customerEmail', old: ERASED, new: ERASED, personal: true },
      { field: 'customerPhone', old: ERASED, new: ERASED, personal: true },
      { field: 'feedback.comment', old: ERASED, new: ERASED, personal: true },
    ]);
    // The entries stay; their personal values are gone with the order's key.
    expect(entry(entries, 'feedback_received').changes).toContainEqual({ field: 'feedback.comment', old: ERASED, new: ERASED, personal: true });
    expect(entry(entries, 'draft_edited').changes).toContainEqual({ field: 'paymentTerms', old: 'NET30', new: 'NET60', personal: false });
  });
});
